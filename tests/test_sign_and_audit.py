"""Signing locks an assessment; nothing is deleted but drafts; every change and every look at
a case is recorded by the database, in the same transaction as the change."""

import pytest
from django.core.cache import cache
from django.db import Error as DatabaseError
from django.db import transaction
from django.urls import reverse

from assessment import services
from assessment.models import AccessEvent, Assessment, AssessmentEvent
from assessment.steps import STEPS
from tests.assessment_helpers import make_assessment, step_post_data
from tests.criteria.vignettes import VIGNETTES

V01 = next(v for v in VIGNETTES if v["id"] == "V01")


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The signing throttle lives in the cache, which outlives a test's transaction.
    cache.clear()


@pytest.fixture
def signed_in(client, physician):
    client.force_login(physician)
    return client


def complete_assessment(owner, **findings):
    assessment = make_assessment(owner, **{**V01["findings"], **findings})
    assessment.completed_steps = [step.slug for step in STEPS]
    return services.record(assessment)


def sign_url(assessment):
    return reverse("assessment:sign", args=[assessment.pk])


def test_it_signs_a_complete_assessment_with_the_physicians_password(signed_in, physician):
    assessment = complete_assessment(physician)

    response = signed_in.post(sign_url(assessment), {"password": "ada passphrase"})

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.signed_by == physician
    assert assessment.signed_at is not None
    assert assessment.signed_findings_sha256 == services.findings_sha256(assessment)
    assert assessment.is_locked


def test_the_findings_hash_is_the_same_before_and_after_saving(physician):
    built = make_assessment(physician, age_years=52, platelets_10e9_l=560)

    reloaded = Assessment.objects.get(pk=built.pk)

    assert services.findings_sha256(built) == services.findings_sha256(reloaded)


def test_it_refuses_a_wrong_password(signed_in, physician):
    assessment = complete_assessment(physician)

    response = signed_in.post(sign_url(assessment), {"password": "guess"}, follow=True)

    assert "not right" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.signed_at is None


def test_it_pauses_signing_after_five_wrong_passwords(signed_in, physician):
    assessment = complete_assessment(physician)
    for _ in range(5):
        signed_in.post(sign_url(assessment), {"password": "guess"})

    response = signed_in.post(sign_url(assessment), {"password": "ada passphrase"}, follow=True)

    assert "Too many wrong passwords" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.signed_at is None


def test_it_refuses_to_sign_a_draft(signed_in, physician):
    draft = make_assessment(physician)

    response = signed_in.post(sign_url(draft), {"password": "ada passphrase"}, follow=True)

    assert "Only a complete assessment can be signed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.signed_at is None


def test_it_rejects_another_physician_on_every_action(client, physician, other_physician):
    assessment = complete_assessment(physician)
    client.force_login(other_physician)
    for name, data in [("sign", {"password": "grace passphrase"}), ("withdraw", {"reason": "x"})]:
        response = client.post(reverse(f"assessment:{name}", args=[assessment.pk]), data)
        assert response.status_code == 404
    assert client.post(reverse("assessment:delete", args=[assessment.pk])).status_code == 404
    assessment.refresh_from_db()
    assert (assessment.signed_at, assessment.withdrawn_at) == (None, None)


def test_a_signed_assessment_refuses_edits_with_403(signed_in, physician):
    assessment = complete_assessment(physician)
    url = reverse("assessment:step", args=[assessment.pk, "neuropathy"])
    data = step_post_data(signed_in, url, pn_present="no", action="continue")
    services.sign(assessment, physician)

    response = signed_in.post(url, data)

    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.pn_present == "yes"


def test_a_signed_assessments_steps_are_shown_read_only(signed_in, physician):
    assessment = services.sign(complete_assessment(physician), physician)

    response = signed_in.get(reverse("assessment:step", args=[assessment.pk, "neuropathy"]))

    assert response.status_code == 200
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert "Save and continue" not in response.content.decode()


def test_the_services_refuse_to_change_a_signed_assessment(physician):
    assessment = services.sign(complete_assessment(physician), physician)
    assessment.pn_present = "no"

    with pytest.raises(services.Refused):
        services.record(assessment)


def test_unlocking_needs_a_reason(physician, admin_user):
    assessment = services.sign(complete_assessment(physician), physician)

    with pytest.raises(services.Refused):
        services.unlock(assessment, admin_user, "  ")
    assessment.refresh_from_db()
    assert assessment.is_locked


