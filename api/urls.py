from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, path

from api import views
from api.endpoints import api

app_name = "tokens"


def _by_token_or_session(patterns):
    """The API's own authentication answers an anonymous caller (a JSON 401), not the site's
    redirect to the sign-in page; its documents stay behind the sign-in, as every page."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _by_token_or_session(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name not in (
            "openapi-json",
            "openapi-view",
        ):
            login_not_required(pattern.callback)
    return patterns


api_urls, api_app, api_namespace = api.urls
_by_token_or_session(api_urls)
api_v1 = (api_urls, api_app, api_namespace)

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/tokens/", views.token_create, name="create"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="revoke"),
]
