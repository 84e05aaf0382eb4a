"""The team's roles as groups with their permissions (review/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from review.roles import ROLES


def create_roles(apps, schema_editor):
    # Permissions are made after every migration has run; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for permission in permissions:
            app_label, codename = permission.split(".")
            # None when its app's models come in a later migration (jobs): that app's own
            # migration runs this again (tests/test_roles.py checks the groups are complete).
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("assessment", "0010_signed_documents"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
