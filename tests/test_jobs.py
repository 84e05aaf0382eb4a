"""Background jobs, run by a real procrastinate worker against the real database.

A worker takes jobs on its own connections, so these tests commit (transaction=True): what a
test writes is seen by the worker, and what the worker writes by the test. Most run a worker
in this process until the queue is empty; the restart test runs `manage.py procrastinate
worker` as a subprocess, kills it in the middle of a job and starts another.
"""

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django import app
from pypdf import PdfReader

from assessment.criteria import CRITERIA_VERSION
from assessment.exports import fhir_bundle, write_csv
from assessment.models import AccessEvent, Assessment
from jobs import services, work
from jobs.models import Job
from tests.assessment_helpers import make_assessment
from tests.criteria.vignettes import VIGNETTES
from tests.workers import run_worker

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parent.parent
BY_ID = {vignette["id"]: vignette["findings"] for vignette in VIGNETTES}


def from_vignette(owner, vignette_id):
    return make_assessment(owner, patient_reference=f"MRN-{vignette_id}", **BY_ID[vignette_id])


def cases(*assessments):
    return Assessment.objects.filter(pk__in=[assessment.pk for assessment in assessments])


def finished(job):
    return Job.objects.get(pk=job.pk)


def csv_of(assessments) -> str:
    out = io.StringIO()
    write_csv(assessments.order_by("pk"), out)
    return out.getvalue()


def test_a_csv_export_job_gives_exactly_what_write_csv_writes(admin_user, physician):
    chosen = cases(from_vignette(physician, "V01"), from_vignette(physician, "V02"))
    from_vignette(physician, "V09")  # not selected
    job = services.start(Job.Kind.CSV_EXPORT, admin_user, chosen)

    run_worker()

    job = finished(job)
    assert (job.state, job.done, job.total, job.attempts) == ("succeeded", 2, 2, 1)
    assert bytes(job.result).decode() == csv_of(chosen)
    assert job.result_name == "poems-assessments.csv"
    assert job.expires_at > timezone.now()
    exported = AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT, user=admin_user)
    assert sorted(event.assessment_id for event in exported) == sorted(job.cases)


def test_an_export_split_between_processes_is_the_same_file(admin_user, physician, monkeypatch):
    # Below PARTS_FROM an export stays in the worker's process; here it is split in two.
    monkeypatch.setattr(work, "PARTS_FROM", 2)
    everything = cases(*(from_vignette(physician, v) for v in ("V01", "V02", "V04", "V09")))
    job = services.start(Job.Kind.CSV_EXPORT, admin_user, everything)

    run_worker()

    job = finished(job)
    assert (job.state, job.done, job.total) == ("succeeded", 4, 4)
    assert bytes(job.result).decode() == csv_of(everything)
    assert len(list(csv.DictReader(io.StringIO(bytes(job.result).decode())))) == 4


def test_a_fhir_export_job_gives_one_bundle_a_line(admin_user, physician):
    chosen = cases(from_vignette(physician, "V01"), from_vignette(physician, "V02"))
    job = services.start(Job.Kind.FHIR_EXPORT, admin_user, chosen)

    run_worker()

    job = finished(job)
    assert job.state == "succeeded"
    lines = bytes(job.result).decode().splitlines()
    assert [json.loads(line) for line in lines] == [
        fhir_bundle(case) for case in chosen.order_by("pk")
    ]
    assert job.result_content_type == "application/fhir+ndjson"
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).count() == 2


def test_a_pdf_zip_job_holds_each_case_s_pdf(admin_user, physician):
    chosen = cases(from_vignette(physician, "V01"), from_vignette(physician, "V02"))
    job = services.start(Job.Kind.PDF_ZIP, admin_user, chosen)

    run_worker()

    archive = zipfile.ZipFile(io.BytesIO(bytes(finished(job).result)))
    assert sorted(archive.namelist()) == [
        "poems-assessment-MRN-V01-2025-03-14.pdf",
        "poems-assessment-MRN-V02-2025-03-14.pdf",
    ]
    for name in archive.namelist():
        text = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
        assert name.split("-")[3] in text  # V01, V02: each its own patient's document
    downloads = AccessEvent.objects.filter(kind=AccessEvent.Kind.PDF, user=admin_user)
    assert sorted(event.assessment_id for event in downloads) == sorted(job.cases)


def test_a_reevaluation_job_brings_stale_cases_to_the_current_rules(admin_user, physician):
    case = from_vignette(physician, "V01")
    Assessment.objects.filter(pk=case.pk).update(criteria_version="1+old")
    job = services.start(Job.Kind.REEVALUATION, admin_user)

    run_worker()

    job = finished(job)
    assert job.state == "succeeded"
    assert job.outcome.startswith("Re-evaluated 1 case(s)")
    assert Assessment.objects.get(pk=case.pk).criteria_version == CRITERIA_VERSION
    assert not job.result_name  # nothing to download


