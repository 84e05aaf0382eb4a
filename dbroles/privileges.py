"""Two database roles: the owner, who migrates, and the app's runtime role, who may do only
what the app needs.

The app connects as `settings.DATABASE_APP_ROLE`: not a superuser, owning no table, with
SELECT, INSERT, UPDATE and DELETE on the app's tables, and on the audit tables (every
pghistory event table, the access events and pghistory's context) SELECT and INSERT only. So
the database itself refuses to change the audit trail, whatever a session sets: no UPDATE,
DELETE or TRUNCATE, no `ALTER TABLE ... DISABLE TRIGGER` (owners only), no
`session_replication_role` (superusers only), and `pgtrigger.ignore` skips a trigger but not a
missing privilege.

pghistory's triggers record who made a change by upserting a row of `pghistory_context` from
two session settings. That upsert runs here as a SECURITY DEFINER function of the owner, and
updates a context only within the transaction that created it (its `created_at` is that
transaction's `NOW()`), so the app role can add a context but never rewrite an old one, even by
naming its id in `pghistory.context_id`.

Everything here is idempotent: `migrate` applies it after every run (post_migrate), and
`manage.py setup_database_roles` applies it on demand (and sets the app role's password).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.apps import apps
from django.db import connections
from psycopg import sql


def audit_tables() -> list[str]:
    """Tables whose rows record what happened: never changed once written."""
    from pghistory.models import Context, Event

    tables = [Context._meta.db_table]
    for model in apps.get_models():
        if (issubclass(model, Event) and not model._meta.proxy and model._meta.managed) or getattr(
            model, "audit_record", False
        ):
            tables.append(model._meta.db_table)
    return sorted(set(tables))


@contextmanager
def as_owner(alias: str = "default"):
    """Run the block on a connection as the owner (migrations, grants, test databases)."""
    connection = connections[alias]
    runtime = {key: connection.settings_dict.get(key) for key in ("USER", "PASSWORD")}
    owner = connection.settings_dict.get("OWNER", runtime)
    if owner == runtime:
        yield connection
        return
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(runtime)


def app_role(alias: str = "default") -> str:
    """The role the app connects as (also while a block runs `as_owner`)."""
    settings_dict = connections[alias].settings_dict
    return settings_dict.get("APP_USER", settings_dict["USER"])


def ensure_app_role(cursor, role: str, password: str | None) -> bool:
    """Create the app's role if it is missing (needs CREATEROLE); set its password if given.

    Returns False when the role is missing and the owner may not create it.
    """
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    exists = cursor.fetchone() is not None
    if not exists:
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            sql.SQL(
                "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            ).format(sql.Identifier(role))
        )
    if password:
        cursor.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password))
        )
    return True


def grant_app_privileges(cursor, role: str) -> None:
    """What the app's role may do: the tables' data, never their definition or the audit."""
    cursor.execute("SELECT current_database(), current_user")
    database, owner = cursor.fetchone()
    role_id, owner_id = sql.Identifier(role), sql.Identifier(owner)
    statements = [
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(database), role_id
        ),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role_id),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            role_id
        ),
        sql.SQL(
            "REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {}"
        ).format(role_id),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role_id),
        # Tables a later migration creates get the same grants by themselves.
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(owner_id, role_id),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
            "GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(owner_id, role_id),
        # Migrations are the owner's: the app reads which were applied, and changes none.
        sql.SQL("REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {}").format(role_id),
    ]
    for table in audit_tables():
        statements.append(
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                sql.Identifier(table), role_id
            )
        )
    for statement in statements:
        cursor.execute(statement)
    _harden_context_function(cursor, role)


def _harden_context_function(cursor, role: str) -> None:
    """pghistory's context upsert, run as the owner, rewriting no context of another
    transaction (see the module's docstring)."""
    from pghistory.models import Context

    table = Context._meta.db_table
    cursor.execute(
        f"""
        CREATE OR REPLACE FUNCTION _pgh_attach_context()
        RETURNS {table}.id%TYPE
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
            DECLARE
                _pgh_context_id UUID;
                _pgh_context_metadata JSONB;
            BEGIN
                BEGIN
                    SELECT INTO _pgh_context_id CURRENT_SETTING('pghistory.context_id');
                    SELECT INTO _pgh_context_metadata
                        CURRENT_SETTING('pghistory.context_metadata');
                    EXCEPTION WHEN OTHERS THEN
                END;
                IF _pgh_context_id IS NOT NULL AND _pgh_context_metadata IS NOT NULL THEN
                    INSERT INTO {table} (id, metadata, created_at, updated_at)
                        VALUES (_pgh_context_id, _pgh_context_metadata, NOW(), NOW())
                        ON CONFLICT (id) DO UPDATE
                            SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
                            WHERE {table}.metadata != EXCLUDED.metadata
                              AND {table}.created_at = NOW();
                    RETURN _pgh_context_id;
                END IF;
                RETURN NULL;
            END;
        $$ LANGUAGE plpgsql
        """  # noqa: S608 - the table name is the model's, never outside input
    )
    cursor.execute("REVOKE ALL ON FUNCTION _pgh_attach_context() FROM PUBLIC")
    cursor.execute(
        sql.SQL("GRANT EXECUTE ON FUNCTION _pgh_attach_context() TO {}").format(
            sql.Identifier(role)
        )
    )


def set_up(alias: str = "default", password: str | None = None) -> bool:
    """Create the app role if missing and apply its privileges; False if it cannot exist."""
    role = app_role(alias)
    with as_owner(alias) as connection, connection.cursor() as cursor:
        if cursor.connection.info.user == role:
            return True  # one role for both (see settings): nothing to separate
        if not ensure_app_role(cursor, role, password):
            return False
        grant_app_privileges(cursor, role)
    return True


def after_migrate(using: str = "default", **kwargs) -> None:
    set_up(using, connections[using].settings_dict.get("APP_PASSWORD") or None)