def test_unlocking_records_the_reason_in_the_audit_trail(physician, admin_user):
    assessment = services.sign(complete_assessment(physician), physician)

    services.unlock(assessment, admin_user, "Wrong patient reference typed")

    assessment.refresh_from_db()
    assert not assessment.is_locked
    latest = AssessmentEvent.objects.filter(pgh_obj=assessment).latest("pgh_id")
    assert latest.pgh_context.metadata["unlock_reason"] == "Wrong patient reference typed"
    assert latest.signed_at is None


def test_a_complete_assessment_is_withdrawn_not_deleted(signed_in, physician):
    assessment = complete_assessment(physician)

    refused = signed_in.post(reverse("assessment:delete", args=[assessment.pk]), follow=True)
    withdrawn = signed_in.post(
        reverse("assessment:withdraw", args=[assessment.pk]), {"reason": "Duplicate entry"}
    )

    assert "Only a draft can be deleted" in refused.content.decode()
    assert withdrawn.status_code == 302
    assessment.refresh_from_db()
    assert assessment.withdrawal_reason == "Duplicate entry"
    assert assessment.is_locked


def test_withdrawing_needs_a_reason(signed_in, physician):
    assessment = complete_assessment(physician)

    response = signed_in.post(
        reverse("assessment:withdraw", args=[assessment.pk]), {"reason": ""}, follow=True
    )

    assert "Give the reason" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.withdrawn_at is None


def test_a_physician_may_delete_a_draft(signed_in, physician):
    draft = make_assessment(physician)

    response = signed_in.post(reverse("assessment:delete", args=[draft.pk]))

    assert response.status_code == 302
    assert not Assessment.objects.filter(pk=draft.pk).exists()


def test_every_save_through_the_form_is_in_the_history_with_user_and_url(signed_in, physician):
    assessment = make_assessment(physician)
    url = reverse("assessment:step", args=[assessment.pk, "bone"])

    signed_in.post(url, step_post_data(signed_in, url, bone_imaging="mri", action="draft"))

    latest = AssessmentEvent.objects.filter(pgh_obj=assessment).latest("pgh_id")
    assert latest.pgh_label == "update"
    assert latest.bone_imaging == "mri"
    assert latest.pgh_context.metadata["user"] == physician.pk
    assert latest.pgh_context.metadata["url"] == url


def test_history_rows_are_written_in_the_same_transaction_as_the_change(physician):
    assessment = make_assessment(physician)
    before = AssessmentEvent.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        assessment.pn_present = "yes"
        services.record(assessment)
        assert AssessmentEvent.objects.count() == before + 1
        raise RuntimeError("the save fails after writing")

    assert AssessmentEvent.objects.count() == before


def test_bulk_updates_are_in_the_history_too(physician):
    assessment = make_assessment(physician)
    before = AssessmentEvent.objects.filter(pgh_obj=assessment).count()

    Assessment.objects.filter(pk=assessment.pk).update(review_comment="Bulk note")

    events = AssessmentEvent.objects.filter(pgh_obj=assessment)
    assert events.count() == before + 1
    assert events.latest("pgh_id").review_comment == "Bulk note"


def test_history_rows_cannot_be_changed_or_deleted(physician):
    make_assessment(physician)

    with pytest.raises(DatabaseError), transaction.atomic():
        AssessmentEvent.objects.update(review_comment="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AssessmentEvent.objects.all().delete()


def test_viewing_a_summary_is_recorded_as_an_access_event(signed_in, physician):
    assessment = make_assessment(physician)

    signed_in.get(reverse("assessment:summary", args=[assessment.pk]))

    [event] = AccessEvent.objects.filter(assessment=assessment)
    assert (event.user, event.kind) == (physician, AccessEvent.Kind.SUMMARY)


def test_access_events_cannot_be_changed_or_deleted(signed_in, physician):
    assessment = make_assessment(physician)
    signed_in.get(reverse("assessment:summary", args=[assessment.pk]))

    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.update(kind=AccessEvent.Kind.PDF)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all().delete()


def test_another_physician_viewing_nothing_leaves_no_access_event(
    client, physician, other_physician
):
    assessment = make_assessment(physician)
    client.force_login(other_physician)

    assert client.get(reverse("assessment:summary", args=[assessment.pk])).status_code == 404
    assert not AccessEvent.objects.exists()


def test_the_summary_shows_the_signature_and_the_review(signed_in, physician, admin_user):
    assessment = services.sign(complete_assessment(physician), physician)
    services.review(assessment, admin_user, Assessment.ReviewStatus.NEEDS_FOLLOW_UP, "Repeat VEGF")

    page = signed_in.get(reverse("assessment:summary", args=[assessment.pk])).content.decode()

    assert assessment.signed_findings_sha256 in page
    assert "Needs follow-up" in page and "Repeat VEGF" in page