def test_a_failed_job_shows_its_error(admin_user, admin_client, physician):
    refused = from_vignette(physician, "V01")
    # Stored under rules that allowed it; the engine now refuses it (no form would store it).
    Assessment.objects.filter(pk=refused.pk).update(platelets_10e9_l=-5)
    job = services.start(Job.Kind.CSV_EXPORT, admin_user, cases(refused))

    run_worker()

    job = finished(job)
    assert job.state == "failed"
    assert f"case {refused.pk}: the criteria engine refuses it" in job.error
    assert job.attempts == 1  # an error of the work is not retried
    assert job.result is None
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()
    page = admin_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert "It failed: ExportError: case" in page
    assert 'http-equiv="refresh"' not in page  # finished: the page no longer reloads


def test_the_requester_downloads_the_result_and_nobody_else(admin_user, physician):
    chosen = cases(from_vignette(physician, "V01"))
    job = services.start(Job.Kind.CSV_EXPORT, admin_user, chosen)
    run_worker()
    mine = Client()
    mine.force_login(admin_user)
    other_admin = Client()
    other_admin.force_login(
        type(admin_user).objects.create_superuser("another-admin", password="x" * 12)
    )
    url = reverse("admin:jobs_job_result", args=[job.pk])

    response = mine.get(url)

    assert response.status_code == 200
    assert response.content.decode() == csv_of(chosen)
    assert 'filename="poems-assessments.csv"' in response["Content-Disposition"]
    # Another admin sees the job (view_every_job) but may not take its file.
    assert other_admin.get(reverse("admin:jobs_job_change", args=[job.pk])).status_code == 200
    assert other_admin.get(url).status_code == 403


def test_an_expired_result_is_deleted_by_the_periodic_task_and_not_served(
    admin_client, admin_user, physician
):
    job = services.start(Job.Kind.CSV_EXPORT, admin_user, cases(from_vignette(physician, "V01")))
    run_worker()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    url = reverse("admin:jobs_job_result", args=[job.pk])

    refused = admin_client.get(url)
    app.configure_task(name="jobs.maintenance").defer(timestamp=int(time.time()))
    run_worker()

    assert refused.status_code == 302  # back to the job's page, which says so
    assert refused.url == reverse("admin:jobs_job_change", args=[job.pk])
    job = finished(job)
    assert job.result is None and job.result_name == "poems-assessments.csv"
    page = admin_client.get(refused.url).content.decode()
    assert "poems-assessments.csv: expired, deleted" in page


# A worker stopped in the middle of a job


def worker_process(log: Path):
    """`manage.py procrastinate worker` on this test's database, as the app's role, with a
    heartbeat every second and stopped workers looked for every second."""
    params = connection.get_connection_params()
    owner = connection.settings_dict["OWNER"]
    # The server as query parameters: libpq reads a socket folder there as it reads a host.
    server = f"host={quote(str(params.get('host', '')))}&port={params.get('port') or 5432}"
    credentials = quote(owner["USER"])
    if owner["PASSWORD"]:
        credentials += ":" + quote(owner["PASSWORD"])
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@/{params['dbname']}?{server}",
        "DATABASE_APP_ROLE": connection.settings_dict["APP_USER"],
        "DATABASE_APP_PASSWORD": connection.settings_dict["APP_PASSWORD"] or "",
        "JOBS_HEARTBEAT_SECONDS": "1",
        "JOBS_STALLED_AFTER_SECONDS": "2",
        "JOBS_MAINTENANCE_CRON": "* * * * * *",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"],
        cwd=REPO,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_job_interrupted_by_a_worker_restart_is_retried_and_succeeds(
    admin_user, physician, tmp_path
):
    log = tmp_path / "workers.log"
    chosen = cases(*(from_vignette(physician, v) for v in ("V01", "V02", "V04", "V05", "V09")))
    job = services.start(Job.Kind.PDF_ZIP, admin_user, chosen)
    first = worker_process(log)
    try:
        # Killed once it has shown progress: the zip half made, in the worker's memory.
        running = wait_for(lambda: finished(job).done >= 1 and finished(job).state == "running", 60)
        assert running, log.read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        interrupted = finished(job)
        assert interrupted.state == "running" and interrupted.done < 5
    finally:
        first.kill()
    second = worker_process(log)
    try:
        assert wait_for(lambda: finished(job).state == "succeeded", 120), log.read_text()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    job = finished(job)
    assert job.attempts == 2
    archive = zipfile.ZipFile(io.BytesIO(bytes(job.result)))
    assert len(archive.namelist()) == 5
    # The interrupted attempt recorded nothing: each PDF is recorded once, by the retry.
    downloads = AccessEvent.objects.filter(kind=AccessEvent.Kind.PDF, user=admin_user)
    assert sorted(event.assessment_id for event in downloads) == sorted(job.cases)
