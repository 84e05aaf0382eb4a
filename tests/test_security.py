"""Security: sign-in throttling, sessions, the Content Security Policy, caching and the logs.

See README, "Security". Requests go through Django's test client and the real middleware,
the throttle's counters are django-axes' rows in the test database, and the log output is the
site's configured console handler's.
"""

import datetime
import io
import logging
import os
import re
import subprocess
import sys
import threading
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.steps import STEPS
from poems_site.middleware import RENEW_EVERY_SECONDS, RENEWED_AT
from tests.assessment_helpers import make_assessment

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parent.parent
LOGIN = reverse("login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD = "ada passphrase"  # tests.assessment_helpers.make_physician's  # noqa: S105
WRONG = "not the passphrase"  # noqa: S105
LOCKED_OUT = "Sign-in paused"


def sign_in(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def fail(client, username, times, url=LOGIN):
    for _ in range(times):
        assert sign_in(client, username, WRONG, url).status_code == 200


def lock_out(client, username, url=LOGIN):
    """Four failures answered as any wrong password is; the fifth locks the username out."""
    fail(client, username, 4, url)
    response = sign_in(client, username, WRONG, url)
    assert response.status_code == 429
    assert LOCKED_OUT in response.text


def is_signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def console():
    """What the site's console log handler prints during the test."""
    handler = next(h for h in logging.getLogger("django").handlers if h.get_name() == "console")
    output = io.StringIO()
    previous = handler.setStream(output)
    yield output
    handler.setStream(previous)


# Sign-in throttling (django-axes)


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client, physician):
    wrong_password = sign_in(client, "ada", WRONG)
    unknown_user = sign_in(client, "nobody", WRONG)

    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors
    assert "Please enter a correct username and password" in str(unknown_user.content)


def test_five_failures_lock_the_username_out_even_with_the_right_password(client, physician):
    lock_out(client, "ada")

    response = sign_in(client, "ada", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_OUT in response.text
    assert not is_signed_in(client)


def test_four_failures_do_not_lock_out(client, physician):
    fail(client, "ada", 4)

    assert sign_in(client, "ada", PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_the_lock_out_page_is_the_same_whether_or_not_the_account_exists(client, physician):
    lock_out(client, "ada")
    lock_out(client, "nobody")

    existing = sign_in(client, "ada", PASSWORD)
    unknown = sign_in(client, "nobody", PASSWORD)

    assert existing.status_code == unknown.status_code == 429
    assert existing.content == unknown.content
    assert b"ada" not in existing.content


def test_a_lock_out_is_by_username_so_other_physicians_still_sign_in(
    client, physician, other_physician
):
    lock_out(client, "ada")

    assert sign_in(client, "grace", "grace passphrase").status_code == 302


def test_a_lock_out_ends_after_15_minutes(client, physician):
    lock_out(client, "ada")
    assert sign_in(client, "ada", PASSWORD).status_code == 429

    # As if the last failure had been 15 minutes and a second ago.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)

    assert sign_in(client, "ada", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, physician):
    fail(client, "ada", 4)
    assert sign_in(client, "ada", PASSWORD).status_code == 302
    client.post(reverse("logout"))

    fail(client, "ada", 4)

    assert sign_in(client, "ada", PASSWORD).status_code == 302


def test_the_admin_sign_in_counts_towards_the_same_lock_out(client, admin_user):
    fail(client, "admin", 3, LOGIN)
    fail(client, "admin", 1, ADMIN_LOGIN)

    fifth = sign_in(client, "admin", WRONG, ADMIN_LOGIN)
    right_password = sign_in(client, "admin", "password", ADMIN_LOGIN)

    assert fifth.status_code == right_password.status_code == 429
    assert LOCKED_OUT in right_password.text


def test_a_lock_out_is_logged_without_the_password(client, physician, console):
    lock_out(client, "ada")
    sign_in(client, "ada", PASSWORD)

    logged = console.getvalue()
    assert "WARNING axes" in logged
    assert 'Locking out {username: "ada"' in logged
    assert WRONG not in logged
    assert PASSWORD not in logged


def test_an_attempt_keeps_no_password_nor_the_page_asked_for(client, physician):
    client.post(LOGIN, {"username": "ada", "password": WRONG, "next": "/?q=MRN-SECRET"})

    attempt = AccessAttempt.objects.get(username="ada")
    assert WRONG not in attempt.post_data
    assert "MRN-SECRET" not in attempt.post_data


# Sessions


def test_signing_in_gives_a_new_session_key(client, physician):
    # A session key planted before sign-in (session fixation) is not the one signed in.
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key

    sign_in(client, "ada", PASSWORD)

    assert is_signed_in(client)
    assert client.session.session_key != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_the_session_cookie_is_http_only_lax_and_ends_with_the_browser(client, physician):
    response = sign_in(client, "ada", PASSWORD)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"]
    assert not cookie["expires"]
    assert client.cookies[settings.CSRF_COOKIE_NAME]["httponly"]


def expire_in_a_minute(client) -> Session:
    session = Session.objects.get(session_key=client.session.session_key)
    session.expire_date = timezone.now() + datetime.timedelta(minutes=1)
    session.save()
    return session


def test_a_session_lasts_30_idle_minutes_and_a_request_renews_it(client, physician):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(physician)
    session = expire_in_a_minute(client)

    assert client.get(reverse("assessment:list")).status_code == 200

    session.refresh_from_db()
    remaining = session.expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < remaining <= datetime.timedelta(minutes=30)


def test_a_session_is_renewed_at_most_once_a_minute(client, physician):
    client.force_login(physician)
    client.get(reverse("assessment:list"))  # renews it
    session = expire_in_a_minute(client)

    client.get(reverse("assessment:list"))
    session.refresh_from_db()
    assert session.expire_date - timezone.now() <= datetime.timedelta(minutes=1)

    # As if the last renewal had been a minute ago.
    data = client.session
    data[RENEWED_AT] -= RENEW_EVERY_SECONDS
    data.save()
    expire_in_a_minute(client)  # saving the data above gave it a new expiry
    client.get(reverse("assessment:list"))
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > datetime.timedelta(minutes=29)


def test_after_30_idle_minutes_the_next_request_goes_to_sign_in(client, physician):
    client.force_login(physician)
    # As if the last request had been 30 minutes and a second ago.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    url = reverse("assessment:list")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={url}"


def settings_in_a_fresh_process(names, **environment):
    """Settings as a new process reads them from these environment variables."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(*(repr(getattr(settings, name)) for name in {names!r}), sep='\\n')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "poems_site.settings", **environment}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_idle_time_comes_from_the_environment():
    result = settings_in_a_fresh_process(["SESSION_COOKIE_AGE"], DJANGO_SESSION_IDLE_MINUTES="45")

    assert result.stdout.split() == [str(45 * 60)], result.stderr


@pytest.mark.parametrize("minutes", ["0", "-5", "half an hour"])
def test_an_impossible_idle_time_stops_the_site_at_start(minutes):
    result = settings_in_a_fresh_process(
        ["SESSION_COOKIE_AGE"], DJANGO_SESSION_IDLE_MINUTES=minutes
    )

    assert result.returncode != 0
    assert (
        f"ImproperlyConfigured: DJANGO_SESSION_IDLE_MINUTES={minutes!r} is not a whole number"
        in result.stderr
    )


def test_production_cookies_are_secure_and_https_is_enforced():
    result = settings_in_a_fresh_process(
        [
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        ],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-private-random-value-for-this-test-only-0123456789",  # noqa: S106
        DJANGO_ALLOWED_HOSTS="poems.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/poems",
        DATABASE_APP_PASSWORD="an-app-password-for-this-test",  # noqa: S106
    )

    assert result.stdout.split() == ["True", "True", "True", str(365 * 24 * 3600), "True"], (
        result.stderr
    )


# Content Security Policy

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def policy(response) -> dict:
    header = response.headers["Content-Security-Policy"]
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


def test_every_kind_of_page_carries_the_policy(client, admin_client, physician):
    assessment = make_assessment(physician)
    client.force_login(physician)
    responses = [
        Client().get(LOGIN),
        client.get(reverse("assessment:list")),
        client.get(reverse("assessment:summary", args=[assessment.pk])),
        client.get(reverse("assessment:summary", args=[uuid.uuid4()])),  # a 404
        admin_client.get(reverse("admin:assessment_assessment_change", args=[assessment.pk])),
    ]

    for response in responses:
        assert policy(response).items() >= EXPECTED_POLICY.items(), response.request["PATH_INFO"]


# Inline script or style: a <script> without src, a <style> block, a style="" attribute, or an
# event handler attribute such as onclick="".
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=", re.I)


def test_no_template_has_inline_script_or_style():
    templates = sorted((REPO / "templates").rglob("*.html"))

    offending = [
        f"{path.relative_to(REPO)}: {match[0]}"
        for path in templates
        if path.name != "pdf.html"  # rendered to PDF on the server, never by a browser
        for match in INLINE.finditer(path.read_text())
    ]

    assert templates
    assert not offending, "\n".join(offending)


# Caching: no page with patient data is kept by a browser or a proxy


def test_no_page_with_patient_data_may_be_cached(client, admin_client, physician):
    assessment = make_assessment(physician, patient_reference="MRN-CACHE")
    client.force_login(physician)
    pages = [
        reverse("assessment:list"),
        reverse("assessment:new"),
        reverse("assessment:summary", args=[assessment.pk]),
        reverse("assessment:step", args=[assessment.pk, STEPS[1].slug]),
        reverse("assessment:pdf", args=[assessment.pk]),
    ]
    admin_pages = [
        reverse("admin:assessment_assessment_changelist"),
        reverse("admin:assessment_assessment_change", args=[assessment.pk]),
        reverse("admin:assessment_assessment_overview"),
    ]
    responses = [client.get(url) for url in pages] + [admin_client.get(url) for url in admin_pages]
    responses.append(client.post(reverse("assessment:withdraw", args=[assessment.pk])))

    for response in responses:
        assert response.status_code in (200, 302), response.request["PATH_INFO"]
        assert "no-store" in response.headers["Cache-Control"], response.request["PATH_INFO"]


# No patient reference in the logs


@pytest.fixture
def running_server(transactional_db):
    """The site behind Django's development server (runserver's), in a thread of this process.

    Its request handler logs each request line to `django.server`, query string included, as
    runserver does: the line the filter must clean.
    """
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())

    def serve():
        try:
            server.serve_forever(poll_interval=0.05)
        finally:
            connections.close_all()

    def stop():
        # Returns once the request in hand is finished, its line logged after its response.
        if thread.is_alive():
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield RunningServer(f"http://127.0.0.1:{server.server_port}", stop)
    stop()


@dataclass
class RunningServer:
    url: str
    stop: Callable[[], None]


def get(url, session_key):
    request = urllib.request.Request(  # noqa: S310 - our own server, over http
        url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_searched_patient_reference_never_reaches_the_log(running_server, physician, console):
    client = Client()
    client.force_login(physician)
    session_key = client.session.session_key
    missing = reverse("assessment:summary", args=[uuid.uuid4()])

    found = get(f"{running_server.url}/?q=MRN-SECRET", session_key)
    not_found = get(f"{running_server.url}{missing}?q=MRN-SECRET", session_key)
    running_server.stop()

    logged = console.getvalue()
    assert (found, not_found) == (200, 404)
    assert '"GET /?[query removed] HTTP/1.1" 200' in logged
    assert f"WARNING django.request: Not Found: {missing}" in logged
    assert f'WARNING django.server: "GET {missing}?[query removed] HTTP/1.1" 404' in logged
    assert "MRN-SECRET" not in logged


def test_a_query_string_is_dropped_from_any_logged_url(console):
    logging.getLogger("django.request").warning(
        "Bad Request: %s (from %s)", "/assessments/?q=MRN-SECRET", "https://poems.example/?q=x"
    )

    assert (
        console.getvalue()
        .rstrip()
        .endswith(
            "WARNING django.request: Bad Request: /assessments/?[query removed] "
            "(from https://poems.example/?[query removed])"
        )
    )
