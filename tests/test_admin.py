"""The admin: admins review, correct and unlock cases and read the audit trail; it decides no
criterion itself and changes a case only through the services, as the app does."""


import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertHTMLEqual

from assessment import admin as admin_module
from assessment import services
from assessment.admin import AssessmentAdmin
from assessment.counts import count_assessments
from assessment.models import AccessEvent, Assessment, AssessmentEvent
from assessment.steps import STEPS
from dbroles.privileges import as_owner
from jobs.models import Job
from tests.assessment_helpers import ASSESSMENT_DATE, make_assessment
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db

BY_ID = {vignette["id"]: vignette["findings"] for vignette in VIGNETTES}
CHANGELIST = reverse("admin:assessment_assessment_changelist")
OVERVIEW = reverse("admin:assessment_assessment_overview")


def change_url(assessment):
    return reverse("admin:assessment_assessment_change", args=[assessment.pk])


def unlock_url(assessment):
    return reverse("admin:assessment_assessment_unlock", args=[assessment.pk])


def from_vignette(owner, vignette_id, **changes):
    return make_assessment(
        owner, patient_reference=f"MRN-{vignette_id}", **{**BY_ID[vignette_id], **changes}
    )


def complete(assessment):
    assessment.completed_steps = [step.slug for step in STEPS]
    return services.record(assessment)


