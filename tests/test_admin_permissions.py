"""Every admin action and custom admin view asks for the permission it needs.

The actions and custom views are read from the admin itself, so one added later is checked too:
for each, a staff user holding every permission but the one it needs is refused, and changes
nothing; the same user given that permission gets through.
"""

import itertools

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth import get_user
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import Assessment
from assessment.steps import STEPS
from jobs.models import Job
from tests.assessment_helpers import make_assessment, make_physician

pytestmark = pytest.mark.django_db

MODEL_ADMIN = admin.site._registry[Assessment]
CHANGELIST = reverse("admin:assessment_assessment_changelist")
# What each action needs: its declared permission, as a codename of the Assessment model.
ACTION_PERMISSIONS = {
    "review": "review_assessment",
    "export": "export_assessments",
    "view": "view_assessment",
    "change": "change_assessment",
    "delete": "delete_assessment",
}
# The custom views (beyond Django's list/add/change/delete/history) and the permissions that
# open each (Django's change permission includes viewing).
CUSTOM_VIEWS = {
    "assessment_assessment_overview": {"view_assessment", "change_assessment"},
    "assessment_assessment_unlock": {"unlock_assessment"},
    "assessment_assessment_signed_document": {"view_assessment", "change_assessment"},
    "assessment_assessment_import": {"import_assessments"},
    "assessment_assessment_data_dictionary": {
        "view_assessment",
        "change_assessment",
        "export_assessments",
    },
}


def staff_with(*codenames):
    user = make_physician(f"staff-{next(_numbers)}")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


_numbers = itertools.count()


def every_assessment_permission():
    return set(
        Permission.objects.filter(content_type__app_label="assessment").values_list(
            "codename", flat=True
        )
    )


@pytest.fixture
def signed_case(physician):
    case = make_assessment(physician, patient_reference="MRN-SIGNED")
    case.completed_steps = [step.slug for step in STEPS]
    case = services.record(case)
    return services.sign(case, physician)


ACTIONS = [getattr(type(MODEL_ADMIN), name) for name in MODEL_ADMIN.actions]


def test_every_action_declares_its_permission():
    for action in ACTIONS:
        assert getattr(action, "allowed_permissions", ()), action.__name__


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.__name__)
def test_an_action_is_refused_to_staff_lacking_its_permission(action, signed_case):
    needed = {ACTION_PERMISSIONS[p] for p in action.allowed_permissions}
    refused = staff_with(*(every_assessment_permission() - needed))
    data = {"action": action.__name__, helpers.ACTION_CHECKBOX_NAME: [str(signed_case.pk)]}
    before = Assessment.objects.values().get(pk=signed_case.pk)

    response = refused.post(CHANGELIST, data, follow=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")  # no file came back
    assert "No action selected" in response.content.decode()
    assert Assessment.objects.values().get(pk=signed_case.pk) == before
    assert not Job.objects.exists()  # no job queued either


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.__name__)
def test_an_action_is_offered_to_staff_holding_its_permission(action, signed_case):
    needed = {ACTION_PERMISSIONS[p] for p in action.allowed_permissions}
    allowed = staff_with("view_assessment", *needed)

    page = allowed.get(CHANGELIST).content.decode()

    assert f'value="{action.__name__}"' in page


def test_a_view_only_staff_user_cannot_mark_cases_reviewed(signed_case):
    viewer = staff_with("view_assessment")
    data = {"action": "mark_reviewed", helpers.ACTION_CHECKBOX_NAME: [str(signed_case.pk)]}

    viewer.post(CHANGELIST, data)

    assert Assessment.objects.get(pk=signed_case.pk).review_status == "unreviewed"


def custom_views():
    default = {"changelist", "add", "history", "delete", "change"}
    names = []
    for pattern in MODEL_ADMIN.get_urls():
        name = pattern.name or ""
        if name.startswith("assessment_assessment_") and name.rsplit("_", 1)[-1] not in default:
            names.append(name)
    return names


def test_every_custom_view_is_classified():
    assert set(custom_views()) == set(CUSTOM_VIEWS)


