"""The account page: a physician's personal API tokens, created and revoked; and the API's
answer for an address it does not have."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from api import errors, tokens
from api.forms import TokenForm


def _page(request, form, created=None, status=200):
    context = {
        "form": form,
        "tokens": request.user.api_tokens.all(),
        "created": created,
    }
    return render(request, "api/account.html", context, status=status)


@require_GET
@never_cache
def account(request):
    return _page(request, TokenForm())


@require_POST
@never_cache
def token_create(request):
    """The token's text is in this response only: it is not kept, so never shown again."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    token, text = tokens.create_token(request.user, data["name"], data["scope"], data["days"])
    return _page(request, TokenForm(), created={"token": token, "text": text})


@require_POST
@never_cache
def token_revoke(request, token_id):
    # Another physician's token is a 404, as their assessments are.
    tokens.revoke_token(get_object_or_404(request.user.api_tokens, pk=token_id))
    return redirect("tokens:account")


def api_not_found(request):
    body = {"errors": [errors.error([], "No such API endpoint or assessment.")]}
    return JsonResponse(body, status=404)
