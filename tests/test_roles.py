"""The team's roles (review/roles.py): each group may do what its role says, and no more.

Each role's person is made as an admin makes them: put in the group and, but for physicians,
marked staff. Every admin action and custom view, and the admin's lists of people, are tried.
"""

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import Assessment
from assessment.steps import STEPS
from jobs.models import Job
from review.roles import ROLES
from tests.assessment_helpers import make_assessment, make_physician

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessment_assessment_changelist")
ACTIONS = list(admin.site._registry[Assessment].actions)
# What each role is offered of the assessments' admin actions.
OFFERED = {
    "Physicians": set(),
    "Reviewers": {"mark_reviewed"},
    "Data managers": {"download_pdfs", "export_csv", "export_fhir"},
    "Admins": set(ACTIONS),
}


def person(role):
    user = make_physician(f"{role.lower().replace(' ', '-')}-member")
    user.is_staff = role != "Physicians"
    user.save()
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def signed(physician):
    case = make_assessment(physician, patient_reference="MRN-ROLES")
    case.completed_steps = [step.slug for step in STEPS]
    return services.sign(services.record(case), physician)


def test_every_role_exists_with_exactly_its_permissions():
    for role, permissions in ROLES.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == set(permissions), role


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_offered_only_its_actions(role, signed):
    _, client = person(role)

    response = client.get(CHANGELIST)

    if role == "Physicians":
        assert response.status_code == 302  # to the admin's sign-in: not staff
        return
    offered = {action for action in ACTIONS if f'value="{action}"' in response.content.decode()}
    assert offered == OFFERED[role]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Physicians", False), ("Reviewers", False), ("Data managers", False), ("Admins", True)],
)
def test_only_admins_unlock(role, allowed, signed):
    _, client = person(role)
    url = reverse("admin:assessment_assessment_unlock", args=[signed.pk])

    response = client.post(url, {"reason": "a correction"})

    assert (Assessment.objects.get(pk=signed.pk).signed_at is None) is allowed
    assert response.status_code in ((302,) if allowed else (302, 403))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Physicians", False), ("Reviewers", False), ("Data managers", False), ("Admins", True)],
)
def test_only_admins_correct_findings_in_the_admin(role, allowed, physician):
    case = make_assessment(physician, patient_reference="MRN-EDIT")
    _, client = person(role)
    url = reverse("admin:assessment_assessment_change", args=[case.pk])
    page = client.get(url)
    if page.status_code != 200:
        assert not allowed
        return
    form = page.context["adminform"].form
    assert ("pn_present" in form.fields and not form.fields["pn_present"].disabled) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Physicians", False), ("Reviewers", True), ("Data managers", False), ("Admins", True)],
)
def test_reviewers_and_admins_ask_the_physician(role, allowed, physician):
    case = make_assessment(physician, patient_reference="MRN-ASK")
    _, client = person(role)

    client.post(reverse("admin:review_query_ask", args=[case.pk]), {"text": "Which CT?"})

    assert case.queries.exists() is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Physicians", False), ("Reviewers", False), ("Data managers", False), ("Admins", True)],
)
def test_only_admins_manage_people(role, allowed):
    _, client = person(role)

    response = client.get(reverse("admin:auth_user_changelist"))

    assert (response.status_code == 200) is allowed


def test_a_reviewer_marks_a_case_reviewed_without_changing_it(signed):
    _, client = person("Reviewers")
    before = Assessment.objects.values().get(pk=signed.pk)

    client.post(
        CHANGELIST, {"action": "mark_reviewed", helpers.ACTION_CHECKBOX_NAME: [str(signed.pk)]}
    )

    after = Assessment.objects.values().get(pk=signed.pk)
    assert after["review_status"] == "reviewed"
    changed = {key for key in after if after[key] != before[key]}
    assert changed == {"review_status", "reviewed_by_id", "reviewed_at"}


def test_the_app_offers_staff_the_way_to_the_review(physician):
    reviewer, client = person("Reviewers")

    assert "Review cases" in client.get(reverse("assessment:list")).content.decode()
    physician_client = Client()
    physician_client.force_login(physician)
    assert "Review cases" not in physician_client.get(reverse("assessment:list")).content.decode()