@pytest.mark.parametrize("view", sorted(CUSTOM_VIEWS))
def test_a_custom_view_is_refused_to_staff_lacking_its_permission(view, signed_case):
    url = custom_view_url(view, signed_case)
    refused = staff_with(*(every_assessment_permission() - CUSTOM_VIEWS[view]))

    assert refused.get(url).status_code == 403
    assert refused.post(url, {"reason": "testing the door"}).status_code == 403
    assert Assessment.objects.get(pk=signed_case.pk).signed_at is not None


@pytest.mark.parametrize("view", sorted(CUSTOM_VIEWS))
def test_a_custom_view_answers_staff_holding_its_permission(view, signed_case):
    allowed = staff_with("view_assessment", *sorted(CUSTOM_VIEWS[view])[:1])

    assert allowed.get(custom_view_url(view, signed_case)).status_code == 200


def test_review_fields_are_read_only_without_the_review_permission(signed_case):
    editor = staff_with("view_assessment", "change_assessment")

    response = editor.get(reverse("admin:assessment_assessment_change", args=[signed_case.pk]))

    form = response.context["adminform"].form
    assert "review_status" not in form.fields and "review_comment" not in form.fields


def custom_view_url(name, case):
    if name in (
        "assessment_assessment_overview",
        "assessment_assessment_import",
        "assessment_assessment_data_dictionary",
    ):
        return reverse(f"admin:{name}")
    if name == "assessment_assessment_signed_document":
        return reverse(f"admin:{name}", args=[case.pk, case.signed_documents.get().pk])
    return reverse(f"admin:{name}", args=[case.pk])


# The jobs' admin (jobs app): its custom views, and the permissions each needs.

JOB_ADMIN = admin.site._registry[Job]
# The result's download also needs to be the job's requester (tests/test_roles.py).
JOB_CUSTOM_VIEWS = {
    "jobs_job_result": {"assessment.export_assessments"},
    "jobs_job_reevaluate": {"jobs.start_reevaluation"},
}


def job_custom_views():
    default = {"changelist", "add", "history", "delete", "change"}
    return [
        pattern.name
        for pattern in JOB_ADMIN.get_urls()
        if (pattern.name or "").startswith("jobs_job_")
        and pattern.name.rsplit("_", 1)[-1] not in default
    ]


def test_every_custom_view_of_the_jobs_is_classified():
    assert set(job_custom_views()) == set(JOB_CUSTOM_VIEWS)


def every_permission_but(needed):
    granted = set()
    for permission in Permission.objects.filter(content_type__app_label__in=["assessment", "jobs"]):
        name = f"{permission.content_type.app_label}.{permission.codename}"
        if name not in needed:
            granted.add(permission.codename)
    return granted


def job_of(client):
    """A succeeded job with a file, asked for by the client's user."""
    user = get_user(client)
    return Job.objects.create(
        kind=Job.Kind.CSV_EXPORT,
        requested_by=user,
        state=Job.State.SUCCEEDED,
        result=b"case_id\r\n",
        result_name="poems-assessments.csv",
        result_content_type="text/csv",
        expires_at=timezone.now() + timezone.timedelta(hours=1),
    )


def job_view_url(name, job):
    if name == "jobs_job_reevaluate":
        return reverse(f"admin:{name}")
    return reverse(f"admin:{name}", args=[job.pk])


@pytest.mark.parametrize("view", sorted(JOB_CUSTOM_VIEWS))
def test_a_job_view_is_refused_to_staff_lacking_its_permission(view):
    refused = staff_with(*every_permission_but(JOB_CUSTOM_VIEWS[view]))
    url = job_view_url(view, job_of(refused))

    response = refused.post(url) if view == "jobs_job_reevaluate" else refused.get(url)

    assert response.status_code == 403
    assert not Job.objects.filter(kind=Job.Kind.REEVALUATION).exists()


@pytest.mark.parametrize("view", sorted(JOB_CUSTOM_VIEWS))
def test_a_job_view_answers_staff_holding_its_permission(view):
    codenames = [name.split(".")[1] for name in JOB_CUSTOM_VIEWS[view]]
    allowed = staff_with(*codenames)
    url = job_view_url(view, job_of(allowed))

    if view == "jobs_job_reevaluate":
        assert allowed.get(url).status_code == 405  # a button, never a link
        response = allowed.post(url)
        job = Job.objects.get(kind=Job.Kind.REEVALUATION)
        assert response.url == reverse("admin:jobs_job_change", args=[job.pk])
    else:
        assert allowed.get(url).content == b"case_id\r\n"
