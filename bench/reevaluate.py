"""Time `manage.py reevaluate` over a whole archive, as after a rule revision.

Run from the repo root: `.venv/bin/python bench/reevaluate.py`. It uses the 100,000-case bench
database of bench/pages.py (`--database-url`, seeded by bench/seed_many.py when empty), marks
every case as evaluated under an older criteria version, then times one run of reevaluate (every
case) and a second one (nothing to do). It prints figures; it asserts nothing.
"""

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_many import create_database, seed, setup_django  # noqa: E402

OLD_VERSION = "1+benchmark000"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poems_bench_100k"
    )
    parser.add_argument("--count", type=int, default=100_000, help="cases to seed when empty")
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()
    create_database(args.database_url)
    setup_django(args.database_url)

    from django.core.management import call_command
    from django.db import connection

    from assessment.models import Assessment
    from dbroles.privileges import as_owner

    cases = Assessment.objects.count()
    if cases == 0:
        seed(args.count)
        cases = Assessment.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE assessment_assessment SET criteria_version = %s", [OLD_VERSION])
    with as_owner(), connection.cursor() as cursor:  # VACUUM is the table's owner's
        cursor.execute("VACUUM ANALYZE assessment_assessment")
    options = {} if args.batch_size is None else {"batch_size": args.batch_size}

    for label in ("every case stale", "again, nothing stale"):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("reevaluate", stdout=out, stderr=io.StringIO(), **options)
        seconds = time.perf_counter() - started
        print(f"{label}: {seconds:.1f} s for {cases:,} cases ({cases / seconds:,.0f}/s)")
        print(f"  {out.getvalue().strip()}")


if __name__ == "__main__":
    main()
