import functools

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, path, re_path

from api import errors, views
from api.endpoints import api

app_name = "tokens"

# The document, the interactive docs and ninja's root (which points to them): for the browser.
_SIGNED_IN = ("openapi-json", "openapi-view", "api-root")


def _in_the_apis_shape(view):
    """ninja answers a method an endpoint does not take with a plain-text 405: this one says
    it in the API's error shape, with the same Allow header."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        message = f"{request.method} is not allowed here; allowed: {response['Allow']}."
        refused = JsonResponse({"errors": [errors.error([], message)]}, status=405)
        refused["Allow"] = response["Allow"]
        return refused

    return answer


def _by_token_or_session(patterns):
    """The API's own authentication answers an anonymous caller (a JSON 401), not the site's
    redirect to the sign-in page; its documents stay behind the sign-in, as every page."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _by_token_or_session(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name not in _SIGNED_IN:
            pattern.callback = login_not_required(_in_the_apis_shape(pattern.callback))
    return patterns


api_urls, api_app, api_namespace = api.urls
# Anything else under /api/v1/ (a malformed id, a misspelt endpoint): a 404 in the API's shape.
api_urls.append(re_path(r"^.+$", views.api_not_found, name="not_found"))
api_v1 = (_by_token_or_session(api_urls), api_app, api_namespace)

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/tokens/", views.token_create, name="create"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
