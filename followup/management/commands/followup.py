"""`manage.py followup FILE`: print the staging and follow-up evaluation (followup.md 11), read
and refused as `manage.py evaluate` does (exit 2, the problems on stderr); `--check` instead
compares each case of a case file with its expected outputs (followup.md 12)."""

import json

from django.core.management.base import CommandError

from assessment.management.commands import evaluate
from followup.engine import DocumentError, check_case, evaluate_document


class Command(evaluate.Command):
    help = (
        "Evaluate baseline staging and follow-up visits (followup.md). FILE ('-' for standard "
        "input) holds one input, a case object, or a JSON list of either. With --check, FILE is "
        "a case file and each case is compared with its expected outputs. Needs no database."
    )
    evaluate_document = staticmethod(evaluate_document)
    refused = DocumentError

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare each case's output with its expected_outputs; exit 1 on a difference",
        )

    def handle(self, *args, file, check=False, **options):
        if not check:
            return super().handle(*args, file=file, **options)
        try:
            with open(file, encoding="utf-8") as handle:
                cases = json.load(handle)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
            raise CommandError(f"{file}: cannot be read as JSON ({error})", returncode=2) from error
        if not isinstance(cases, list) or not all(
            isinstance(case, dict) and "inputs" in case and "expected_outputs" in case
            for case in cases
        ):
            raise CommandError(
                f"{file}: not a case file (a list of cases with inputs and expected_outputs)",
                returncode=2,
            )
        failed = 0
        for case in cases:
            found = check_case(case)
            failed += bool(found)
            self.stdout.write(f"{case.get('id')}: {'differs' if found else 'reproduced'}")
            for difference in found:
                self.stdout.write(f"  {difference}")
        self.stdout.write(f"{len(cases) - failed}/{len(cases)} cases reproduced")
        if failed:
            raise CommandError(f"{failed} case(s) differ", returncode=1)
