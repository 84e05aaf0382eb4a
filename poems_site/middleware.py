"""A database outage gives a calm 503 page, never a traceback or a 500.

When PostgreSQL is down or restarting, any request that touches it (the session, the signed-in
user, the view's queries, the session save on the way out) fails with an OperationalError or
InterfaceError. `DatabaseUnavailableMiddleware` answers those with `templates/503.html`,
status 503 and `Retry-After`, rendered without touching the database (no request context, so
no context processor asks for the user). Nothing is saved by such a request: a save runs in
one transaction, which the failure rolls back.

Once the server is back, the next request succeeds without restarting the app: with
CONN_HEALTH_CHECKS Django drops a broken persistent connection before reusing it.

Place `DatabaseUnavailableMiddleware` early in MIDDLEWARE, before the session and
authentication middleware, whose database errors it must catch, and `ReadUserFirstMiddleware`
right after AuthenticationMiddleware.
"""

import logging
import sys
import time

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import get_template

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# The session key holding when IdleSessionMiddleware last renewed the session (Unix seconds).
RENEWED_AT = "poems_renewed_at"
RENEW_EVERY_SECONDS = 60
_OUTAGE = (OperationalError, InterfaceError)
# Set on a request whose exception (anywhere inside this middleware) was a database outage.
_MARK = "_poems_database_unavailable"
_FALLBACK = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Temporarily unavailable'
    "</title><h1>Temporarily unavailable</h1><p>POEMS Assess cannot reach its database at the "
    "moment. Nothing was lost; please try again in a minute.</p></html>"
)


def is_outage(error: BaseException | None) -> bool:
    """Whether `error`, or an error it was raised from or while handling, is a lost database."""
    for _ in range(10):  # the chain is short; bounded in case it loops
        if error is None:
            return False
        if isinstance(error, _OUTAGE):
            return True
        error = error.__cause__ or error.__context__
    return False


def unavailable_response() -> HttpResponse:
    """The 503 page, rendered with a plain context: no request, no database."""
    try:
        body = get_template("503.html").render({})
    except Exception:  # a broken template must not turn an outage into a 500
        logger.exception("the 503 page could not be rendered; answering with a plain one")
        body = _FALLBACK
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_outage(sender, request=None, **kwargs):
    """Django turns an exception inside a middleware into a 500 before it reaches the outer
    ones; this receiver, called while that exception is handled, marks the request instead."""
    if request is not None and is_outage(sys.exc_info()[1]):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_outage, dispatch_uid="poems_database_unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except _OUTAGE as error:  # only with DEBUG_PROPAGATE_EXCEPTIONS
            return _unavailable(request, error)
        if response.status_code == 500 and getattr(request, _MARK, False):
            return _unavailable(request, None)
        return response

    def process_exception(self, request, exception):
        """A view's database error: answered here, before Django makes a 500 of it."""
        if is_outage(exception):
            return _unavailable(request, exception)
        return None


class ReadUserFirstMiddleware:
    """Read the signed-in user (from the session, in the database) as soon as it is known, so
    that an outage is answered with the 503 page at once rather than failing, and being logged
    as a 500 with a traceback, in whichever later middleware asks first (the audit trail's).
    Place it right after AuthenticationMiddleware. Without a session cookie it reads nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.user.is_authenticated  # noqa: B018 (evaluates the lazy user)
        except _OUTAGE as error:
            session = getattr(request, "session", None)
            if session is not None and not hasattr(session, "_session_cache"):
                # The session could not be read. Should the session middleware come to save
                # it on the way out, it would read it again (and fail, as a 500) before
                # skipping the save of a 5xx; an empty cache lets it skip quietly. The
                # session in the database and the browser's cookie are left as they are.
                session._session_cache = {}
            return _unavailable(request, error)
        return self.get_response(request)


class IdleSessionMiddleware:
    """Renew a signed-in session's idle timeout (SESSION_COOKIE_AGE) at most once a minute.

    Renewing it on every request (SESSION_SAVE_EVERY_REQUEST) would write and commit the
    session row on every page view, a few milliseconds each and the noisiest part of a page's
    time (bench/pages.py). The price: a session may end up to a minute early, never late.
    Place it after ReadUserFirstMiddleware, which has read the session by then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(RENEWED_AT, 0) >= RENEW_EVERY_SECONDS:
                request.session[RENEWED_AT] = now  # modified, so saved with a new expiry
        return self.get_response(request)


def _unavailable(request, error):
    logger.warning(
        "database unavailable, answered 503: %s %s (%s)",
        request.method,
        request.path,
        error if error is not None else "see the error above",
    )
    return unavailable_response()


class AdminQueryGuardMiddleware:
    """The admin's lists read their filters from the query string and hand them to PostgreSQL,
    whose text cannot hold a NUL: such an address gets a 400, not a database error's 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_admin_prefix()) and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponse(
                "The address holds a NUL character, which no filter or search can match.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _admin_prefix() -> str:
    from django.urls import reverse

    return reverse("admin:index")
