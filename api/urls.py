from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path, re_path

from api import views
from api.endpoints import api

app_name = "tokens"

# The document, the interactive docs and ninja's root (which points to them): for the browser.
_SIGNED_IN = ("openapi-json", "openapi-view", "api-root")


def _by_token_or_session(patterns):
    """The API's own authentication answers an anonymous caller (a JSON 401), not the site's
    redirect to the sign-in page; its documents stay behind the sign-in, as every page."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _by_token_or_session(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name not in _SIGNED_IN:
            login_not_required(pattern.callback)
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
