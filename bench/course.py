"""The course page of a case with 20 visits: median and p95 time and query count.

Run from the repo root: `.venv/bin/python bench/course.py` (needs the local PostgreSQL at
127.0.0.1:5432; `--database-url` names another). It uses a database of its own, migrated and
filled with one diagnosed case (followup_vignettes.json FU04's baseline) and 20 visits, and
measures in a child process with production settings, through the test client, as
bench/pages.py does. Also the follow-up engine alone on that input. Target (2 cores): course
page < 20 ms median. Figures, not a test: nothing here asserts.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/poems_bench_course"
REQUESTS = 60
WARM_UP = 5
VISITS = 20
PHYSICIAN = "bench_course"


def measure() -> dict:
    import datetime
    import importlib

    importlib.import_module("poems_site.wsgi")
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessment.models import Assessment
    from followup import services
    from followup.engine import evaluate
    from followup.models import FollowUpVisit
    from tests.assessment_helpers import make_assessment
    from tests.followup.cases import CASES

    physician, created = get_user_model().objects.get_or_create(username=PHYSICIAN)
    assessment = None if created else Assessment.objects.filter(owner=physician).first()
    if assessment is None:
        baseline = next(c for c in CASES if c["id"] == "FU04")["inputs"]["baseline"]
        assessment = make_assessment(physician, **baseline)
        for n in range(VISITS):
            FollowUpVisit.objects.create(
                assessment=assessment,
                visit_date=datetime.date(2026, 2, 1) + datetime.timedelta(days=30 * n),
                months_since_treatment_start=n + 1,
                treatment_since_last_visit=["bevacizumab"] if n == 15 else ["lenalidomide"],
                bevacizumab_since_baseline="yes" if n >= 15 else "no",
                vegf_value=4800 - 200 * n,
                vegf_unit="pg/mL",
                vegf_sample="plasma" if n % 7 == 3 else "serum",
                vegf_assay="Quantikine ELISA, Hospital lab",
                vegf_lab_uln=1000,
                serum_ife="positive",
                urine_ife="negative",
                onls_arm=2,
                onls_leg=3,
            )
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(physician)
    url = f"/assessments/{assessment.pk}/course/"
    for _ in range(WARM_UP):
        if client.get(url).status_code != 200:
            raise SystemExit(f"{url} does not answer 200")
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    raw = services.course_of(assessment)
    engine_input = {
        "baseline": services.findings_of(assessment),
        "visits": [services.visit_input(services.values_of(v)) for v in raw.visits],
    }
    engine = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        evaluate(engine_input)
        engine.append((time.perf_counter() - start) * 1000)
    ordered = sorted(timings)
    return {
        "visits": len(raw.visits),
        "median_ms": statistics.median(timings),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "queries": len(queries),
        "engine_median_ms": statistics.median(engine),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure()))
        return
    from pages import deploy, production_env
    from seed_many import create_database

    create_database(arguments.database_url)
    env = production_env(arguments.database_url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    deploy(arguments.database_url)
    output = subprocess.run(
        [sys.executable, __file__, "--measure"],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    print(
        f"course page, {figures['visits']} visits: median {figures['median_ms']:.1f} ms, "
        f"p95 {figures['p95_ms']:.1f} ms, {figures['queries']} queries (target < 20 ms median)"
    )
    print(f"follow-up engine alone: median {figures['engine_median_ms']:.2f} ms")


if __name__ == "__main__":
    main()
