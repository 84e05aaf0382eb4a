"""Every input has bounds, and bad input is refused with a message, never a 500.

Sign-in (the app's and the admin's), reasons and comments, patient references, dates, the
admin's list filters and every admin action: each is fed what an attacker or a slip of the
fingers sends, by hand and by hypothesis.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import services
from assessment.models import TEXT_MOST_CHARACTERS, Assessment
from assessment.steps import STEPS
from tests.assessment_helpers import make_assessment, step_post_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:assessment_assessment_changelist")
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
nasty = st.one_of(
    text,
    st.sampled_from(["\x00", "x\x00y", "", " ", "%00", "[]", "{}", "x" * 300, "9" * 40]),
    st.integers(min_value=1, max_value=5000).map(lambda n: "a" * n),
)


@pytest.mark.parametrize("url", [reverse("login"), reverse("admin:login")])
@pytest.mark.parametrize(
    ("username", "says"),
    [("x" * 256, "at most 150 characters"), ("a\x00b", "Null characters are not allowed")],
    ids=["256-characters", "nul"],
)
def test_sign_in_refuses_an_impossible_username_with_a_message(client, url, username, says):
    response = client.post(url, {"username": username, "password": "a guess"})

    assert response.status_code == 200
    assert says in response.content.decode()


@FUZZ
@given(username=nasty, password=nasty)
def test_any_sign_in_answers_without_a_server_error(db, username, password):
    for url in (reverse("login"), reverse("admin:login")):
        response = Client().post(url, {"username": username, "password": password})
        assert response.status_code in (200, 302, 403, 429), (url, response.status_code)


def test_a_withdrawal_reason_of_a_whole_document_is_refused(client, physician):
    client.force_login(physician)
    case = complete(make_assessment(physician))

    response = client.post(
        reverse("assessment:withdraw", args=[case.pk]), {"reason": "x" * 2_000_000}, follow=True
    )

    assert f"keep it to {TEXT_MOST_CHARACTERS}" in response.content.decode()
    assert Assessment.objects.get(pk=case.pk).withdrawn_at is None


def test_a_reason_within_bounds_is_kept(physician):
    case = complete(make_assessment(physician))

    services.withdraw(case, physician, "r" * TEXT_MOST_CHARACTERS)

    assert len(Assessment.objects.get(pk=case.pk).withdrawal_reason) == TEXT_MOST_CHARACTERS


def test_an_unlock_reason_and_a_review_comment_have_bounds_too(physician, admin_user):
    case = services.sign(complete(make_assessment(physician)), physician)
    with pytest.raises(services.Refused, match="keep it to"):
        services.unlock(case, admin_user, "u" * (TEXT_MOST_CHARACTERS + 1))
    with pytest.raises(services.Refused, match="keep it to"):
        services.review(case, admin_user, "reviewed", "c" * (TEXT_MOST_CHARACTERS + 1))


@pytest.mark.parametrize("reference", ["MRN-1\r\nX-Header: 1", "MRN\t2", "MRN\x1b[31m"])
def test_a_patient_reference_with_control_characters_is_refused(client, physician, reference):
    client.force_login(physician)
    url = reverse("assessment:new")
    data = step_post_data(client, url, patient_reference=reference, action="continue")

    response = client.post(url, data)

    assert response.status_code == 400
    assert "control characters" in str(response.context["form"].errors["patient_reference"])
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("date", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_an_implausible_assessment_date_is_refused(client, physician, date):
    client.force_login(physician)
    url = reverse("assessment:new")
    data = step_post_data(client, url, patient_reference="MRN-D", assessment_date=date)

    response = client.post(url, data)

    assert response.status_code == 400
    assert "Give a date from 1900-01-01 to today" in str(
        response.context["form"].errors["assessment_date"]
    )


def test_todays_date_and_a_date_of_1900_are_accepted(client, physician):
    client.force_login(physician)
    url = reverse("assessment:new")
    for date in ("1900-01-01", timezone.localdate().isoformat()):
        data = step_post_data(client, url, patient_reference=f"MRN-{date}", assessment_date=date)
        assert client.post(url, data).status_code == 302, date
    assert Assessment.objects.get(patient_reference="MRN-1900-01-01").assessment_date == (
        datetime.date(1900, 1, 1)
    )


@pytest.mark.parametrize(
    "query",
    [
        {"primary_verdict__exact": "\x00"},
        {"status__exact": "\x00"},
        {"q": "MRN\x00"},
        {"warning_ids__contains": "x"},
        {"owner__id__exact": "abc"},
        {"assessment_date__gte": "not a date"},
    ],
    ids=["verdict-nul", "status-nul", "search-nul", "array-lookup", "owner-text", "bad-date"],
)
def test_a_bad_admin_filter_is_refused_or_empty(admin_client, physician, query):
    make_assessment(physician, patient_reference="MRN-ONE")

    response = admin_client.get(CHANGELIST, query)

    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 200:
        assert "MRN-ONE" not in response.content.decode()


ADMIN_LISTS = [
    reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for model in admin.site._registry
]
LIST_PARAMETERS = st.sampled_from(
    [
        "q",
        "o",
        "p",
        "e",
        "primary_verdict__exact",
        "status__exact",
        "review_status__exact",
        "owner__id__exact",
        "assessment_date__gte",
        "assessment_date__lt",
        "rule_revision",
        "kind__exact",
        "warning_ids__contains",
        "pgh_obj__id__exact",
        "is_staff__exact",
        "seen_at__isnull",
        "\x00",
    ]
)


@FUZZ
@given(url=st.sampled_from(ADMIN_LISTS), query=st.dictionaries(LIST_PARAMETERS, nasty, max_size=3))
def test_any_admin_list_filter_answers_without_a_server_error(admin_client, url, query):
    response = admin_client.get(url, query)

    assert response.status_code in (200, 302, 400), (url, query, response.status_code)


ACTIONS = list(admin.site._registry[Assessment].actions)


@FUZZ
@given(
    action=st.sampled_from([*ACTIONS, "delete_selected", "nothing", "\x00", ""]),
    selected=st.lists(st.one_of(st.just("case"), nasty), max_size=3),
    select_across=st.sampled_from(["0", "1", "x", "\x00"]),
)
def test_any_admin_action_answers_without_a_server_error(
    admin_client, physician, action, selected, select_across
):
    case = make_assessment(physician, patient_reference="MRN-ACT")
    picked = [str(case.pk) if value == "case" else value for value in selected]
    data = {
        "action": action,
        helpers.ACTION_CHECKBOX_NAME: picked,
        "select_across": select_across,
        "index": "0",
    }

    response = admin_client.post(CHANGELIST, data)

    assert response.status_code in (200, 302, 400), (action, picked, response.status_code)


def test_admin_errors_look_like_errors_and_app_errors_too(admin_client, client, physician):
    case = services.sign(complete(make_assessment(physician)), physician)

    admin_page = admin_client.post(
        reverse("admin:assessment_assessment_unlock", args=[case.pk]), {"reason": " "}
    ).content.decode()
    client.force_login(physician)
    app_page = client.post(
        reverse("assessment:sign", args=[case.pk]), {"password": "wrong"}, follow=True
    ).content.decode()

    assert '<li class="error">Give the reason for unlocking' in admin_page
    assert 'class="alert alert-danger" role="alert">' in app_page


def complete(assessment):
    assessment.completed_steps = [step.slug for step in STEPS]
    return services.record(assessment)