# Jobs (jobs app): who starts them, who sees them, who takes their files


def finished_job(user, kind="csv_export"):
    """A job of `user`'s as a worker leaves it (tests/test_jobs.py runs the worker itself)."""
    now = timezone.now()
    return Job.objects.create(
        kind=kind,
        requested_by=user,
        state=Job.State.SUCCEEDED,
        result=b"case_id\r\n",
        result_name="poems-assessments.csv",
        result_content_type="text/csv; charset=utf-8",
        finished_at=now,
        expires_at=now + timezone.timedelta(hours=1),
    )


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Physicians", False), ("Reviewers", False), ("Data managers", True), ("Admins", True)],
)
def test_only_data_managers_and_admins_start_exports_as_jobs(role, allowed, signed):
    _, client = person(role)

    for action in ("export_csv", "export_fhir", "download_pdfs"):
        client.post(CHANGELIST, {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(signed.pk)]})

    assert Job.objects.count() == (3 if allowed else 0)


@pytest.mark.parametrize(
    ("role", "status"),
    [("Physicians", 302), ("Reviewers", 403), ("Data managers", 200), ("Admins", 200)],
)
def test_the_list_of_jobs_is_for_those_who_start_them(role, status):
    _, client = person(role)

    assert client.get(reverse("admin:jobs_job_changelist")).status_code == status


def test_a_data_manager_sees_and_downloads_only_their_own_jobs():
    mine = finished_job(person("Data managers")[0])
    other_manager = make_physician("other-manager")
    other_manager.is_staff = True
    other_manager.save()
    other_manager.groups.add(Group.objects.get(name="Data managers"))
    theirs = finished_job(other_manager)
    user = mine.requested_by
    client = Client()
    client.force_login(user)

    listed = client.get(reverse("admin:jobs_job_changelist")).context["cl"].result_list

    assert list(listed) == [mine]
    assert client.get(reverse("admin:jobs_job_result", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:jobs_job_result", args=[theirs.pk])).status_code == 403
    # Another's job's page is not found for them, as the list does not show it.
    assert client.get(reverse("admin:jobs_job_change", args=[theirs.pk])).status_code == 302


def test_an_admin_sees_every_job_but_downloads_only_their_own():
    manager, _ = person("Data managers")
    theirs = finished_job(manager)
    admin_user, client = person("Admins")
    mine = finished_job(admin_user)

    listed = client.get(reverse("admin:jobs_job_changelist")).context["cl"].result_list

    assert set(listed) == {mine, theirs}
    assert client.get(reverse("admin:jobs_job_change", args=[theirs.pk])).status_code == 200
    assert client.get(reverse("admin:jobs_job_result", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("admin:jobs_job_result", args=[mine.pk])).status_code == 200


def test_a_result_is_not_served_once_its_requester_lost_the_export_permission():
    manager, client = person("Data managers")
    job = finished_job(manager)
    manager.groups.clear()
    manager.user_permissions.add(Permission.objects.get(codename="start_reevaluation"))

    assert client.get(reverse("admin:jobs_job_result", args=[job.pk])).status_code == 403


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Physicians", False), ("Reviewers", False), ("Data managers", False), ("Admins", True)],
)
def test_only_admins_start_a_reevaluation(role, allowed):
    _, client = person(role)

    client.post(reverse("admin:jobs_job_reevaluate"))

    assert Job.objects.filter(kind=Job.Kind.REEVALUATION).exists() is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("Physicians", False), ("Reviewers", False), ("Data managers", True), ("Admins", True)],
)
def test_data_managers_and_admins_import_cases(role, allowed, physician):
    _, client = person(role)
    upload = SimpleUploadedFile(
        "cases.csv", b"patient_reference,assessment_date,pn_present\nMRN-IMPORTED,2025-03-14,yes\n"
    )

    client.post(
        reverse("admin:assessment_assessment_import"),
        {"file": upload, "physician": physician.pk},
    )

    assert Assessment.objects.filter(patient_reference="MRN-IMPORTED").exists() is allowed
