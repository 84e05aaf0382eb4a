"""Search by any part of a patient reference: a trigram index on UPPER(patient_reference).

pg_trgm ships with PostgreSQL's contrib modules (the postgres image, Debian's postgresql), not
with the embedded development server: there the index is left out and a search scans the
table, which a development archive can afford. The model declares the index either way.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations

TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS assessment_reference_trgm ON assessment_assessment "
    "USING gin (UPPER(patient_reference) gin_trgm_ops)"
)


def add_trigram_index(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        # A trusted extension: the database's owner may create it.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute(TRIGRAM_INDEX)


def drop_trigram_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS assessment_reference_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0010_signed_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="assessment", name="assessment_patient_ref_upper"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="assessment",
                    index=django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass(
                            django.db.models.functions.text.Upper("patient_reference"),
                            name="gin_trgm_ops",
                        ),
                        name="assessment_reference_trgm",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(add_trigram_index, drop_trigram_index)],
        ),
    ]
