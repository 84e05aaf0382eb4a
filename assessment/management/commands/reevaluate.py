"""`manage.py reevaluate`: bring every stored case up to the current rules (criteria version)."""

import time

from django.core.management.base import BaseCommand

from assessment.criteria import CRITERIA_VERSION
from assessment.management.progress import ProgressReport, plain
from assessment.reevaluation import BATCH_SIZE, reevaluate


class Command(BaseCommand):
    help = (
        "Re-evaluate every assessment stored under another criteria version, update its stored "
        "verdict, warnings and version, and leave a notice for its physician when the result "
        "changed. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="cases per transaction"
        )

    def handle(self, *args, batch_size, **options):
        started = time.perf_counter()
        outcome = reevaluate(batch_size, ProgressReport(self.stderr, "Re-evaluated"))
        seconds = time.perf_counter() - started
        if outcome.reevaluated == 0:
            self.stdout.write(f"Every case is evaluated under criteria {CRITERIA_VERSION}.")
            return
        self.stdout.write(
            f"Re-evaluated {outcome.reevaluated} case(s) under criteria {CRITERIA_VERSION} in "
            f"{seconds:.1f} s: {outcome.changed} changed result, {outcome.refused} now refused "
            "(each has a notice for its physician).",
            style_func=plain,
        )
