"""A background job as a data manager sees it in the browser: queued from the admin's action,
followed on its page (which reloads itself, breaking no rule of the Content Security Policy),
then downloaded once a real worker has done it."""

from django.urls import reverse
from playwright.sync_api import expect

from assessment.models import Assessment
from jobs.models import Job
from tests.assessment_helpers import make_assessment
from tests.browser.conftest import PASSWORD, violations
from tests.test_jobs import csv_of
from tests.workers import run_worker


def test_a_queued_export_is_followed_on_its_page_and_downloaded(
    page, console, django_user_model, physician
):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    case = make_assessment(physician, patient_reference="MRN-JOB", pn_present="yes")
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(reverse("admin:assessment_assessment_changelist"))
    page.get_by_label("Select this object for an action - MRN-JOB").check()
    page.locator("select[name='action']").select_option("export_csv")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_role("heading", name="Queued")).to_be_visible()
    expect(page.locator("meta[http-equiv='refresh']")).to_have_attribute("content", "2")
    run_worker()
    # The page reloads by itself until the job is done; nothing here reloads it.
    expect(page.get_by_role("heading", name="Succeeded")).to_be_visible(timeout=15_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download poems-assessments.csv").click()

    saved = download.value.path().read_bytes().decode("utf-8")
    assert saved == csv_of(Assessment.objects.filter(pk=case.pk))
    assert Job.objects.get().state == "succeeded"
    assert page.locator("meta[http-equiv='refresh']").count() == 0
    assert not violations(console), "\n".join(console)
