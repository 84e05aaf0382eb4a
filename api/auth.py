"""Who calls the API: a personal token (other programs) or the signed-in session (the browser,
the interactive docs); what a token may do, and how its writes are audited."""

import pghistory
from django.conf import settings
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from api import tokens


class Token(HttpBearer):
    """`Authorization: Bearer poems_...`: the token's owner is the user of the request."""

    def authenticate(self, request, token):
        found = tokens.token_for(token)
        if found is None:
            return None
        request.user = found.owner
        request.api_token = found
        return found.owner


class Session(APIKeyCookie):
    """The browser's session; its writes need the CSRF token, as a form's do."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        # Without a session there is nothing to check the CSRF token against: a 401, not a 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        request.api_token = None
        return request.user


def require_write(request) -> None:
    """A read-only token may not change anything."""
    token = getattr(request, "api_token", None)
    if token is not None and not token.can_write:
        raise HttpError(403, "This token is read-only: create a read-write token to do this.")


def audited(request):
    """The audit trail's context for a write: the user, and the token that made it."""
    token = getattr(request, "api_token", None)
    if token is None:
        return pghistory.context(user=request.user.pk)
    return pghistory.context(user=request.user.pk, api_token=str(token), api_token_id=token.pk)
