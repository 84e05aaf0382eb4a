"""`manage.py evaluate FILE`: print the criteria evaluation of findings as contract.md JSON."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from assessment.criteria import DocumentError, evaluate_document


class Command(BaseCommand):
    help = (
        "Evaluate findings against the POEMS criteria sets. FILE ('-' for standard input) holds "
        "one findings object, a vignette object, or a JSON list of either. Needs no database."
    )
    # No system checks and no database: a physician can evaluate a file anywhere.
    requires_system_checks: list[str] = []
    # What reads the document and what it raises on refusal (`manage.py followup` has its own).
    evaluate_document = staticmethod(evaluate_document)
    refused = DocumentError

    def add_arguments(self, parser):
        parser.add_argument("file", help="a JSON file, or - for standard input")

    def handle(self, *args, file, **options):
        name = "standard input" if file == "-" else file
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{name}: cannot be read ({error})", returncode=2) from error
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(f"{name}: not valid JSON ({error})", returncode=2) from error
        except RecursionError:
            # Python's JSON parser recurses once per nesting level; no findings nest deeply.
            raise CommandError(f"{name}: refused: nested too deeply", returncode=2) from None
        try:
            result = self.evaluate_document(document)
        except self.refused as error:
            raise CommandError(f"{name}: refused\n{error}", returncode=2) from error
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
