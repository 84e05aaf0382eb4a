"""Load many assessments with varied, valid findings, fast: for the benchmarks at scale.

Run from the repo root: `.venv/bin/python bench/seed_many.py --count 100000`. It uses its own
database (`--database-url`, default `postgres://postgres@127.0.0.1:5432/poems_bench`, created
if missing and migrated first). Findings are drawn per finding from the engine's catalogue;
contradictions are dropped by unsetting the keys the engine names; the verdict, criteria
version and warnings are the engine's. Rows go in with PostgreSQL COPY; pghistory's insert
trigger still writes one event row per assessment, as for any insert.
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
PHYSICIANS = ["seed_ada", "seed_grace", "seed_emmy", "seed_lise", "seed_rosalind", "seed_marie"]
PASSWORD = "seed-passphrase-1"  # noqa: S105 (throwaway accounts in a throwaway database)
BATCH = 5_000
# Plausible ranges for the numbers the catalogue gives no maximum for.
NUMBER_RANGES = {
    "age_years": (25, 85),
    "mspike_g_dl": (0, 4),
    "sflc_kappa_mg_l": (3, 80),
    "sflc_lambda_mg_l": (3, 120),
    "sflc_ratio": (0.1, 3),
    "bm_plasma_cell_percent": (0, 20),
    "platelets_10e9_l": (100, 900),
    "hemoglobin_g_dl": (8, 20),
    "vegf_value": (50, 3000),
    "vegf_lab_uln": (100, 1000),
    "vegf_multiple_of_uln": (0.2, 10),
}


def create_database(database_url: str) -> None:
    import psycopg

    name = urlsplit(database_url).path.lstrip("/")
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str) -> None:
    """Migrate the database, then set up Django in this process against it."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO,
        env=os.environ,
        check=True,
    )
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def random_findings(rng: random.Random) -> dict:
    """A draw per finding: about half not assessed, the rest a catalogue value; then valid."""
    from assessment.criteria import CATALOGUE, FindingsError, parse_findings
    from assessment.criteria.findings import Kind

    blank = rng.random()  # some cases nearly empty, some nearly complete
    findings = {}
    for finding in CATALOGUE:
        if rng.random() < blank:
            continue
        if finding.kind is Kind.NUMBER:
            low, high = NUMBER_RANGES.get(finding.key, (0, finding.maximum or 100))
            findings[finding.key] = round(rng.uniform(low, high), 1)
        else:
            findings[finding.key] = rng.choice(finding.choices)
    for _ in range(20):  # each round unsets every key a problem names
        try:
            parse_findings(findings)
        except FindingsError as error:
            for problem in error.problems:
                for key in problem.keys:
                    findings.pop(key, None)
        else:
            return findings
    return {}


def build_row(rng, owner_id, number, fields, now):
    from django.db import connection

    from assessment import services
    from assessment.models import Assessment
    from assessment.steps import STEPS

    findings = random_findings(rng)
    assessment = Assessment(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        owner_id=owner_id,
        patient_reference=f"MRN-{number:07d}",
        assessment_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2500)),
        **findings,
    )
    services._apply_sex(assessment, previous_sex="unknown")
    for key, value in list(findings.items()):
        if getattr(assessment, key) != value:  # _apply_sex overruled it
            findings.pop(key)
    services.store_evaluation(assessment, services.evaluate_assessment(assessment))
    done = rng.random() < 0.6
    assessment.completed_steps = [step.slug for step in STEPS] if done else []
    assessment.status = Assessment.Status.COMPLETE if done else Assessment.Status.DRAFT
    assessment.version = rng.randint(1, 12)
    if done and rng.random() < 0.3:
        assessment.review_status = rng.choice(
            [Assessment.ReviewStatus.REVIEWED, Assessment.ReviewStatus.NEEDS_FOLLOW_UP]
        )
    assessment.created_at = now - datetime.timedelta(seconds=rng.randrange(5 * 365 * 86400))
    assessment.updated_at = assessment.created_at + datetime.timedelta(
        seconds=rng.randrange(86400 * 30)
    )
    return [
        field.get_db_prep_save(getattr(assessment, field.attname), connection) for field in fields
    ]


def progress(done: int, total: int, start: float) -> None:
    width = 40
    filled = width * done // total if total else width
    elapsed = time.monotonic() - start
    sys.stderr.write(
        f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {elapsed:6.1f} s"
    )
    sys.stderr.flush()


def seed(count: int, seed_value: int = 1) -> float:
    """Insert `count` assessments for the seed physicians; returns the seconds it took."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from assessment.models import Assessment, AssessmentEvent
    from dbroles.privileges import as_owner

    start = time.monotonic()
    users = get_user_model()
    owners = []
    for username in PHYSICIANS:
        user, created = users.objects.get_or_create(username=username)
        if created:
            user.set_password(PASSWORD)
            user.save()
        owners.append(user.pk)
    fields = Assessment._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(Assessment._meta.db_table)
    first = Assessment.objects.count()
    rng = random.Random(seed_value + first)  # noqa: S311 (test data, not secrets)
    now = timezone.now()
    done = 0
    progress(done, count, start)
    while done < count:
        size = min(BATCH, count - done)
        rows = [
            build_row(rng, owners[(first + done + i) % len(owners)], first + done + i, fields, now)
            for i in range(size)
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        done += size
        progress(done, count, start)
    # As autovacuum would in time: fresh planner statistics and visibility map for both the
    # assessments and pghistory's event rows, so the plans are those of a settled database.
    event_table = connection.ops.quote_name(AssessmentEvent._meta.db_table)
    with as_owner(), connection.cursor() as cursor:  # VACUUM is the tables' owner's
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f"VACUUM ANALYZE {event_table}")
    sys.stderr.write("\n")
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/poems_bench")
    args = parser.parse_args()
    create_database(args.database_url)
    setup_django(args.database_url)
    elapsed = seed(args.count)
    print(f"{args.count:,} assessments in {elapsed:.1f} s ({args.count / elapsed:,.0f}/s)")


if __name__ == "__main__":
    main()
