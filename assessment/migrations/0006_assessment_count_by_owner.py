"""The number of assessments per physician, kept by triggers, in place of 0005's single total.

"My assessments" counted the physician's own cases for its "Page 1 of N" on every request, which
took longer with each case she added (about 3 ms at 16,667 cases). One row per physician now
holds her number, and the archive's total, which the admin's unfiltered list shows, is their sum.
Statement triggers add what each INSERT (or COPY) adds and subtract what each DELETE removes, a
row trigger moves a case whose owner changes, and a TRUNCATE (as Django's flush does) empties
the table. Updating a physician's row locks it until the transaction ends, so two of her new
assessments are counted one after the other, never lost. The statement triggers take the rows
in owner order, so two statements that each touch several physicians cannot deadlock.

Not a model: Django's flush would empty it without its table's rows. Read by
`assessment.counts.count_assessments`.
"""

from importlib import import_module

from django.db import migrations

single_total = import_module("assessment.migrations.0005_assessment_count")

CREATE = """
-- No assessment added between the first count and the triggers.
LOCK TABLE assessment_assessment IN SHARE ROW EXCLUSIVE MODE;
CREATE TABLE assessment_count_by_owner (
    owner_id bigint PRIMARY KEY,
    assessments bigint NOT NULL CHECK (assessments >= 0)
);
INSERT INTO assessment_count_by_owner (owner_id, assessments)
    SELECT owner_id, count(*) FROM assessment_assessment GROUP BY owner_id;

CREATE FUNCTION assessment_count_by_owner_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO assessment_count_by_owner AS counted (owner_id, assessments)
        SELECT owner_id, count(*) FROM added GROUP BY owner_id ORDER BY owner_id
        ON CONFLICT (owner_id)
        DO UPDATE SET assessments = counted.assessments + excluded.assessments;
    RETURN NULL;
END $$;

CREATE FUNCTION assessment_count_by_owner_subtract() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner record;
BEGIN
    FOR owner IN SELECT owner_id, count(*) AS removed FROM removed GROUP BY owner_id
                 ORDER BY owner_id LOOP
        UPDATE assessment_count_by_owner SET assessments = assessments - owner.removed
            WHERE owner_id = owner.owner_id;
    END LOOP;
    RETURN NULL;
END $$;

CREATE FUNCTION assessment_count_by_owner_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assessment_count_by_owner SET assessments = assessments - 1
        WHERE owner_id = OLD.owner_id;
    INSERT INTO assessment_count_by_owner AS counted (owner_id, assessments)
        VALUES (NEW.owner_id, 1)
        ON CONFLICT (owner_id) DO UPDATE SET assessments = counted.assessments + 1;
    RETURN NULL;
END $$;

CREATE FUNCTION assessment_count_by_owner_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM assessment_count_by_owner;
    RETURN NULL;
END $$;

CREATE TRIGGER assessment_count_by_owner_insert AFTER INSERT ON assessment_assessment
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION assessment_count_by_owner_add();
CREATE TRIGGER assessment_count_by_owner_delete AFTER DELETE ON assessment_assessment
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION assessment_count_by_owner_subtract();
-- A row trigger, fired only by a change of owner: a step's save leaves the counts untouched.
CREATE TRIGGER assessment_count_by_owner_update AFTER UPDATE OF owner_id ON assessment_assessment
    FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
    EXECUTE FUNCTION assessment_count_by_owner_move();
CREATE TRIGGER assessment_count_by_owner_truncate AFTER TRUNCATE ON assessment_assessment
    FOR EACH STATEMENT EXECUTE FUNCTION assessment_count_by_owner_reset();
"""

DROP = """
DROP TRIGGER assessment_count_by_owner_truncate ON assessment_assessment;
DROP TRIGGER assessment_count_by_owner_update ON assessment_assessment;
DROP TRIGGER assessment_count_by_owner_delete ON assessment_assessment;
DROP TRIGGER assessment_count_by_owner_insert ON assessment_assessment;
DROP FUNCTION assessment_count_by_owner_reset();
DROP FUNCTION assessment_count_by_owner_move();
DROP FUNCTION assessment_count_by_owner_subtract();
DROP FUNCTION assessment_count_by_owner_add();
DROP TABLE assessment_count_by_owner;
"""


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_assessment_count")]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        # 0005's single total, now the sum of the rows above; reversing counts it anew.
        migrations.RunSQL(single_total.DROP, single_total.CREATE),
    ]
