"""Two tabs, two physicians' sessions, two threads: a save is never a silent overwrite.

A save from a page built at an older version is refused with 409; the page lists what changed
since (from the audit trail), keeps what was typed, and carries the current version, so a
second, deliberate save goes through.
"""

import datetime
import threading
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessment import services
from assessment.counts import count_assessments
from assessment.models import Assessment
from assessment.steps import STEPS_BY_SLUG
from tests.assessment_helpers import make_assessment, make_physician, step_post_data

pytestmark = pytest.mark.django_db


def step_url(assessment, slug):
    return reverse("assessment:step", args=[assessment.pk, slug])


def reloaded(assessment):
    return Assessment.objects.get(pk=assessment.pk)


def shown(response, name):
    """The value a browser shows as chosen for one field (checked radio or text value)."""

    class Chosen(HTMLParser):
        values = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name") == name:
                if attrs.get("type") != "radio" or "checked" in attrs:
                    self.values.append(attrs.get("value", ""))

    parser = Chosen()
    parser.feed(response.content.decode())
    assert len(parser.values) == 1, (name, parser.values)
    return parser.values[0]


@pytest.fixture
def assessment(physician):
    return make_assessment(physician, patient_reference="MRN-4711", sex="male")


@pytest.fixture
def tab_a(physician):
    browser = Client()
    browser.force_login(physician)
    return browser


@pytest.fixture
def tab_b(physician):
    browser = Client()
    browser.force_login(physician)
    return browser


def test_a_save_from_an_older_page_is_refused_with_what_changed_and_the_typing_kept(
    tab_a, tab_b, assessment
):
    url = step_url(assessment, "organomegaly")
    typed_in_a = step_post_data(
        tab_a, url, hepatomegaly="yes", splenomegaly="no", lymphadenopathy="yes"
    )
    typed_in_b = step_post_data(tab_b, url, splenomegaly="yes", action="draft")
    assert tab_b.post(url, typed_in_b).status_code == 302

    refused = tab_a.post(url, {**typed_in_a, "action": "continue"})

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "This assessment changed since you opened it" in page
    assert "Nothing was saved" in page
    assert "Splenomegaly: Not assessed → Yes" in page
    assert refused.context["stale_changes"] == [("Splenomegaly", "Not assessed", "Yes")]
    # Tab A's typing is still in the form, and the database holds B's save only.
    assert shown(refused, "hepatomegaly") == "yes"
    assert shown(refused, "splenomegaly") == "no"
    assert shown(refused, "lymphadenopathy") == "yes"
    saved = reloaded(assessment)
    assert (saved.hepatomegaly, saved.splenomegaly, saved.lymphadenopathy) == (
        "unknown",
        "yes",
        "unknown",
    )
    assert saved.version == assessment.version + 1
    assert int(shown(refused, "version")) == saved.version

    # Having seen B's change, A saves again on purpose: it goes through.
    again = {**typed_in_a, "version": shown(refused, "version"), "action": "continue"}
    response = tab_a.post(url, again)

    assert response.status_code == 302
    saved = reloaded(assessment)
    assert (saved.hepatomegaly, saved.splenomegaly, saved.lymphadenopathy) == ("yes", "no", "yes")
    assert saved.version == assessment.version + 2


def posted_again(response):
    """What a browser posts from a refused page: every enabled field as the page shows it."""
    data = {}
    for bound in response.context["form"]:
        if not bound.field.disabled:
            value = bound.value()
            data[bound.name] = "" if value is None else value
    return data


def test_a_retry_from_the_409_page_keeps_what_others_entered_meanwhile(tab_a, tab_b, assessment):
    # The lost edit: A's page shows no platelet count; B enters 111; A's retry must keep it.
    url = step_url(assessment, "other")
    typed_in_a = step_post_data(tab_a, url, papilledema="yes")
    typed_in_b = step_post_data(tab_b, url, platelets_10e9_l="111", action="draft")
    assert tab_b.post(url, typed_in_b).status_code == 302

    refused = tab_a.post(url, {**typed_in_a, "action": "continue"})

    assert refused.status_code == 409
    assert shown(refused, "platelets_10e9_l") == "111"
    assert shown(refused, "papilledema") == "yes"
    assert refused.context["stale_conflicts"] == ()
    response = tab_a.post(url, {**posted_again(refused), "action": "continue"})
    assert response.status_code == 302
    saved = reloaded(assessment)
    assert (saved.platelets_10e9_l, saved.papilledema) == (111, "yes")


def test_a_field_both_changed_is_a_conflict_to_decide(tab_a, tab_b, assessment):
    url = step_url(assessment, "other")
    typed_in_a = step_post_data(tab_a, url, platelets_10e9_l="300")
    assert tab_b.post(url, step_post_data(tab_b, url, platelets_10e9_l="111")).status_code == 302

    refused = tab_a.post(url, {**typed_in_a, "action": "continue"})

    assert refused.status_code == 409
    [conflict] = refused.context["stale_conflicts"]
    assert (conflict.label, conflict.then, conflict.theirs, conflict.mine) == (
        "Platelets (×10⁹/L)",
        "empty",
        "111",
        "300",
    )
    assert shown(refused, "platelets_10e9_l") == "300"
    assert "Changed by both of you" in refused.content.decode()
    assert reloaded(assessment).platelets_10e9_l == 111


