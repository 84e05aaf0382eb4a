"""The roles' permissions of this app (review/roles.py), given by running review's
0002_roles again now that they exist."""

from importlib import import_module

from django.db import migrations

create_roles = import_module("review.migrations.0002_roles").create_roles


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("review", "0003_import_role"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
