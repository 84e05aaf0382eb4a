"""`createcachetable`, as the owner: the app role may not create tables (dbroles)."""

from django.core.management.commands import createcachetable

from dbroles.privileges import as_owner


class Command(createcachetable.Command):
    def handle(self, *args, **options):
        with as_owner(options["database"]):
            return super().handle(*args, **options)
