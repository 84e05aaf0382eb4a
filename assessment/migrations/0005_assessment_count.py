"""The number of assessments, kept by triggers, so the admin's unfiltered list need not count them.

`SELECT COUNT(*)` over the whole archive was the one cost of the admin's list that grew with
the archive (about 10 ms at 100,000 assessments). One row holds the number instead; statement
triggers add the rows each INSERT (or COPY) adds, subtract the rows each DELETE removes, and a
TRUNCATE (as Django's flush does) sets it back to 0. Updating that row locks it until the
transaction ends, so two new assessments are counted one after the other, never lost.

Not a model: Django's flush would empty it without its table's rows. Replaced by 0006's row per
physician (read by `assessment.counts.count_assessments`), whose reverse runs this SQL again.
"""

from django.db import migrations

CREATE = """
-- No assessment added between the first count and the triggers.
LOCK TABLE assessment_assessment IN SHARE ROW EXCLUSIVE MODE;
CREATE TABLE assessment_count (
    single boolean PRIMARY KEY DEFAULT true CHECK (single),
    assessments bigint NOT NULL CHECK (assessments >= 0)
);
INSERT INTO assessment_count (assessments) SELECT count(*) FROM assessment_assessment;

CREATE FUNCTION assessment_count_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assessment_count SET assessments = assessments + (SELECT count(*) FROM added);
    RETURN NULL;
END $$;

CREATE FUNCTION assessment_count_subtract() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assessment_count SET assessments = assessments - (SELECT count(*) FROM removed);
    RETURN NULL;
END $$;

CREATE FUNCTION assessment_count_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assessment_count SET assessments = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER assessment_count_insert AFTER INSERT ON assessment_assessment
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION assessment_count_add();
CREATE TRIGGER assessment_count_delete AFTER DELETE ON assessment_assessment
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION assessment_count_subtract();
CREATE TRIGGER assessment_count_truncate AFTER TRUNCATE ON assessment_assessment
    FOR EACH STATEMENT EXECUTE FUNCTION assessment_count_reset();
"""

DROP = """
DROP TRIGGER assessment_count_truncate ON assessment_assessment;
DROP TRIGGER assessment_count_delete ON assessment_assessment;
DROP TRIGGER assessment_count_insert ON assessment_assessment;
DROP FUNCTION assessment_count_reset();
DROP FUNCTION assessment_count_subtract();
DROP FUNCTION assessment_count_add();
DROP TABLE assessment_count;
"""


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_admin_list_indexes")]

    operations = [migrations.RunSQL(CREATE, DROP)]
