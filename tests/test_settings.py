"""Settings come from the environment; bad values must stop the site, naming the variable.

Each case runs manage.py in a fresh process, because settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

REPO = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": get_random_secret_key(),
    "DJANGO_ALLOWED_HOSTS": "poems.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "DATABASE_APP_PASSWORD": "an-app-password-for-the-settings-tests",
}


def manage(*args, **variables):
    """Run manage.py with the settings variables set to exactly `variables`."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") or name == "DJANGO_SETTINGS_MODULE"
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("DATABASE_APP_PASSWORD", None)
    environment.update(variables)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_needs_no_configuration():
    result = manage("check")

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("variables", "culprit"),
    [
        pytest.param({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG", id="debug-not-a-boolean"),
        pytest.param(
            {"DATABASE_URL": "mysql://poems@127.0.0.1/poems"}, "DATABASE_URL", id="mysql-url"
        ),
        pytest.param({"DATABASE_URL": "garbage"}, "DATABASE_URL", id="unparsable-url"),
        pytest.param(
            {"DATABASE_URL": "postgres://127.0.0.1:port/poems"}, "DATABASE_URL", id="bad-port"
        ),
        pytest.param({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY", id="production-no-key"),
        pytest.param(
            {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""},
            "DJANGO_ALLOWED_HOSTS",
            id="production-no-hosts",
        ),
        pytest.param(
            {**PRODUCTION, "DATABASE_URL": ""}, "DATABASE_URL", id="production-embedded-database"
        ),
        pytest.param(
            {**PRODUCTION, "DATABASE_APP_PASSWORD": ""},
            "DATABASE_APP_PASSWORD",
            id="production-app-role-without-password",
        ),
        pytest.param(
            {**PRODUCTION, "DJANGO_SECURE_PROXY_SSL_HEADER": "sure"},
            "DJANGO_SECURE_PROXY_SSL_HEADER",
            id="proxy-header-not-a-boolean",
        ),
        pytest.param({"JOBS_RESULT_HOURS": "a day"}, "JOBS_RESULT_HOURS", id="result-hours-words"),
        pytest.param({"JOBS_RESULT_HOURS": "0"}, "JOBS_RESULT_HOURS", id="results-kept-no-time"),
        pytest.param(
            {"JOBS_HEARTBEAT_SECONDS": "30", "JOBS_STALLED_AFTER_SECONDS": "20"},
            "JOBS_STALLED_AFTER_SECONDS",
            id="stalled-sooner-than-the-heartbeat",
        ),
        pytest.param(
            {"JOBS_MAINTENANCE_CRON": "every minute"}, "JOBS_MAINTENANCE_CRON", id="not-a-cron-line"
        ),
        pytest.param({"POEMS_API_RATE": "lots"}, "POEMS_API_RATE", id="api-rate-not-a-rate"),
        pytest.param({"POEMS_API_RATE": "0/min"}, "POEMS_API_RATE", id="api-rate-of-nothing"),
    ],
)
def test_a_bad_setting_stops_the_site_naming_the_variable(variables, culprit):
    result = manage("check", **variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert culprit in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_a_secret_key_may_start_with_a_dollar_sign():
    # django-environ reads "$NAME" as a reference to another variable; ours is taken as it is.
    key = "$" + get_random_secret_key()

    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "DJANGO_SECRET_KEY": key}
    )

    assert result.returncode == 0, result.stderr
