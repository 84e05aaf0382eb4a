"""Who reaches which URL: every URL pattern of the site, each filled with real objects.

The patterns are read from the URLconf itself (the app's, the accounts' and the admin's), so a
URL added later is checked too, or fails the classification test until it is classified:

- public: only the sign-in pages and the health check (and static files, which are no pattern);
- every other URL sends an anonymous visitor to sign in;
- every URL of one assessment answers another physician with a 404, never a 403 that would
  tell them it exists, and changes nothing;
- every admin URL sends a signed-in physician who is not staff to the admin's sign-in;
- every API endpoint answers an anonymous caller with the API's JSON 401, and a token of
  another physician with a 404 on every endpoint of one assessment.
"""

import datetime
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pghistory
import pghistory.models
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from api import tokens
from api.models import ApiToken
from assessment import services
from assessment.models import (
    AccessEvent,
    Assessment,
    AssessmentEvent,
    RuleChangeNotice,
    SignedDocument,
)
from assessment.steps import STEPS
from followup.models import FollowUpVisit
from jobs.models import Job
from review import services as review_services
from tests.assessment_helpers import make_assessment
from tests.followup.cases import CASES

DIAGNOSED = next(case for case in CASES if case["id"] == "FU04")["inputs"]["baseline"]

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Endpoint:
    key: str  # "namespace:name", or the route of an unnamed pattern
    route: str  # the full route, from the site's root, without the leading "/"
    regex: bool  # a re_path somewhere on the way: filled from REGEX_URLS


