"""What each kind of job does, with the app's own functions: the exports of
`assessment.exports`, the PDFs of `assessment.pdf`, the re-evaluation of
`assessment.reevaluation`. Each takes the job and a progress callback and returns a Result.

An export of many cases is split by id into contiguous parts, one per process
(JOBS_EXPORT_PROCESSES): the criteria engine, which is most of an export's time, is Python
and would use one core. Each part is the same `write_csv` (or `fhir_bundles`) over its cases,
and adds what it did to the job's progress; the parts are joined in id order.
"""

from __future__ import annotations

import io
import json
import zipfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.conf import settings
from django.db import connection
from django.db.models import F, Func, UUIDField

from assessment import pdf
from assessment.exports import fhir_bundles, write_csv
from assessment.models import AccessEvent, Assessment
from assessment.reevaluation import reevaluate
from jobs import processes
from jobs.models import Job
from jobs.services import Progress, Result

# Fewer cases than this are exported in the worker's own process: starting another costs
# about a second (Django and the engine loaded again).
PARTS_FROM = 5_000
# The most PDFs in one zip: each takes WeasyPrint about a third of a second.
MOST_PDFS = 500


def selected(job_id: int, first=None, last=None):
    """The job's cases, in id order; between the ids `first` and `last` when given."""
    ids = (
        Job.objects.filter(pk=job_id)
        .annotate(case=Func(F("cases"), function="unnest", output_field=UUIDField()))
        .values("case")
    )
    cases = Assessment.objects.filter(pk__in=ids)
    if first is not None:
        cases = cases.filter(pk__gte=first, pk__lte=last)
    return cases.order_by("pk")


def csv_export(job: Job, progress: Progress) -> Result:
    parts = _in_parts(job, _csv_part, progress)
    # Each part starts with the header: the first part's is kept.
    text = parts[0] + "".join(part.split("\r\n", 1)[1] for part in parts[1:])
    return _export(job, text, "poems-assessments.csv", "text/csv; charset=utf-8")


def fhir_export(job: Job, progress: Progress) -> Result:
    # NDJSON, one Bundle a line, as FHIR's bulk data exports are.
    text = "".join(_in_parts(job, _fhir_part, progress))
    return _export(job, text, "poems-assessments.ndjson", "application/fhir+ndjson")


def _export(job: Job, text: str, filename: str, content_type: str) -> Result:
    return Result(
        outcome=f"Exported {len(job.cases):,} case(s), de-identified.",
        content=text.encode("utf-8"),
        filename=filename,
        content_type=content_type,
        accessed=job.cases,
        access_kind=AccessEvent.Kind.EXPORT,
    )


def _csv_part(job_id: int, first=None, last=None, progress=None) -> str:
    out = io.StringIO()
    write_csv(selected(job_id, first, last), out, progress=progress)
    return out.getvalue()


def _fhir_part(job_id: int, first=None, last=None, progress=None) -> str:
    bundles = fhir_bundles(selected(job_id, first, last), progress=progress)
    return "".join(json.dumps(bundle, ensure_ascii=False) + "\n" for _, bundle in bundles)


def _in_parts(job: Job, part, progress: Progress) -> list[str]:
    """`part` over the job's cases: in this process, or split between processes."""
    count = settings.JOBS_EXPORT_PROCESSES
    if count == 1 or len(job.cases) < max(PARTS_FROM, count):
        return [part(job.pk, progress=progress)]
    ids = sorted(job.cases)
    size = -(-len(ids) // count)
    bounds = [(ids[i], ids[min(i + size, len(ids)) - 1]) for i in range(0, len(ids), size)]
    Job.objects.filter(pk=job.pk).update(done=0, total=len(ids))
    # Spawned, not forked: a fork would share this process's database connection.
    with ProcessPoolExecutor(
        max_workers=len(bounds),
        mp_context=get_context("spawn"),
        initializer=processes.set_up_django,
        initargs=(dict(connection.settings_dict),),
    ) as pool:
        futures = [
            pool.submit(processes.run_part, part.__name__, job.pk, *bound) for bound in bounds
        ]
        return [future.result() for future in futures]


def pdf_zip(job: Job, progress: Progress) -> Result:
    """Each case's PDF in one zip. A case whose findings contradict each other is listed in
    not-rendered.txt instead; only the PDFs in the zip count as downloaded."""
    buffer = io.BytesIO()
    not_rendered, included, names = [], [], set()
    cases = list(selected(job.pk).select_related("owner"))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, assessment in enumerate(cases, start=1):
            try:
                content = pdf.pdf_of(assessment)
            except pdf.ContradictoryFindings:
                not_rendered.append(f"{assessment} ({assessment.pk}): contradictory findings")
            else:
                name = pdf.pdf_filename(assessment)
                if name in names:  # two cases of one patient on one day
                    name = name.removesuffix(".pdf") + f"-{str(assessment.pk)[:8]}.pdf"
                names.add(name)
                archive.writestr(name, content)
                included.append(assessment.pk)
            progress(done, len(cases))
        if not_rendered:
            archive.writestr("not-rendered.txt", "\n".join(not_rendered) + "\n")
    return Result(
        outcome=f"{len(included)} PDF(s) in the zip"
        + (f", {len(not_rendered)} not rendered (see not-rendered.txt)." if not_rendered else "."),
        content=buffer.getvalue(),
        filename="poems-assessments.zip",
        content_type="application/zip",
        accessed=included,
        access_kind=AccessEvent.Kind.PDF,
    )


def reevaluation(job: Job, progress: Progress) -> Result:
    outcome = reevaluate(progress=progress)
    if outcome.reevaluated == 0:
        return Result(outcome="Every case was already evaluated under the current rules.")
    return Result(
        outcome=f"Re-evaluated {outcome.reevaluated:,} case(s): {outcome.changed:,} changed "
        f"result, {outcome.refused:,} now refused (each has a notice for its physician)."
    )


WORK = {
    Job.Kind.CSV_EXPORT: csv_export,
    Job.Kind.FHIR_EXPORT: fhir_export,
    Job.Kind.PDF_ZIP: pdf_zip,
    Job.Kind.REEVALUATION: reevaluation,
}
