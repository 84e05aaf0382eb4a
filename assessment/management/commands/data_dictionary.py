"""`manage.py data_dictionary`: what each column of the CSV export means, as CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessment import dictionary


class Command(BaseCommand):
    help = (
        "Write the data dictionary of the CSV export (one row per column: label, step, type, "
        "unit, allowed values, plausibility limits, the criteria items it feeds) as CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="a file (default: standard output)")

    def handle(self, *args, output, **_):
        if output is None:
            dictionary.write_csv(self.stdout)
            return
        try:
            with output.open("w", encoding="utf-8", newline="") as out:
                rows = dictionary.write_csv(out)
        except OSError as error:
            raise CommandError(f"{output}: cannot be written ({error})", returncode=2) from error
        self.stderr.write(f"Wrote {rows} columns' entries to {output}.")
