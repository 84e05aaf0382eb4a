"""Time export → import → export of 1,000 cases, and check that the findings come back the same.

Run from the repo root: `.venv/bin/python bench/roundtrip.py`. It uses its own database
(`--database-url`, default `postgres://postgres@127.0.0.1:5432/poems_bench_roundtrip`, created if
missing and migrated first), makes `--count` cases with findings drawn as bench/seed_many.py draws
them, exports them as CSV, imports the file for a second physician (checking every row, one
transaction), exports the imported cases and compares the findings. It prints figures; it
asserts nothing. Its cases are deleted at the end.
"""

import argparse
import csv
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_many import create_database, random_findings, setup_django  # noqa: E402


def findings_in(text: str, keys: list[str]) -> list[tuple]:
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return sorted((row["patient_reference"], *(row[key] for key in keys)) for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poems_bench_roundtrip"
    )
    parser.add_argument("--count", type=int, default=1_000)
    args = parser.parse_args()
    create_database(args.database_url)
    setup_django(args.database_url)

    import datetime

    from django.contrib.auth import get_user_model

    from assessment import services
    from assessment.criteria import CATALOGUE
    from assessment.exports import write_csv
    from assessment.imports import import_cases, read_csv
    from assessment.models import Assessment

    User = get_user_model()
    source, _ = User.objects.get_or_create(username="roundtrip_source")
    target, _ = User.objects.get_or_create(username="roundtrip_target")
    Assessment.objects.filter(owner__in=[source, target]).delete()
    rng = random.Random(19)  # noqa: S311 (test data, not secrets)
    for number in range(args.count):
        case = Assessment(
            owner=source,
            patient_reference=f"RT-{number:05d}",
            assessment_date=datetime.date(2025, 1, 1),
            version=0,
            **random_findings(rng),
        )
        services.record(case)

    def export(owner) -> tuple[str, float]:
        out = io.StringIO(newline="")
        started = time.perf_counter()
        write_csv(owner.assessments.order_by("pk"), out, include_patient_reference=True)
        return out.getvalue(), time.perf_counter() - started

    first, export_seconds = export(source)
    data = first.encode()
    started = time.perf_counter()
    read_csv(data)
    check_seconds = time.perf_counter() - started
    started = time.perf_counter()
    import_cases(data, target, source="bench/roundtrip.py", imported_by="bench")
    import_seconds = time.perf_counter() - started
    again, _ = export(target)

    keys = [finding.key for finding in CATALOGUE]
    same = findings_in(first, keys) == findings_in(again, keys)
    n = args.count
    print(f"{n:,} cases, CSV {len(data) / 1024:,.0f} KiB")
    print(f"export: {export_seconds:.2f} s ({n / export_seconds:,.0f} cases/s)")
    print(
        f"check only (every row by the engine): {check_seconds:.2f} s ({n / check_seconds:,.0f}/s)"
    )
    print(
        f"import (check and save, one transaction): {import_seconds:.2f} s "
        f"({n / import_seconds:,.0f}/s)"
    )
    print(f"export → import → export gives identical findings: {'yes' if same else 'NO'}")
    Assessment.objects.filter(owner__in=[source, target]).delete()


if __name__ == "__main__":
    main()
