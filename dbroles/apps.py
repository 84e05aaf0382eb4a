from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DatabaseRolesConfig(AppConfig):
    name = "dbroles"
    verbose_name = "Database roles"

    def ready(self):
        from dbroles import privileges

        # After every migrate (which runs as the owner), new tables get the app role's grants,
        # and new audit tables lose everything but SELECT and INSERT.
        post_migrate.connect(privileges.after_migrate, sender=self)
