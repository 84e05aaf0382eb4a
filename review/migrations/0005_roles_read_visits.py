"""Reviewers and admins read follow-up visits (review/roles.py): the roles again."""

import importlib

from django.db import migrations

# A module name starting with a digit is imported by name.
create_roles = importlib.import_module("review.migrations.0002_roles").create_roles


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_staging_findings"),
        ("followup", "0001_initial"),
        # Last of the roles migrations, so that it sees every permission they name.
        ("jobs", "0002_roles"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
