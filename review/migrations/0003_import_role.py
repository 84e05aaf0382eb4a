"""Data managers and admins may import cases (review/roles.py): 0002's roles made again."""

import importlib

from django.db import migrations

create_roles = importlib.import_module("review.migrations.0002_roles").create_roles


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_roles"),
        ("assessment", "0013_import_permission"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
