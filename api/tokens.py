"""Creating, revoking and checking API tokens, as plain functions (the account page and the
API's authentication call these).

A token is `poems_<prefix>_<secret>`: the prefix is shown on the account page to tell tokens
apart; only a SHA-256 of the whole token is stored, so a copy of the database holds no token.
The secret has 256 random bits, so a fast hash is enough: nothing can be guessed from it.
"""

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import connection, transaction
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
    now = timezone.now()
    token = ApiToken.objects.create(
        owner=owner,
        name=name.strip(),
        prefix=prefix,
        secret_sha256=_sha256(text),
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    return token, text


def revoke_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def _columns(model, alias: str) -> tuple[list[str], str]:
    fields = [field.attname for field in model._meta.concrete_fields]
    columns = ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)
    return fields, columns


_TOKEN_FIELDS, _TOKEN_COLUMNS = _columns(ApiToken, "token")
_OWNER_FIELDS, _OWNER_COLUMNS = _columns(get_user_model(), "owner")
# Every API request runs this, so it is written out: the ORM took five times as long to compile
# the same join as PostgreSQL took to run it, a fifth of an evaluation's time
# (bench/api_evaluate.py).
_FIND = f"""
    SELECT {_TOKEN_COLUMNS}, {_OWNER_COLUMNS}
    FROM {ApiToken._meta.db_table} AS token
    JOIN {get_user_model()._meta.db_table} AS owner ON owner.id = token.owner_id
    WHERE token.secret_sha256 = %s AND token.revoked_at IS NULL AND token.expires_at > %s
        AND owner.is_active
"""  # noqa: S608 (names from the models, not outside input)


def token_for(text: str) -> ApiToken | None:
    """The usable token this text is (not revoked, not expired), with its active owner; None
    for anything else."""
    if not text.startswith(f"{SCHEME}_") or len(text) > 100:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_FIND, [_sha256(text), timezone.now()])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_TOKEN_FIELDS)
    token = ApiToken.from_db(connection.alias, _TOKEN_FIELDS, row[:split])
    token.owner = get_user_model().from_db(connection.alias, _OWNER_FIELDS, row[split:])
    return token
