"""Jobs as plain functions: start one, run it in a worker (its state, progress, error and
result), who may download what, and the upkeep (stopped workers' jobs, expired results).

The admin starts jobs and shows them; `jobs.tasks` runs them. The work itself is
`jobs.work`'s, which calls the app's own exports, PDFs and re-evaluation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from procrastinate.contrib.django import app

from assessment import services as assessment_services
from jobs.models import Job

# A worker that stops under a job (killed, restarted) leaves it to be queued again; a job
# that has been started this many times is failed instead: it may be what stops the worker.
MOST_ATTEMPTS = 3
# Progress is written at most this often (seconds): often enough to watch, rarely enough to
# cost nothing beside the work.
PROGRESS_EVERY = 0.5
# What each kind needs, beyond reaching the admin, to be started and its result downloaded.
PERMISSIONS = {
    Job.Kind.CSV_EXPORT: "assessment.export_assessments",
    Job.Kind.FHIR_EXPORT: "assessment.export_assessments",
    Job.Kind.PDF_ZIP: "assessment.export_assessments",
    Job.Kind.REEVALUATION: "jobs.start_reevaluation",
}


class Refused(Exception):
    """The person may not do this; the message says why, in their words."""


@dataclass
class Result:
    """What a job made: a file (or none), a sentence, and the cases it let someone read."""

    outcome: str
    content: bytes | None = None
    filename: str = ""
    content_type: str = ""
    accessed: list = field(default_factory=list)
    access_kind: str = ""


def task_name(kind: str) -> str:
    return f"jobs.{kind}"


@transaction.atomic
def start(kind: str, user, cases=None) -> Job:
    """Queue a job of `kind` for `user` over `cases` (a queryset, or none).

    The job and its place in the queue are written in one transaction (procrastinate's Django
    connector uses this connection), so a worker never takes a job whose row is not there.
    """
    if not user.has_perm(PERMISSIONS[kind]):
        raise Refused("You may not start this job.")
    ids = [] if cases is None else list(cases.order_by("pk").values_list("pk", flat=True))
    job = Job.objects.create(kind=kind, requested_by=user, cases=ids, total=len(ids))
    job.queue_job_id = app.configure_task(name=task_name(kind)).defer(job_id=job.pk)
    job.save(update_fields=["queue_job_id"])
    return job


def may_view(user, job: Job) -> bool:
    return job.requested_by_id == user.pk or user.has_perm("jobs.view_every_job")


def may_download(user, job: Job) -> bool:
    """Only the person who asked, and only while they still hold the permission it needed:
    a result holds many cases, and seeing someone's job is not being allowed its file."""
    return job.requested_by_id == user.pk and user.has_perm(PERMISSIONS[job.kind])


def downloadable(job: Job) -> bool:
    return (
        job.state == Job.State.SUCCEEDED
        and bool(job.result_name)
        and job.expires_at is not None
        and job.expires_at > timezone.now()
    )


def result_of(job: Job) -> bytes:
    """The result's bytes, read only when downloaded (lists and pages defer them)."""
    return bytes(Job.objects.values_list("result", flat=True).get(pk=job.pk))


# --- In the worker ---------------------------------------------------------------------------


class Progress:
    """`progress(done, total)` for the app's functions, written to the job at most every
    PROGRESS_EVERY seconds (and at the end).

    `shared`: several processes each do a part of one job and add what they did to its count.
    """

    def __init__(self, job_id: int, *, shared: bool = False):
        self.job_id = job_id
        self.shared = shared
        self.written = 0
        self.last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done != total and now - self.last < PROGRESS_EVERY:
            return
        jobs = Job.objects.filter(pk=self.job_id)
        if self.shared:
            jobs.update(done=F("done") + (done - self.written))
        else:
            jobs.update(done=done, total=total)
        self.written, self.last = done, now


def run(job_id: int, work: Callable[[Job, Progress], Result], *, retried: Callable) -> None:
    """Run `work` for the job, keeping its state: running, then succeeded with its result, or
    failed with its error. `retried(error)` says whether procrastinate will try again (the
    error is then noted and the job queued again). The error is raised again for the queue."""
    job = _started(job_id)
    try:
        result = work(job, Progress(job.pk))
    except Exception as error:
        again = retried(error)
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.QUEUED if again else Job.State.FAILED,
            error=describe(error) + (" (it will be tried again)" if again else ""),
            finished_at=None if again else timezone.now(),
        )
        raise
    _succeeded(job, result)


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _started(job_id: int) -> Job:
    Job.objects.filter(pk=job_id).update(
        state=Job.State.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        done=0,
        error="",
    )
    return Job.objects.defer("result").get(pk=job_id)


@transaction.atomic
def _succeeded(job: Job, result: Result) -> None:
    """The result and the record of every case it let its requester read, together: a job
    interrupted before this records nothing, and its retry records each case once."""
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.SUCCEEDED,
        done=F("total"),
        outcome=result.outcome,
        result_name=result.filename,
        result_content_type=result.content_type,
        result_size=len(result.content or b""),
        finished_at=now,
        expires_at=now + settings.JOBS_RESULT_LIFETIME if result.content is not None else None,
    )
    if result.content is not None:
        _store(job.pk, result.content)
    if result.accessed:
        assessment_services.record_accesses(result.accessed, job.requested_by, result.access_kind)


def _store(job_id: int, content: bytes) -> None:
    """The file as a binary parameter bound by the server: Django's cursors bind on the
    client, as hex text twice the size, which took 6 s instead of 2.7 s for a 60 MB export."""
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            f"UPDATE {Job._meta.db_table} SET result = %b WHERE id = %s",  # noqa: S608
            [content, job_id],
        )


# --- Upkeep ----------------------------------------------------------------------------------


def delete_expired_results() -> int:
    """Delete the results whose time is up; the jobs' records stay. Returns how many."""
    return Job.objects.filter(result__isnull=False, expires_at__lte=timezone.now()).update(
        result=None
    )


def interrupted(job_id: int, *, retried: bool) -> None:
    """A worker stopped under the job: it is queued again, or failed after MOST_ATTEMPTS."""
    if retried:
        Job.objects.filter(pk=job_id).update(
            state=Job.State.QUEUED,
            error="The worker stopped while running it; it was queued again.",
        )
    else:
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED,
            error=f"The worker stopped while running it, {MOST_ATTEMPTS} times: not tried again.",
            finished_at=timezone.now(),
        )