def endpoints(patterns=None, prefix="", namespace="", regex=False):
    """Every URL pattern of the site, walking included URLconfs (the admin's among them)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        is_regex = regex or isinstance(pattern.pattern, RegexPattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from endpoints(pattern.url_patterns, route, inner, is_regex)
        else:
            key = f"{namespace}{pattern.name}" if pattern.name else route
            yield Endpoint(key, route, is_regex)


ENDPOINTS = list(endpoints())

# Open to anyone: signing in, and the load balancer's health check.
PUBLIC = {"login", "admin:login", "assessment:healthz"}
# Any signed-in physician: their own list and new assessment, and their account.
SIGNED_IN = {
    "assessment:list",
    "assessment:new",
    "assessment:new_live",
    "logout",
    "password_change",
    "password_change_done",
    "tokens:account",
    "tokens:create",
    "tokens:revoke",
    # The API's document and interactive docs are for the signed-in browser.
    "api-v1:openapi-json",
    "api-v1:openapi-view",
    "api-v1:api-root",
}
# The API's endpoints, with the methods each answers: a token or the session, else a JSON 401.
API = {
    "api-v1:evaluate": ["post"],
    "api-v1:assessment_list": ["get", "post"],
    "api-v1:assessment_create": ["get", "post"],
    "api-v1:assessment_read": ["get"],
    "api-v1:findings_update": ["patch"],
    "api-v1:evaluation_read": ["get"],
    "api-v1:assessment_pdf": ["get"],
    "api-v1:course_read": ["get"],
}
# The API's endpoints of one assessment: only its owner's tokens reach them.
API_ASSESSMENT = {key for key, route in API.items() if key.endswith(("_read", "_update", "_pdf"))}
# Anything else under /api/v1/: the API's JSON 404, to anyone.
API_NOT_FOUND = "api-v1:not_found"
# One assessment's URLs: only its owner reaches them.
ASSESSMENT = {
    "assessment:summary",
    "assessment:pdf",
    "assessment:sign",
    "assessment:withdraw",
    "assessment:delete",
    "assessment:step",
    "assessment:notice_seen",
    "assessment:live",
    "review:answer",
    "followup:course",
    "followup:visit_new",
    "followup:visit_edit",
    "followup:visit_delete",
    "followup:visit_sign",
}
POST_ONLY = {
    "followup:visit_delete",
    "followup:visit_sign",
    "review:answer",
    "assessment:live",
    "assessment:sign",
    "assessment:withdraw",
    "assessment:delete",
    "assessment:notice_seen",
}
# The methods each assessment view answers (another method is a 405 before any lookup).
METHODS = {
    "assessment:summary": ["get"],
    "assessment:pdf": ["get"],
    "assessment:step": ["get", "post"],
    "followup:course": ["get"],
    "followup:visit_new": ["get", "post"],
    "followup:visit_edit": ["get", "post"],
    **{key: ["post"] for key in POST_ONLY},
}
# Staff only: everything under /admin/ but its sign-in page.
ADMIN = {e.key for e in ENDPOINTS if e.route.startswith("admin/")} - PUBLIC
# Patterns no test here can fill, with the reason. None at present: keep it that way.
SKIPPED: dict[str, str] = {}
# Patterns written as regular expressions, each with a concrete URL.
REGEX_URLS = {
    "admin:app_list": "/admin/assessment/",
    "admin/(?P<url>.*)$": "/admin/no-such-page/",  # the admin's catch-all
    API_NOT_FOUND: "/api/v1/assessments/not-a-uuid",
}

STEP_SLUG = STEPS[1].slug


@pytest.fixture
def site(physician, admin_user):
    """One of each object the URLs name, all real rows: the values that fill the patterns."""
    # django-axes' records: a sign-in, and a failed one (of a username that does not exist).
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": "ada", "password": "ada passphrase"})
    elsewhere.post(reverse("login"), {"username": "nobody", "password": "a guess"})
    with pghistory.context(note="access-control test"):
        # A diagnosis, so that visits can be added.
        assessment = make_assessment(physician, patient_reference="MRN-ACCESS", **DIAGNOSED)
        visit = FollowUpVisit.objects.create(
            assessment=assessment, visit_date=datetime.date(2026, 7, 1)
        )
    services.record_access(assessment, physician, AccessEvent.Kind.SUMMARY)
    notice = RuleChangeNotice.objects.create(
        assessment=assessment,
        from_version="1+old",
        to_version="2+new",
        changed_on=datetime.date(2026, 12, 1),
        change_summary="A rule changed.",
        primary_before="does_not_meet",
        primary_after="indeterminate",
    )
    document = SignedDocument.objects.create(
        assessment=assessment,
        signed_by=physician,
        signed_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
        findings_sha256="0" * 64,
        criteria_version="test",
        pdf=b"%PDF-1.7 access-control test",
        sha256="0" * 64,
        size=28,
    )
    query = review_services.open_query(assessment, admin_user, "Is the lesion sclerotic?")
    # A finished export of the admin's, its file still there (tests/test_jobs.py makes them
    # with a worker).
    job = Job.objects.create(
        kind=Job.Kind.CSV_EXPORT,
        requested_by=admin_user,
        cases=[assessment.pk],
        state=Job.State.SUCCEEDED,
        result=b"case_id\r\n",
        result_name="poems-assessments.csv",
        result_content_type="text/csv",
        expires_at=datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    )
    token, _ = tokens.create_token(physician, "access-control test", "read_write", 30)
    admin_objects = {
        "admin/review/query/": query.pk,
        "admin/jobs/job/": job.pk,
        "admin/api/apitoken/": token.pk,
        "admin/auth/group/": Group.objects.create(name="reviewers").pk,
        "admin/auth/user/": physician.pk,
        "admin/assessment/assessment/": assessment.pk,
        "admin/followup/followupvisit/": visit.pk,
        "admin/assessment/assessmentevent/": AssessmentEvent.objects.get(pgh_obj=assessment).pk,
        "admin/assessment/accessevent/": AccessEvent.objects.get(assessment=assessment).pk,
        "admin/assessment/rulechangenotice/": notice.pk,
        "admin/pghistory/context/": pghistory.models.Context.objects.get().pk,
        "admin/pghistory/events/": pghistory.models.Events.objects.tracks(assessment).first().pk,
        "admin/axes/accessattempt/": AccessAttempt.objects.get(username="nobody").pk,
        "admin/axes/accesslog/": AccessLog.objects.get(username="ada").pk,
        "admin/axes/accessfailurelog/": AccessFailureLog.objects.get(username="nobody").pk,
    }
    content_type = ContentType.objects.get_for_model(Assessment)

    def value(route, name):
        if name == "pk":
            return assessment.pk
        if name == "slug":
            return STEP_SLUG
        if name == "notice_id":
            return notice.pk
        if name == "document_id":
            return document.pk
        if name == "visit_id":
            return visit.pk
        if name == "query_id":
            return query.pk
        if name == "assessment_id":
            return assessment.pk
        if name == "token_id":
            return token.pk
        if route.startswith("admin/r/"):  # view on site: a content type and an object
            return content_type.pk if name == "content_type_id" else assessment.pk
        for prefix, object_id in admin_objects.items():
            if route.startswith(prefix) and name in ("object_id", "id"):
                return object_id
        raise LookupError(f"nothing fills <{name}> in {route}")

    def url(endpoint):
        if endpoint.regex:
            return REGEX_URLS[endpoint.key]
        filled = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda match: str(value(endpoint.route, match[1])), endpoint.route
        )
        return "/" + filled

    return Site(assessment, url, token)


@dataclass
class Site:
    assessment: Assessment
    url: object  # Endpoint -> str
    token: ApiToken


def checked(classes):
    """The endpoints of these classes that a test requests, in URLconf order."""
    return [e for e in ENDPOINTS if e.key in classes and e.key not in SKIPPED]


def sign_in_url(url, login="login"):
    """The sign-in page `login` (a URL name) that comes back to `url` once signed in."""
    return f"{reverse(login)}?{urlencode({'next': url}, safe='/')}"


def test_every_url_pattern_is_classified():
    keys = {e.key for e in ENDPOINTS}

    classes = PUBLIC | SIGNED_IN | ASSESSMENT | ADMIN | set(API) | {API_NOT_FOUND}
    unclassified = keys - (classes | set(SKIPPED))

    assert not unclassified, f"classify these URL patterns in this file: {sorted(unclassified)}"
    assert classes - ADMIN <= keys, "a classified pattern no longer exists"
    assert len(ENDPOINTS) == len(keys), "two patterns share a key"


def test_every_url_pattern_is_filled_with_a_real_url(site):
    # A regular expression without a URL, or a parameter nothing fills, raises here.
    urls = {e.key: site.url(e) for e in ENDPOINTS if e.key not in SKIPPED}

    assert urls["assessment:step"] == f"/assessments/{site.assessment.pk}/{STEP_SLUG}/"
    assert len(urls) == len(ENDPOINTS) - len(SKIPPED)


def test_the_public_urls_answer_an_anonymous_visitor(client):
    for name in sorted(PUBLIC):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get("/static/css/poems.css").status_code == 200


def test_every_other_url_sends_an_anonymous_visitor_to_sign_in(client, site):
    failures = []
    for endpoint in checked(SIGNED_IN | ASSESSMENT | ADMIN):
        url = site.url(endpoint)
        # The app's sign-in, or the admin's for the admin's own pages (its home, sign-out,
        # password change...), which Django exempts from LoginRequiredMiddleware.
        sign_in = {sign_in_url(url), sign_in_url(url, "admin:login")}
        # Whatever the method: the sign-in comes before the view's own checks.
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code != 302 or response.url not in sign_in:
                failures.append(
                    f"{method.upper()} {url}: {response.status_code} {response.get('Location')}"
                )

    assert not failures, "\n".join(failures)
    assert Assessment.objects.filter(pk=site.assessment.pk).exists()


def test_the_owner_reaches_each_page_of_their_assessment(client, physician, site):
    # So the 404s below come from who asks, not from a URL that names nothing.
    client.force_login(physician)

    for endpoint in checked(ASSESSMENT - POST_ONLY):
        url = site.url(endpoint)
        assert client.get(url).status_code == 200, url


def test_another_physician_gets_404_on_every_url_of_an_assessment(client, other_physician, site):
    client.force_login(other_physician)
    before = Assessment.objects.get(pk=site.assessment.pk)
    failures = []

    for endpoint in checked(ASSESSMENT):
        url = site.url(endpoint)
        for method in METHODS[endpoint.key]:
            # Everything the owner would post: their own password signs nothing here.
            data = {"password": "grace passphrase", "reason": "not mine", "action": "continue"}
            response = getattr(client, method)(url, data if method == "post" else None)
            if response.status_code != 404:
                failures.append(
                    f"{method.upper()} {url}: {response.status_code} {response.get('Location')}"
                )

    assert not failures, "\n".join(failures)
    after = Assessment.objects.get(pk=site.assessment.pk)
    assert (after.version, after.signed_at, after.withdrawn_at) == (before.version, None, None)
    assert not AccessEvent.objects.filter(user=other_physician).exists()


def test_a_physician_who_is_not_staff_reaches_no_admin_url(client, physician, site):
    client.force_login(physician)
    failures = []

    for endpoint in checked(ADMIN):
        url = site.url(endpoint)
        # The admin's sign-out signs out only its own users: others go to the admin's home,
        # which sends them to sign in as staff.
        expected = (
            reverse("admin:index")
            if endpoint.key == "admin:logout"
            else sign_in_url(url, "admin:login")
        )
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code != 302 or response.url != expected:
                failures.append(
                    f"{method.upper()} {url}: {response.status_code} {response.get('Location')}"
                )

    assert not failures, "\n".join(failures)


def test_a_physician_who_is_not_staff_cannot_import_cases_even_with_a_valid_file(client, physician):
    client.force_login(physician)
    upload = SimpleUploadedFile(
        "cases.csv", b"patient_reference,assessment_date,pn_present\nMRN-SNEAK,2025-03-14,yes\n"
    )

    response = client.post(
        reverse("admin:assessment_assessment_import"), {"file": upload, "physician": physician.pk}
    )

    assert response.status_code == 302
    assert not Assessment.objects.filter(patient_reference="MRN-SNEAK").exists()


def test_staff_reach_every_admin_url_with_its_real_objects(admin_client, site):
    # The admin URLs above were filled with objects that exist: none is a 404 for an admin
    # (an admin may still be refused a view, such as adding an assessment: a 403), but for
    # the catch-all and "view on site", as an assessment has no page outside the admin.
    expected_404 = {"admin/(?P<url>.*)$", "admin:view_on_site"}
    failures = []
    for endpoint in checked(ADMIN):
        url = site.url(endpoint)
        status = admin_client.get(url).status_code
        if (status == 404) != (endpoint.key in expected_404) or status >= 500:
            failures.append(f"GET {url}: {status}")

    assert not failures, "\n".join(failures)


# What an owner would send: valid for every endpoint, so a refusal comes from who asks.
API_BODY = json.dumps({"version": 2, "findings": {"pn_present": "no"}, "patient_reference": "X"})


def api_call(client, method, url, **headers):
    if method == "get":
        return client.get(url, headers=headers)
    return getattr(client, method)(url, API_BODY, content_type="application/json", headers=headers)


def test_every_api_endpoint_answers_an_anonymous_caller_with_a_json_401(client, site):
    failures = []
    for endpoint in checked(set(API)):
        url = site.url(endpoint)
        for method in API[endpoint.key]:
            response = api_call(client, method, url)
            body = response.json() if "json" in response["Content-Type"] else None
            if response.status_code != 401 or not body or not body["errors"]:
                failures.append(f"{method.upper()} {url}: {response.status_code}")

    assert not failures, "\n".join(failures)


def test_an_api_address_that_does_not_exist_is_a_json_404_to_anyone(client, site):
    response = client.get(REGEX_URLS[API_NOT_FOUND])

    assert response.status_code == 404
    assert response.json()["errors"][0]["keys"] == []


def test_another_physicians_token_gets_404_on_every_api_url_of_an_assessment(
    client, other_physician, site
):
    _, text = tokens.create_token(other_physician, "theirs", "read_write", 30)
    before = Assessment.objects.get(pk=site.assessment.pk)
    failures = []

    for endpoint in checked(API_ASSESSMENT):
        url = site.url(endpoint)
        for method in API[endpoint.key]:
            response = api_call(client, method, url, Authorization=f"Bearer {text}")
            if response.status_code != 404:
                failures.append(f"{method.upper()} {url}: {response.status_code}")

    assert not failures, "\n".join(failures)
    after = Assessment.objects.get(pk=site.assessment.pk)
    assert after.version == before.version
    assert not AccessEvent.objects.filter(user=other_physician).exists()


def test_another_physician_cannot_revoke_a_token_not_theirs(client, other_physician, site):
    client.force_login(other_physician)

    response = client.post(reverse("tokens:revoke", args=[site.token.pk]))

    assert response.status_code == 404
    site.token.refresh_from_db()
    assert site.token.revoked_at is None
