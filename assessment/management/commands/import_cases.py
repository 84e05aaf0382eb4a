"""`manage.py import_cases FILE --physician USERNAME`: cases from a CSV export, as drafts."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessment.imports import MOST_BYTES, ImportRefused, import_cases


class Command(BaseCommand):
    help = (
        "Import cases from a CSV in the export's format as draft assessments of one physician. "
        "Every row is checked by the criteria engine first; a file with any problem imports "
        "nothing, and every problem is listed by row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a CSV file in the export's format")
        parser.add_argument(
            "--physician", metavar="USERNAME", required=True, help="who the cases belong to"
        )

    def handle(self, *args, file, physician, **_):
        owner = get_user_model().objects.filter(username=physician, is_active=True).first()
        if owner is None:
            raise CommandError(f"--physician: no active user named {physician!r}", returncode=2)
        try:
            created = import_cases(
                self._read(file), owner, source=file.name, imported_by="manage.py import_cases"
            )
        except ImportRefused as refusal:
            lines = [f"{file}: nothing imported ({len(refusal.problems)} problem(s))"]
            raise CommandError("\n".join(lines + [str(p) for p in refusal.problems])) from None
        self.stdout.write(f"Imported {len(created)} draft assessment(s) for {owner.username}.")

    def _read(self, file: Path) -> bytes:
        try:
            size = file.stat().st_size
            if size > MOST_BYTES:
                raise ImportRefused.too_large(size)
            return file.read_bytes()
        except OSError as error:
            message = f"{file}: cannot be read ({error.strerror})"
            raise CommandError(message, returncode=2) from error
