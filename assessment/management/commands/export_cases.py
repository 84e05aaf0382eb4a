"""`manage.py export_cases`: every case as CSV or FHIR R4 bundles, de-identified by default."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessment.exports import ExportError, fhir_bundles, write_csv
from assessment.management.progress import ProgressReport, plain
from assessment.models import Assessment


class Command(BaseCommand):
    help = (
        "Export assessments as CSV (one row per case) or FHIR R4 bundles (one per case). "
        "De-identified by default: cases are named by their id, not the patient reference."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["csv", "fhir"], default="csv", help="csv (default) or fhir"
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="csv: a file (default standard output); fhir: a directory, one <case id>.json "
            "per case (default: one JSON array on standard output)",
        )
        parser.add_argument(
            "--include-patient-reference",
            action="store_true",
            help="also write each case's patient reference (left out by default)",
        )
        parser.add_argument("--physician", metavar="USERNAME", help="only this physician's cases")
        parser.add_argument(
            "--verdict",
            choices=Assessment.Verdict.values,
            help="only cases whose stored primary verdict is this",
        )

    def handle(self, *args, format, output, include_patient_reference, physician, verdict, **_):
        assessments = Assessment.objects.order_by("assessment_date", "created_at", "pk")
        if physician is not None:
            if not get_user_model().objects.filter(username=physician).exists():
                raise CommandError(f"--physician: no user named {physician!r}", returncode=2)
            assessments = assessments.filter(owner__username=physician)
        if verdict is not None:
            assessments = assessments.filter(primary_verdict=verdict)
        progress = ProgressReport(self.stderr, "Exported")
        export = self._csv if format == "csv" else self._fhir
        try:
            exported = export(assessments, output, include_patient_reference, progress)
        except ExportError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"{output}: cannot be written ({error})", returncode=2) from error
        if exported == 0:
            self.stderr.write("No cases to export.", style_func=plain)
        elif output is not None:
            self.stderr.write(f"Wrote {exported} cases to {output}.", style_func=plain)

    def _csv(self, assessments, output, include_patient_reference, progress):
        options = {"include_patient_reference": include_patient_reference, "progress": progress}
        if output is None:
            return write_csv(assessments, self.stdout, **options)
        with output.open("w", encoding="utf-8", newline="") as out:
            return write_csv(assessments, out, **options)

    def _fhir(self, assessments, output, include_patient_reference, progress):
        if output is not None and output.exists() and not output.is_dir():
            raise CommandError(f"--output {output}: a FHIR export needs a directory", returncode=2)
        bundles = fhir_bundles(
            assessments, include_patient_reference=include_patient_reference, progress=progress
        )
        exported = 0
        if output is None:
            # One JSON array, written a bundle at a time.
            self.stdout.write("[", ending="")
            for exported, (_, bundle) in enumerate(bundles, start=1):
                separator = "\n" if exported == 1 else ",\n"
                self.stdout.write(separator + json.dumps(bundle, ensure_ascii=False), ending="")
            self.stdout.write("\n]")
            return exported
        output.mkdir(parents=True, exist_ok=True)
        for assessment, bundle in bundles:
            path = output / f"{assessment.pk}.json"
            path.write_text(json.dumps(bundle, indent=2, ensure_ascii=False), encoding="utf-8")
            exported += 1
        return exported
