"""`manage.py setup_database_roles`: create the app's database role and set its privileges."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dbroles.privileges import app_role, set_up


class Command(BaseCommand):
    help = (
        "Create the app's least-privilege database role if it is missing, set its password from "
        "DATABASE_APP_PASSWORD (so, to rotate it: change the variable, run this, restart the "
        "app), and grant it what the app needs and no more. Runs as the owner of DATABASE_URL; "
        "migrate does the same after every run. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        password = settings.DATABASES[database].get("APP_PASSWORD") or None
        if not set_up(database, password):
            raise CommandError(
                f"The role {app_role(database)!r} does not exist and the owner may not create "
                "it: create it once as a superuser (CREATE ROLE ... LOGIN), then run this again."
            )
        self.stdout.write(f"The app connects as {app_role(database)!r}, with its privileges set.")
