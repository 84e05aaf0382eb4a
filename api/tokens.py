"""Creating, revoking and checking API tokens, as plain functions (the account page and the
API's authentication call these).

A token is `poems_<prefix>_<secret>`: the prefix is shown on the account page to tell tokens
apart; only a SHA-256 of the whole token is stored, so a copy of the database holds no token.
The secret has 256 random bits, so a fast hash is enough: nothing can be guessed from it.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import ApiToken

SCHEME = "poems"
LIFETIMES_DAYS = (30, 90, 365)


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(owner, name: str, scope: str, days: int) -> tuple[ApiToken, str]:
    """A new token and its text, which is shown once and never again."""
    prefix = secrets.token_hex(4)
    text = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        owner=owner,
        name=name.strip(),
        prefix=prefix,
        secret_sha256=_sha256(text),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, text


def revoke_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for(text: str) -> ApiToken | None:
    """The usable token this text is, with its active owner; None for anything else."""
    if not text.startswith(f"{SCHEME}_") or len(text) > 100:
        return None
    try:
        token = ApiToken.objects.select_related("owner").get(
            secret_sha256=_sha256(text), revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    return token if token.is_usable() and token.owner.is_active else None