def admin_post_data(client, url, **changes):
    """What a browser posts from the admin's change page: every editable field, as shown."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = {}
    for bound in response.context["adminform"].form:
        if not bound.field.disabled:
            value = bound.value()
            data[bound.name] = "" if value is None else value
    data.update(changes)
    return data


def shown(response):
    return [assessment.patient_reference for assessment in response.context["cl"].result_list]


# The list


def test_the_list_shows_each_case_with_its_filters(admin_client, physician):
    from_vignette(physician, "V01")

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert shown(response) == ["MRN-V01"]
    content = response.content.decode()
    for title in ["primary verdict", "status", "review", "owner", "assessment date"]:
        assert f"By {title}" in content
    assert "Meets the criteria" in content
    # Dates as the app shows them, in the server's time zone.
    assessment = Assessment.objects.get()
    assert f'<td class="field-assessed_on">{assessment.assessment_date:%Y-%m-%d}</td>' in content
    updated = timezone.localtime(assessment.updated_at)
    assert f'<td class="field-updated">{updated:%Y-%m-%d %H:%M}</td>' in content


def test_the_search_finds_a_patient_reference_by_any_part_of_it(admin_client, physician):
    make_assessment(physician, patient_reference="DEMO-V24")
    make_assessment(physician, patient_reference="MRN-2001")
    make_assessment(physician, patient_reference="XV24-1002")

    response = admin_client.get(CHANGELIST, {"q": "v24"})

    assert sorted(shown(response)) == ["DEMO-V24", "XV24-1002"]


def test_filtering_by_verdict_shows_only_the_meeting_cases(admin_client, physician):
    from_vignette(physician, "V01")
    from_vignette(physician, "V02")
    from_vignette(physician, "V13")

    response = admin_client.get(CHANGELIST, {"primary_verdict__exact": "meets"})

    assert shown(response) == ["MRN-V01"]


def test_the_lists_query_count_does_not_grow_with_the_cases(admin_client, physician):
    def queries_for_the_list():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(queries)

    make_assessment(physician, patient_reference="MRN-0")
    services.review(Assessment.objects.get(), physician, "reviewed", "")
    queries_for_the_list()  # the first request after signing in also renews the session
    one = queries_for_the_list()
    for number in range(1, 30):
        assessment = make_assessment(physician, patient_reference=f"MRN-{number}")
        services.review(assessment, physician, "reviewed", "")

    assert queries_for_the_list() == one


def test_the_counts_follow_every_insert_delete_change_of_owner_and_truncation(
    transactional_db, physician, other_physician
):
    def counts():
        return count_assessments(), count_assessments(physician), count_assessments(other_physician)

    for number in range(4):
        make_assessment(physician, patient_reference=f"MRN-{number}")
    Assessment.objects.bulk_create(
        [
            Assessment(
                owner=other_physician, patient_reference=f"OTH-{n}", assessment_date=ASSESSMENT_DATE
            )
            for n in range(3)
        ]
    )
    assert counts() == (7, 4, 3)

    Assessment.objects.filter(patient_reference__in=["MRN-0", "MRN-1", "OTH-0"]).delete()
    assert counts() == (4, 2, 2)

    Assessment.objects.filter(patient_reference="MRN-2").update(owner=other_physician)
    assert counts() == (4, 1, 3)
    assert count_assessments(physician) == Assessment.objects.filter(owner=physician).count()

    # Only the owner may truncate (the app's role may not: dbroles), as a flush does.
    with as_owner() as owner, owner.cursor() as cursor:
        cursor.execute("TRUNCATE assessment_assessment CASCADE")
    assert counts() == (0, 0, 0)


def test_saving_a_step_leaves_the_counts_alone(physician):
    assessment = make_assessment(physician)
    with connection.cursor() as cursor:
        # Any update of the row, even to the same number, would give it a new ctid.
        cursor.execute("SELECT ctid FROM assessment_count_by_owner")
        (before,) = cursor.fetchone()
        assessment.pn_present = "yes"
        services.record(assessment)
        cursor.execute("SELECT ctid, assessments FROM assessment_count_by_owner")
        assert cursor.fetchone() == (before, 1)


def test_the_unfiltered_list_reads_the_archive_count_instead_of_counting(admin_client, physician):
    for number in range(3):
        make_assessment(physician, patient_reference=f"MRN-{number}")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(CHANGELIST)

    assert response.context["cl"].result_count == 3
    assert "3 assessments" in response.content.decode()
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert counts == []


def test_a_searched_list_counts_its_matches(admin_client, physician):
    for number in range(3):
        make_assessment(physician, patient_reference=f"MRN-{number}")

    response = admin_client.get(CHANGELIST, {"q": "mrn-1"})

    assert response.context["cl"].result_count == 1
    assert "1 result" in response.content.decode()


def test_each_rows_checkbox_is_djangos_own(admin_client, physician):
    assessment = make_assessment(physician, patient_reference="MRN-<1&2>")
    ours = AssessmentAdmin(Assessment, admin.site).action_checkbox(assessment)
    djangos = admin.ModelAdmin(Assessment, admin.site).action_checkbox(assessment)

    assertHTMLEqual(ours, djangos)
    content = admin_client.get(CHANGELIST).content.decode()
    assert ours in content


# The change page


def test_the_change_page_shows_the_evaluation(admin_client, physician):
    assessment = from_vignette(physician, "V09")

    response = admin_client.get(change_url(assessment))

    content = response.content.decode()
    assert "Meets the updated Dispenzieri criteria" in content
    assert "Criteria matrix" in content
    for warning_id in ["W_KAPPA", "W_CIDP_MISDIAGNOSIS", "W_VEGF_CONFOUNDERS"]:
        assert f'data-warning="{warning_id}"' in content


def test_the_change_page_has_one_fieldset_per_step(admin_client, physician):
    assessment = from_vignette(physician, "V01")

    response = admin_client.get(change_url(assessment))

    titles = [fieldset.name for fieldset in response.context["adminform"]]
    assert titles == ["Record", "Review", *(step.title for step in STEPS)]
    assert STEPS[2].guidance in response.content.decode()


def test_the_change_page_shows_who_changed_what_from_what_to_what(
    admin_client, admin_user, physician
):
    assessment = from_vignette(physician, "V01")
    url = change_url(assessment)
    admin_client.post(url, admin_post_data(admin_client, url, pn_painful="no"))

    response = admin_client.get(url)

    assert [event["label"] for event in response.context["history"]] == ["update", "insert"]
    latest = response.context["history"][0]
    assert latest["user"] == admin_user
    assert ("painful neuropathy", "Yes", "No") in latest["changes"]
    assert "painful neuropathy</strong>: Yes → No" in response.content.decode()


# Editing findings


def test_a_contradiction_is_refused_beside_its_fields_and_nothing_is_saved(admin_client, physician):
    assessment = from_vignette(physician, "V01")
    url = change_url(assessment)
    data = admin_post_data(admin_client, url, lymphadenopathy="no", lymph_node_histology="reactive")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "lymphadenopathy is No" in errors["lymphadenopathy"][0]
    assert "lymphadenopathy is No" in errors["lymph_node_histology"][0]
    saved = Assessment.objects.get(pk=assessment.pk)
    assert (saved.lymphadenopathy, saved.version) == ("yes", assessment.version)


def test_a_valid_edit_is_recorded_with_its_new_verdict(admin_client, physician):
    assessment = from_vignette(physician, "V01")
    url = change_url(assessment)

    response = admin_client.post(url, admin_post_data(admin_client, url, pn_present="no"))

    assert response.status_code == 302
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.pn_present == "no"
    assert saved.primary_verdict == Assessment.Verdict.DOES_NOT_MEET
    assert saved.version == assessment.version + 1
    assert "W_NO_PN" in saved.warning_ids


def test_an_edit_over_a_newer_save_is_refused(admin_client, physician):
    assessment = from_vignette(physician, "V01")
    url = change_url(assessment)
    data = admin_post_data(admin_client, url, pn_present="no")
    assessment.pn_painful = "no"
    services.record(assessment)  # the physician saves while the admin's page is open

    response = admin_client.post(url, data)

    assert "saved elsewhere" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).pn_present == "yes"


def test_a_signed_cases_findings_are_read_only_and_a_forced_post_changes_nothing(
    admin_client, physician
):
    assessment = services.sign(complete(from_vignette(physician, "V01")), physician)
    url = change_url(assessment)
    findings_before = services.findings_sha256(Assessment.objects.get(pk=assessment.pk))
    data = admin_post_data(admin_client, url)
    assert "pn_present" not in data
    assert set(data) <= {"version", "review_status", "review_comment"}

    response = admin_client.post(url, {**data, "pn_present": "no", "patient_reference": "MRN-X"})

    assert response.status_code == 302

    saved = Assessment.objects.get(pk=assessment.pk)
    assert (saved.pn_present, saved.patient_reference) == ("yes", "MRN-V01")
    assert services.findings_sha256(saved) == findings_before
    assert saved.signed_findings_sha256 == assessment.signed_findings_sha256


def test_only_a_draft_can_be_deleted(admin_client, physician):
    draft = make_assessment(physician, patient_reference="MRN-DRAFT")
    done = complete(from_vignette(physician, "V01"))

    def delete(assessment):
        url = reverse("admin:assessment_assessment_delete", args=[assessment.pk])
        return admin_client.post(url, {"post": "yes"})

    assert delete(done).status_code == 403
    assert delete(draft).status_code == 302
    assert list(Assessment.objects.all()) == [done]


# Review


def test_reviewing_on_the_change_page_sets_the_reviewer_and_the_time(
    admin_client, admin_user, physician
):
    assessment = from_vignette(physician, "V01")
    url = change_url(assessment)
    data = admin_post_data(
        admin_client, url, review_status="needs_follow_up", review_comment="Repeat VEGF"
    )

    admin_client.post(url, data)

    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.review_status == Assessment.ReviewStatus.NEEDS_FOLLOW_UP
    assert saved.review_comment == "Repeat VEGF"
    assert saved.reviewed_by == admin_user
    assert saved.reviewed_at is not None
    assert saved.version == assessment.version  # a review is not a change of findings


def test_a_signed_case_can_still_be_reviewed(admin_client, admin_user, physician):
    assessment = services.sign(complete(from_vignette(physician, "V01")), physician)
    url = change_url(assessment)

    admin_client.post(url, admin_post_data(admin_client, url, review_status="reviewed"))

    saved = Assessment.objects.get(pk=assessment.pk)
    assert (saved.review_status, saved.reviewed_by) == ("reviewed", admin_user)
    assert saved.is_locked


def test_the_action_marks_the_selected_cases_reviewed(admin_client, admin_user, physician):
    chosen = make_assessment(physician, patient_reference="MRN-1")
    other = make_assessment(physician, patient_reference="MRN-2")

    admin_client.post(CHANGELIST, {"action": "mark_reviewed", "_selected_action": [str(chosen.pk)]})

    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.review_status, chosen.reviewed_by) == ("reviewed", admin_user)
    assert chosen.reviewed_at is not None
    assert other.review_status == "unreviewed"


# Downloads


def run_action(client, action, *assessments):
    selected = [str(assessment.pk) for assessment in assessments]
    return client.post(CHANGELIST, {"action": action, "_selected_action": selected})


@pytest.mark.parametrize(
    ("action", "kind"),
    [("download_pdfs", "pdf_zip"), ("export_csv", "csv_export"), ("export_fhir", "fhir_export")],
)
def test_an_export_action_queues_a_job_of_the_selected_cases_and_shows_it(
    admin_client, admin_user, physician, action, kind
):
    # The file itself is made by a worker: tests/test_jobs.py.
    first = from_vignette(physician, "V01")
    second = from_vignette(physician, "V02")
    from_vignette(physician, "V09")  # not selected

    response = run_action(admin_client, action, first, second)

    job = Job.objects.get()
    assert (job.kind, job.requested_by, job.state) == (kind, admin_user, "queued")
    assert sorted(job.cases) == sorted([first.pk, second.pk])
    assert response.status_code == 302
    assert response.url == reverse("admin:jobs_job_change", args=[job.pk])
    page = admin_client.get(response.url).content.decode()
    assert "is queued: this page follows it" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "0 of 2 cases" in page


def test_a_zip_of_too_many_pdfs_is_refused_with_a_message(admin_client, physician, monkeypatch):
    monkeypatch.setattr(admin_module, "MOST_PDFS", 1)
    chosen = [make_assessment(physician, patient_reference=f"MRN-{n}") for n in range(2)]

    response = admin_client.post(
        CHANGELIST,
        {"action": "download_pdfs", "_selected_action": [str(case.pk) for case in chosen]},
        follow=True,
    )

    assert "Select at most 1 assessments" in response.content.decode()
    assert not Job.objects.exists()


# Unlocking


def test_a_signed_case_shows_its_signature_and_offers_unlocking(admin_client, physician):
    assessment = services.sign(complete(from_vignette(physician, "V01")), physician)

    response = admin_client.get(change_url(assessment))

    content = response.content.decode()
    assert unlock_url(assessment) in content
    assert f"findings SHA-256 <code>{assessment.signed_findings_sha256}</code>" in content


def test_unlocking_without_a_reason_is_refused(admin_client, physician):
    assessment = services.sign(complete(from_vignette(physician, "V01")), physician)

    response = admin_client.post(unlock_url(assessment), {"reason": "   "}, follow=True)

    assert "Give the reason for unlocking" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.is_locked


def test_unlocking_with_a_reason_keeps_it_in_the_audit_trail(admin_client, admin_user, physician):
    assessment = services.sign(complete(from_vignette(physician, "V01")), physician)

    response = admin_client.post(unlock_url(assessment), {"reason": "Wrong patient reference"})

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert not assessment.is_locked
    latest = AssessmentEvent.objects.filter(pgh_obj=assessment).latest("pgh_id")
    assert latest.pgh_context.metadata["unlock_reason"] == "Wrong patient reference"
    assert latest.pgh_context.metadata["user"] == admin_user.pk


# The audit trail


@pytest.fixture
def audit_rows(physician):
    assessment = from_vignette(physician, "V01")
    services.record_access(assessment, physician, AccessEvent.Kind.SUMMARY)
    event = AssessmentEvent.objects.get(pgh_obj=assessment)
    access = AccessEvent.objects.get()
    return [("assessmentevent", event.pk), ("accessevent", access.pk)]


def test_audit_rows_are_visible_to_admins(admin_client, audit_rows):
    for model, pk in audit_rows:
        assert admin_client.get(reverse(f"admin:assessment_{model}_changelist")).status_code == 200
        assert (
            admin_client.get(reverse(f"admin:assessment_{model}_change", args=[pk])).status_code
            == 200
        )


def test_audit_rows_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, audit_rows):
    for model, pk in audit_rows:
        add = reverse(f"admin:assessment_{model}_add")
        change = reverse(f"admin:assessment_{model}_change", args=[pk])
        delete = reverse(f"admin:assessment_{model}_delete", args=[pk])
        assert admin_client.post(add, {}).status_code == 403
        assert admin_client.post(change, {}).status_code == 403
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AssessmentEvent.objects.count() == 1
    assert AccessEvent.objects.count() == 1


def test_history_contexts_cannot_be_changed_in_the_admin(admin_client, physician):
    assessment = services.sign(complete(from_vignette(physician, "V01")), physician)
    services.unlock(assessment, physician, "Typo")
    context = AssessmentEvent.objects.filter(pgh_obj=assessment).latest("pgh_id").pgh_context
    change = reverse("admin:pghistory_context_change", args=[context.pk])

    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"metadata": "{}"}).status_code == 403
    delete = reverse("admin:pghistory_context_delete", args=[context.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    context.refresh_from_db()
    assert context.metadata["unlock_reason"] == "Typo"


# The overview


def test_the_overview_counts_verdicts_statuses_and_warnings(admin_client, physician):
    from_vignette(physician, "V01")
    from_vignette(physician, "V09")
    complete(from_vignette(physician, "V17"))

    response = admin_client.get(OVERVIEW)

    assert response.status_code == 200
    by_verdict = {row["label"]: row["count"] for row in response.context["by_verdict"]}
    assert by_verdict == {
        "Meets the criteria": 2,
        "Does not meet the criteria": 1,
        "Indeterminate": 0,
    }
    by_status = {row["label"]: row["count"] for row in response.context["by_status"]}
    assert by_status == {"Draft": 2, "Complete": 1}
    top = response.context["top_warnings"]
    assert top[0] == {"label": "W_KAPPA", "count": 2, "percent": 100}
    assert len(top) <= 10
    assert "W_KAPPA" in response.content.decode()


def test_the_home_page_links_to_the_overview(admin_client):
    assert OVERVIEW in admin_client.get(reverse("admin:index")).content.decode()


# Who may enter


@pytest.mark.parametrize(
    "url",
    [CHANGELIST, OVERVIEW, reverse("admin:assessment_assessmentevent_changelist")],
)
def test_a_physician_who_is_not_staff_is_sent_to_the_login(client, physician, url):
    client.force_login(physician)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_physician_cannot_unlock_through_the_admin(client, physician):
    assessment = services.sign(complete(from_vignette(physician, "V01")), physician)
    client.force_login(physician)

    client.post(unlock_url(assessment), {"reason": "I want to edit it"})

    assessment.refresh_from_db()
    assert assessment.is_locked


# Histories and access, in people's words


def test_the_history_names_who_unlocked_by_name_not_by_id(admin_client, admin_user, physician):
    case = complete(make_assessment(physician, patient_reference="MRN-NAMES"))
    case = services.sign(case, physician)
    admin_client.post(unlock_url(case), {"reason": "a typo in the reference"})

    content = admin_client.get(change_url(case)).content.decode()

    assert f"<em>unlocked by</em>: {admin_user.get_username()}" in content
    assert f"<em>unlocked by</em>: {admin_user.pk}<" not in content


def test_the_audit_trail_list_has_readable_headings(admin_client, physician):
    make_assessment(physician, patient_reference="MRN-HEADINGS")

    content = admin_client.get(reverse("admin:assessment_assessmentevent_changelist")).content
    page = content.decode()

    for heading in ("When", "Event", "Assessment", "Who and where"):
        assert f">{heading}</a>" in page or f">{heading}</span>" in page, heading
    assert "Pgh obj" not in page and "PGH" not in page


def test_opening_a_case_in_the_admin_is_recorded(admin_client, admin_user, physician):
    case = make_assessment(physician, patient_reference="MRN-SEEN")

    admin_client.get(change_url(case))

    assert AccessEvent.objects.filter(assessment=case, user=admin_user, kind="admin").count() == 1


def test_the_lean_renderer_draws_every_field_as_djangos_templates_do(admin_client, physician):
    from django.forms.renderers import DjangoTemplates

    from assessment.rendering import LeanRenderer

    case = from_vignette(physician, "V01", sex="female")  # a value of every kind
    form = admin_client.get(change_url(case)).context["adminform"].form
    refused = type(form)(
        {"vegf_value": "lots", "review_status": "x", "patient_reference": "a\\tb"},
        instance=case,
    )
    refused.is_valid()
    assert refused.errors
    for shown in (form, refused):
        assert isinstance(shown.renderer, LeanRenderer)
        lean = [(str(b), str(b.label_tag())) for b in shown]
        shown.renderer = DjangoTemplates()
        django = [(str(b), str(b.label_tag())) for b in shown]
        assert lean == django
