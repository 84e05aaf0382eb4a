"""`migrate`, as the database's owner: the app's own role may not do it (dbroles.privileges)."""

from django.core.management.commands import migrate

from dbroles.privileges import as_owner


class Command(migrate.Command):
    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
