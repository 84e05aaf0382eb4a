"""Stored cases follow the rules: `manage.py reevaluate` after a rule revision (criteria.md 9).

A case stored under revision 1 is made as the app made it then: saved through the services,
then given revision 1's stored verdict and version with a plain UPDATE, as the rows of a
database upgraded from revision 1 hold them.
"""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessment import reevaluation, services
from assessment.criteria import CRITERIA_VERSION, RULE_CHANGES
from assessment.models import (
    Assessment,
    AssessmentEvent,
    RuleChangeNotice,
    RuleChangeNoticeEvent,
)
from tests.assessment_helpers import make_assessment
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db

OLD_VERSION = "1+0123456789ab"
V23 = next(v for v in VIGNETTES if v["id"] == "V23")  # serum VEGF 1200 pg/mL


def stored_under_revision_1(assessment, **stored):
    """Give a saved case the stored evaluation revision 1 gave it."""
    fields = {"criteria_version": OLD_VERSION, **stored}
    Assessment.objects.filter(pk=assessment.pk).update(**fields)
    assessment.refresh_from_db()
    return assessment


def reevaluate():
    out, err = io.StringIO(), io.StringIO()
    call_command("reevaluate", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def v23_case(physician):
    """V23 as revision 1 stored it: 'does not meet', since 1200 pg/mL of serum was 'no'."""
    case = make_assessment(physician, patient_reference="MRN-V23", **V23["findings"])
    assert case.primary_verdict == "indeterminate"  # revision 2's reading
    return stored_under_revision_1(
        case, primary_verdict="does_not_meet", japan_result="definite", warning_ids=["W_OLD"]
    )


@pytest.fixture
def signed_in(physician):
    client = Client()
    client.force_login(physician)
    return client


def test_it_brings_a_case_stored_under_the_old_rules_up_to_date(v23_case):
    out, _ = reevaluate()

    case = Assessment.objects.get(pk=v23_case.pk)
    assert case.criteria_version == CRITERIA_VERSION
    assert case.primary_verdict == "indeterminate"
    assert case.japan_result == "definite"
    assert set(case.warning_ids) == {w["id"] for w in V23["expected_warnings"]}
    # Only the stored evaluation changed: not a finding, not the version a page is checked at.
    assert case.version == v23_case.version
    assert case.vegf_value == v23_case.vegf_value
    assert case.updated_at == v23_case.updated_at
    assert "Re-evaluated 1 case(s)" in out and "1 changed result" in out


def test_it_leaves_a_notice_quoting_the_rule_change(v23_case):
    reevaluate()

    [notice] = RuleChangeNotice.objects.filter(assessment=v23_case)
    assert (notice.primary_before, notice.primary_after) == ("does_not_meet", "indeterminate")
    assert (notice.japan_before, notice.japan_after) == ("definite", "definite")
    assert (notice.from_version, notice.to_version) == (OLD_VERSION, CRITERIA_VERSION)
    assert notice.changed_on == RULE_CHANGES[-1].date == date(2026, 12, 1)
    assert notice.change_summary == RULE_CHANGES[-1].summary
    assert notice.seen_at is None


def test_running_it_again_changes_nothing(v23_case):
    reevaluate()
    events = AssessmentEvent.objects.count()

    out, _ = reevaluate()

    assert out.startswith("Every case is evaluated under criteria")
    assert RuleChangeNotice.objects.count() == 1
    assert AssessmentEvent.objects.count() == events


def test_an_unchanged_result_gets_no_notice(physician):
    case = make_assessment(physician, pn_present="no")
    stored_under_revision_1(case)

    reevaluate()

    assert Assessment.objects.get(pk=case.pk).criteria_version == CRITERIA_VERSION
    assert not RuleChangeNotice.objects.exists()


def test_each_rewrite_is_in_the_audit_trail_with_the_revision_named(v23_case):
    reevaluate()

    event = AssessmentEvent.objects.filter(pgh_obj=v23_case).order_by("-pgh_id").first()
    assert (event.primary_verdict, event.criteria_version) == ("indeterminate", CRITERIA_VERSION)
    assert event.pgh_context.metadata["rule_revision"] == CRITERIA_VERSION
    assert RuleChangeNoticeEvent.objects.filter(pgh_obj__assessment=v23_case).count() == 1


def test_the_physician_sees_a_badge_on_the_list_and_the_notice_on_the_summary(v23_case, signed_in):
    reevaluate()

    listing = signed_in.get(reverse("assessment:list")).content.decode()
    assert "Criteria changed" in listing
    summary = signed_in.get(reverse("assessment:summary", args=[v23_case.pk])).content.decode()
    expected = (
        "The criteria changed on 2026-12-01:</strong>\n  this case was <em>does not meet</em>, "
        f"it is now <em>indeterminate</em>: {RULE_CHANGES[-1].summary}"
    )
    assert expected in summary


def test_the_notice_stays_until_the_physician_marks_it_read(v23_case, signed_in, physician):
    reevaluate()
    notice = RuleChangeNotice.objects.get()
    summary_url = reverse("assessment:summary", args=[v23_case.pk])
    signed_in.get(summary_url)
    assert RuleChangeNotice.objects.get().seen_at is None  # viewing is not reading

    response = signed_in.post(reverse("assessment:notice_seen", args=[v23_case.pk, notice.pk]))

    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.seen_at is not None and notice.seen_by == physician
    assert "Criteria changed" not in signed_in.get(reverse("assessment:list")).content.decode()
    assert "The criteria changed on" not in signed_in.get(summary_url).content.decode()
    assert RuleChangeNoticeEvent.objects.filter(pgh_obj=notice).count() == 2


def test_another_physician_cannot_mark_a_notice_read(v23_case, other_physician):
    reevaluate()
    notice = RuleChangeNotice.objects.get()
    client = Client()
    client.force_login(other_physician)

    response = client.post(reverse("assessment:notice_seen", args=[v23_case.pk, notice.pk]))

    assert response.status_code == 404
    assert RuleChangeNotice.objects.get().seen_at is None


def test_a_signed_case_keeps_its_signature_and_shows_both_verdicts(v23_case, physician):
    Assessment.objects.filter(pk=v23_case.pk).update(status="complete")
    case = services.sign(Assessment.objects.get(pk=v23_case.pk), physician)
    # Signed under revision 1, whose verdict was "does not meet".
    Assessment.objects.filter(pk=case.pk).update(
        criteria_version=OLD_VERSION,
        signed_criteria_version=OLD_VERSION,
        primary_verdict="does_not_meet",
        signed_primary_verdict="does_not_meet",
    )
    signed = Assessment.objects.get(pk=case.pk)

    reevaluate()

    now = Assessment.objects.get(pk=case.pk)
    assert (now.signed_at, now.signed_by, now.signed_findings_sha256) == (
        signed.signed_at,
        signed.signed_by,
        signed.signed_findings_sha256,
    )
    assert (now.signed_primary_verdict, now.signed_criteria_version) == (
        "does_not_meet",
        OLD_VERSION,
    )
    assert now.primary_verdict == "indeterminate"
    assert now.is_locked
    client = Client()
    client.force_login(physician)
    page = client.get(reverse("assessment:summary", args=[case.pk])).content.decode()
    assert (
        f"does not meet; Japanese criteria definite (criteria version {OLD_VERSION}). "
        '<strong class="text-danger-emphasis">Different under the current rules:</strong> '
        "indeterminate; Japanese criteria definite." in page
    )


def test_findings_the_new_rules_refuse_leave_the_verdict_open_with_a_notice(physician, signed_in):
    case = make_assessment(physician, pn_present="yes")
    # Revision 1 accepted a VEGF of 0.35 "pg/mL" (meant ng/mL) and called it not elevated.
    Assessment.objects.filter(pk=case.pk).update(
        vegf_value=0.35, vegf_unit="pg/mL", vegf_sample="plasma"
    )
    stored_under_revision_1(case, primary_verdict="does_not_meet")

    out, _ = reevaluate()

    now = Assessment.objects.get(pk=case.pk)
    assert (now.primary_verdict, now.criteria_version) == ("indeterminate", CRITERIA_VERSION)
    assert now.vegf_value == 0.35  # nothing typed is lost
    notice = RuleChangeNotice.objects.get()
    assert "vegf_value, vegf_unit: vegf_value 0.35 pg/mL is below" in notice.refused
    assert "1 now refused" in out
    page = signed_in.get(reverse("assessment:summary", args=[case.pk])).content.decode()
    assert "the current rules refuse these findings" in page
    assert "VEGF 0.35 pg/mL is below every assay&#x27;s detection limit. Was it ng/mL?" in page


def test_a_withdrawn_case_is_brought_up_to_date_without_a_notice(v23_case, physician):
    Assessment.objects.filter(pk=v23_case.pk).update(status="complete")
    services.withdraw(Assessment.objects.get(pk=v23_case.pk), physician, "entered twice")

    reevaluate()

    assert Assessment.objects.get(pk=v23_case.pk).primary_verdict == "indeterminate"
    assert not RuleChangeNotice.objects.exists()


def test_a_japanese_result_never_stored_is_filled_in_without_a_notice(physician):
    case = make_assessment(physician, pn_present="no")
    stored_under_revision_1(case, japan_result="")

    reevaluate()

    assert Assessment.objects.get(pk=case.pk).japan_result == "does_not_meet"
    assert not RuleChangeNotice.objects.exists()


def test_a_case_saved_while_it_was_being_reevaluated_is_left_to_that_save(v23_case):
    stale = (v23_case.pk, v23_case.version, OLD_VERSION, "meets", "definite", [])
    Assessment.objects.filter(pk=v23_case.pk).update(version=v23_case.version + 1)

    assert reevaluation._store([stale]) == set()

    assert Assessment.objects.get(pk=v23_case.pk).primary_verdict == "does_not_meet"


def test_it_works_in_batches_and_reports_its_progress(physician):
    cases = [make_assessment(physician, patient_reference=f"MRN-{n}") for n in range(5)]
    for case in cases:
        stored_under_revision_1(case)
    err = io.StringIO()

    call_command("reevaluate", "--batch-size", "2", stdout=io.StringIO(), stderr=err)

    assert not reevaluation.stale_cases().exists()
    assert err.getvalue().splitlines()[-1] == "Re-evaluated 5/5 cases (100%)"


def test_the_admin_filters_cases_changed_by_a_rule_revision(v23_case, physician, admin_client):
    other = make_assessment(physician, patient_reference="MRN-STEADY", pn_present="no")
    stored_under_revision_1(other)
    reevaluate()
    url = reverse("admin:assessment_assessment_changelist")

    unseen = admin_client.get(url, {"rule_revision": "unseen"}).content.decode()

    assert "MRN-V23" in unseen and "MRN-STEADY" not in unseen
    assert "changed by a rule revision" in unseen