def test_the_refusal_lists_changes_made_on_other_steps_too(tab_a, tab_b, assessment):
    url = step_url(assessment, "bone")
    typed_in_a = step_post_data(tab_a, url, bone_imaging="mri", action="draft")
    other = step_url(assessment, "other")
    assert tab_b.post(other, step_post_data(tab_b, other, platelets_10e9_l="512")).status_code == (
        302
    )
    patient = step_url(assessment, "patient")
    assert tab_b.post(patient, step_post_data(tab_b, patient, age_years="61.5")).status_code == 302

    refused = tab_a.post(url, typed_in_a)

    assert refused.status_code == 409
    assert refused.context["stale_changes"] == [
        ("Age (years)", "empty", "61.5"),
        ("Platelets (×10⁹/L)", "empty", "512"),
    ]
    assert reloaded(assessment).bone_imaging == "unknown"
    assert shown(refused, "bone_imaging") == "mri"


def test_a_save_without_a_version_is_refused_not_applied(tab_a, assessment):
    url = step_url(assessment, "neuropathy")
    data = step_post_data(tab_a, url, pn_present="yes")
    del data["version"]

    response = tab_a.post(url, data)

    assert response.status_code == 409
    assert reloaded(assessment).pn_present == "unknown"
    assert int(shown(response, "version")) == assessment.version


def test_a_save_from_a_page_opened_before_signing_is_refused(tab_a, assessment):
    url = step_url(assessment, "neuropathy")
    data = step_post_data(tab_a, url, pn_present="yes")
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.COMPLETE, version=assessment.version
    )
    services.sign(reloaded(assessment), assessment.owner)

    response = tab_a.post(url, data)

    assert response.status_code == 403
    saved = reloaded(assessment)
    assert saved.signed_at is not None
    assert saved.pn_present == "unknown"


# The service, between loading a row and saving it


def test_save_step_keeps_a_signature_made_after_the_row_was_loaded(assessment):
    loaded = reloaded(assessment)
    elsewhere = reloaded(assessment)
    elsewhere.status = Assessment.Status.COMPLETE
    elsewhere.save(update_fields=["status"])
    services.sign(elsewhere, assessment.owner)
    loaded.pn_present = "yes"

    with pytest.raises(services.Refused):
        services.save_step(
            loaded, STEPS_BY_SLUG["neuropathy"], completed=True, seen_version=loaded.version
        )

    saved = reloaded(assessment)
    assert saved.signed_at is not None
    assert saved.pn_present == "unknown"


def test_save_step_keeps_a_review_made_after_the_row_was_loaded(assessment):
    admin = make_physician("reviewer")
    loaded = reloaded(assessment)
    services.review(reloaded(assessment), admin, Assessment.ReviewStatus.REVIEWED, "Looks right.")
    loaded.pn_present = "yes"

    services.save_step(
        loaded, STEPS_BY_SLUG["neuropathy"], completed=True, seen_version=loaded.version
    )

    saved = reloaded(assessment)
    assert saved.pn_present == "yes"
    assert saved.review_status == Assessment.ReviewStatus.REVIEWED
    assert saved.review_comment == "Looks right."


def test_changes_since_names_each_field_with_both_values(physician):
    assessment = make_assessment(
        physician, patient_reference="MRN-1", sex="female", ncs_pattern="axonal"
    )
    version = assessment.version
    assessment.patient_reference = "MRN-2"
    assessment.assessment_date = datetime.date(2025, 4, 1)
    assessment.ncs_pattern = "mixed"
    assessment.hemoglobin_g_dl = 17.25
    services.record(assessment)

    assert services.changes_since(reloaded(assessment), version) == [
        ("Patient reference", "MRN-1", "MRN-2"),
        ("Assessment date", "2025-03-14", "2025-04-01"),
        ("Nerve conduction pattern", "Axonal", "Mixed demyelinating and axonal"),
        ("Haemoglobin (g/dL)", "empty", "17.25"),
    ]
    assert services.changes_since(reloaded(assessment), assessment.version) == []
    assert services.changes_since(reloaded(assessment), 999) == []
    assert services.changes_since(reloaded(assessment), None) == []


# Real concurrency: simultaneous saves from pages at the same version


@pytest.mark.django_db(transaction=True)
def test_of_simultaneous_saves_from_one_version_exactly_one_wins(physician):
    assessment = make_assessment(physician, patient_reference="MRN-RACE")
    step = STEPS_BY_SLUG["organomegaly"]
    values = ["yes", "no", "yes", "no"]
    barrier = threading.Barrier(len(values), timeout=10)
    outcomes = []

    def save(value):
        try:
            mine = Assessment.objects.get(pk=assessment.pk)
            mine.hepatomegaly = value
            barrier.wait()
            services.save_step(mine, step, completed=False, seen_version=assessment.version)
            outcomes.append(("saved", value))
        except services.StaleAssessment:
            outcomes.append(("stale", value))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(value,)) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not any(thread.is_alive() for thread in threads)
    winners = [value for outcome, value in outcomes if outcome == "saved"]
    assert len(outcomes) == len(values)
    assert len(winners) == 1
    saved = reloaded(assessment)
    assert saved.version == assessment.version + 1
    assert saved.hepatomegaly == winners[0]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_assessments_of_one_physician_are_all_counted():
    physician = make_physician("ada")
    barrier = threading.Barrier(4, timeout=10)
    failures = []

    def create(number):
        try:
            barrier.wait()
            make_assessment(physician, patient_reference=f"MRN-{number}")
        except Exception as error:  # noqa: BLE001 (reported below, with the thread's number)
            failures.append((number, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert count_assessments(physician) == 4 == Assessment.objects.filter(owner=physician).count()
