"""Follow-up visits: added, edited and deleted by the owning physician only, refused as the
follow-up engine refuses, with the assessment's version check, audit trail and locking."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpVisit, FollowUpVisitEvent
from tests.assessment_helpers import make_assessment, make_physician

from .cases import CASES

pytestmark = pytest.mark.django_db

BASELINE = next(case for case in CASES if case["id"] == "FU04")["inputs"]["baseline"]
VISIT = {
    "visit_date": "2026-07-01",
    "months_since_treatment_start": "6",
    "treatment_since_last_visit": ["lenalidomide", "corticosteroids"],
    "bevacizumab_since_baseline": "no",
    "vegf_value": "850",
    "vegf_unit": "pg/mL",
    "vegf_sample": "serum",
    "vegf_assay": "quantikine  ELISA, hospital lab",
    "vegf_lab_uln": "1000",
}


@pytest.fixture
def physician():
    return make_physician("dr-course")


@pytest.fixture
def browser(physician):
    client = Client()
    client.force_login(physician)
    return client


@pytest.fixture
def assessment(physician):
    return make_assessment(physician, **BASELINE)


def add(browser, assessment, **changes):
    return browser.post(reverse("followup:visit_new", args=[assessment.pk]), {**VISIT, **changes})


def test_the_shared_baseline_is_a_diagnosis(assessment):
    assert assessment.primary_verdict == "meets"


def test_a_physician_adds_a_visit_and_reads_its_figures_on_the_course_page(browser, assessment):
    response = add(browser, assessment)
    assert response.status_code == 302
    visit = FollowUpVisit.objects.get(assessment=assessment)
    assert visit.vegf_value == 850.0 and visit.treatment_since_last_visit == [
        "lenalidomide",
        "corticosteroids",
    ]
    page = browser.get(reverse("followup:course", args=[assessment.pk])).content.decode()
    assert "comparable" in page and "-82.3 %" in page
    assert "4800 pg/mL (baseline), -82.3 %" in page
    assert 'data-date="2026-07-01" data-value="850" data-joined="yes"' in page
    # Each factor and note with its sources, as links to the references.
    assert '<li data-note="N_NO_RISK_SCORE">Factors are shown one by one' in page
    assert 'rel="noopener noreferrer">S50</a>' in page


def test_it_refuses_a_visit_as_the_engine_does_and_saves_nothing(browser, assessment):
    response = add(browser, assessment, mspike_g_dl="0.4", serum_ife="negative")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "serum immunofixation is Negative" in errors["mspike_g_dl"][0]
    assert not FollowUpVisit.objects.exists()


def test_it_refuses_a_visit_not_later_than_the_previous_one(browser, assessment):
    add(browser, assessment)
    response = add(browser, assessment, visit_date="2026-07-01")
    assert response.status_code == 400
    assert "not later than the previous visit" in response.context["form"].errors["visit_date"][0]


def test_it_refuses_a_date_that_is_not_one(browser, assessment):
    response = add(browser, assessment, visit_date="2026-02-30")
    assert response.status_code == 400
    assert "is not a date" in response.context["form"].errors["visit_date"][0]


def test_it_refuses_visits_to_an_assessment_that_does_not_meet_the_criteria(browser, physician):
    undiagnosed = make_assessment(physician, pn_present="no")
    assert add(browser, undiagnosed).status_code == 403
    assert not FollowUpVisit.objects.exists()


def test_it_rejects_another_physician(assessment):
    add_client = Client()
    add_client.force_login(make_physician("dr-other"))
    assert add_client.get(reverse("followup:course", args=[assessment.pk])).status_code == 404
    assert add(add_client, assessment).status_code == 404


def test_an_edit_from_an_older_page_is_refused_with_409(browser, assessment):
    add(browser, assessment)
    visit = FollowUpVisit.objects.get()
    url = reverse("followup:visit_edit", args=[assessment.pk, visit.pk])
    assert browser.post(url, {**VISIT, "vegf_value": "900", "version": "1"}).status_code == 302
    stale = browser.post(url, {**VISIT, "vegf_value": "700", "version": "1"})
    assert stale.status_code == 409
    visit.refresh_from_db()
    assert (visit.vegf_value, visit.version) == (900.0, 2)


def test_every_change_is_in_the_audit_trail(browser, assessment):
    add(browser, assessment)
    visit = FollowUpVisit.objects.get()
    url = reverse("followup:visit_edit", args=[assessment.pk, visit.pk])
    browser.post(url, {**VISIT, "vegf_value": "900", "version": "1"})
    browser.post(reverse("followup:visit_delete", args=[assessment.pk, visit.pk]), {"version": "2"})
    kinds = list(FollowUpVisitEvent.objects.order_by("pgh_id").values_list("pgh_label", flat=True))
    assert kinds == ["insert", "update", "delete"]


def test_a_signed_assessment_still_takes_visits(browser, assessment):
    type(assessment).objects.filter(pk=assessment.pk).update(signed_at=timezone.now())
    assert add(browser, assessment).status_code == 302


def test_a_signed_visit_can_no_longer_change_or_be_deleted(browser, assessment, physician):
    add(browser, assessment)
    visit = FollowUpVisit.objects.get()
    sign = reverse("followup:visit_sign", args=[assessment.pk, visit.pk])
    response = browser.post(sign, {"password": "dr-course passphrase", "version": "1"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.signed_by == physician
    url = reverse("followup:visit_edit", args=[assessment.pk, visit.pk])
    assert browser.post(url, {**VISIT, "vegf_value": "700", "version": "2"}).status_code == 403
    delete = reverse("followup:visit_delete", args=[assessment.pk, visit.pk])
    assert browser.post(delete, {"version": "2"}).status_code == 403
    visit.refresh_from_db()
    assert visit.vegf_value == 850.0


def test_a_withdrawn_assessment_takes_no_visit(browser, assessment):
    type(assessment).objects.filter(pk=assessment.pk).update(withdrawn_at=timezone.now())
    assert add(browser, assessment).status_code == 403


def test_an_edit_is_checked_against_the_stored_value_of_a_field_left_out(browser, assessment):
    add(browser, assessment, serum_ife="negative")
    visit = FollowUpVisit.objects.get()
    url = reverse("followup:visit_edit", args=[assessment.pk, visit.pk])
    posted = {**VISIT, "mspike_g_dl": "0.4", "version": "1"}
    response = browser.post(url, posted)  # serum_ife left out: it stays negative
    assert response.status_code == 400
    assert "serum immunofixation is Negative" in response.context["form"].errors["mspike_g_dl"][0]
    visit.refresh_from_db()
    assert (visit.mspike_g_dl, visit.version) == (None, 1)
