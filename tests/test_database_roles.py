"""The audit trail holds against the app's own connection: the database refuses each bypass.

Every test here runs, like the whole suite, as the app's runtime role (tests/conftest.py): the
role the app connects as in production. What an attacker with that connection tries, the
database refuses, whatever the session sets.
"""

import pghistory
import pytest
from django.db import DatabaseError, connection, transaction

from assessment import services
from assessment.models import AccessEvent, AssessmentEvent
from dbroles.privileges import audit_tables
from tests.assessment_helpers import make_assessment

pytestmark = pytest.mark.django_db

AUDIT_TABLES = audit_tables()


def refused(sql, params=None):
    """Run `sql` in a savepoint; return the database's refusal, or None if it ran."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        return str(error)
    return None


@pytest.fixture
def audited(physician):
    """A case with audit rows of every kind: its events, an access, a context."""
    with pghistory.context(note="before"):
        assessment = make_assessment(physician, patient_reference="MRN-AUDIT")
    services.record_access(assessment, physician, AccessEvent.Kind.SUMMARY)
    return assessment


def test_the_app_is_not_a_superuser_and_owns_no_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
            "FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        assert cursor.fetchone() == (0,)


def test_the_audit_tables_are_the_event_tables_the_access_events_and_the_contexts():
    assert {"pghistory_context", "assessment_assessmentevent", "assessment_accessevent"} <= set(
        AUDIT_TABLES
    )
    assert "assessment_rulechangenoticeevent" in AUDIT_TABLES


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_it_refuses_to_update_delete_or_truncate_an_audit_table(audited, table):
    for statement in (
        f"UPDATE {table} SET {pk_of(table)} = {pk_of(table)}",  # noqa: S608
        f"DELETE FROM {table}",  # noqa: S608
        f"TRUNCATE {table} CASCADE",
    ):
        assert "permission denied" in (refused(statement) or "it ran"), statement


@pytest.mark.parametrize("table", AUDIT_TABLES)
def test_the_app_may_still_read_and_add_to_an_audit_table(audited, table):
    assert refused(f"SELECT count(*) FROM {table}") is None  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(current_user, %s, 'INSERT'), "
            "has_table_privilege(current_user, %s, 'UPDATE')",
            [table, table],
        )
        assert cursor.fetchone() == (True, False)


def test_skipping_the_append_only_trigger_does_not_skip_the_privilege(audited):
    # pgtrigger's own switch: the trigger then lets the row through, the privilege does not.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', '{assessment_assessmentevent:pgtrigger_append_"
            "only_7a4ba}', true)"
        )
        error = refused("UPDATE assessment_assessmentevent SET patient_reference = 'FORGED'")
    assert "permission denied" in error
    assert not AssessmentEvent.objects.filter(patient_reference="FORGED").exists()


def test_disabling_the_triggers_is_refused(audited):
    error = refused("ALTER TABLE assessment_assessmentevent DISABLE TRIGGER USER")

    assert "must be owner" in error


def test_replica_mode_which_skips_every_trigger_is_refused(audited):
    error = refused("SET LOCAL session_replication_role = replica")

    assert "permission denied" in error


@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE pghistory_context SET metadata = \'{"note": "forged"}\'',
        "DELETE FROM pghistory_context",
    ],
)
def test_the_record_of_who_made_a_change_cannot_be_changed(audited, statement):
    assert "permission denied" in refused(statement)


def test_naming_an_old_context_does_not_rewrite_it(transactional_db, audited, physician):
    old = AssessmentEvent.objects.filter(pgh_obj=audited).earliest("pgh_id").pgh_context
    assert old.metadata == {"note": "before"}

    # A later session that reuses the old context's id with other metadata, then changes a case.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pghistory.context_id', %s, true), "
            "set_config('pghistory.context_metadata', '{\"note\": \"forged\"}', true)",
            [str(old.pk)],
        )
        cursor.execute(
            "UPDATE assessment_assessment SET pn_present = 'yes' WHERE id = %s", [audited.pk]
        )

    old.refresh_from_db()
    assert old.metadata == {"note": "before"}
    latest = AssessmentEvent.objects.filter(pgh_obj=audited).latest("pgh_id")
    assert latest.pn_present == "yes"  # the change itself is still recorded


def test_a_context_grows_within_its_own_transaction(physician):
    # pghistory merges a nested context into the row its first change made.
    with transaction.atomic(), pghistory.context(user="outer"):
        assessment = make_assessment(physician, patient_reference="MRN-NESTED")
        with pghistory.context(unlock_reason="a reason"):
            assessment.pn_present = "no"
            services.record(assessment)

    event = AssessmentEvent.objects.filter(pgh_obj=assessment).latest("pgh_id")
    assert event.pgh_context.metadata == {"user": "outer", "unlock_reason": "a reason"}


def test_the_app_cannot_change_the_schema_or_the_migrations():
    assert "permission denied" in refused("CREATE TABLE forged (id int)")
    assert "must be owner" in refused("ALTER TABLE assessment_assessment ADD COLUMN forged int")
    assert "permission denied" in refused("DELETE FROM django_migrations")


def test_the_app_still_does_its_work_and_every_change_is_recorded(audited, physician):
    before = AssessmentEvent.objects.filter(pgh_obj=audited).count()

    audited.pn_present = "yes"
    services.record(audited)

    assert AssessmentEvent.objects.filter(pgh_obj=audited).count() == before + 1


def pk_of(table):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
            [table],
        )
        return cursor.fetchone()[0]


QUEUE_TABLES = [
    "procrastinate_jobs",
    "procrastinate_events",
    "procrastinate_periodic_defers",
    "procrastinate_workers",
]


@pytest.mark.parametrize("table", QUEUE_TABLES)
def test_the_app_works_the_job_queue_but_cannot_change_its_tables(table):
    # What a web process (queueing) and a worker (taking, finishing, heartbeats) do to each;
    # tests/test_jobs.py runs real workers as this role.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = current_user AND table_name = %s",
            [table],
        )
        granted = {row[0] for row in cursor.fetchall()}

    assert granted == {"SELECT", "INSERT", "UPDATE", "DELETE"}
    assert "must be owner" in refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")


def test_the_app_queues_and_takes_a_job_with_the_queue_s_own_functions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW('default', 'jobs.maintenance', 0, "
            "NULL, NULL, '{}'::jsonb, NOW())]::procrastinate_job_to_defer_v1[])"
        )
        cursor.execute("SELECT worker_id FROM procrastinate_register_worker_v1()")
        [worker] = cursor.fetchone()
        cursor.execute("SELECT id FROM procrastinate_fetch_job_v2(NULL, %s)", [worker])
        [job] = cursor.fetchone()
        cursor.execute("SELECT procrastinate_finish_job_v1(%s, 'succeeded', true)", [job])
        cursor.execute("SELECT procrastinate_unregister_worker_v1(%s)", [worker])

    assert job is not None
