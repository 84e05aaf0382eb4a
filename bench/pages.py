"""Page times and SQL query counts at 1,000 and at 100,000 assessments, through the test client.

Run from the repo root: `.venv/bin/python bench/pages.py`. It uses two databases of its own
(`--small-url`, `--large-url`; created and filled by bench/seed_many.py if missing or short, reused
otherwise) and measures each in four child processes with production settings, taken in turn
with the other's so that the VM's drift in speed weighs on both alike: a physician for the app
pages (every step, "other" the largest; the PDF rendered, then reused), a staff user for the admin
(its list of assessments, one case, and the audit trail, whose events outnumber the cases).
Prints, per page, the median and p95 time, the query count, the ratio to /healthz and the ratio of
its time at 100,000 to that at 1,000; then the engine alone (bench/criteria.py) and its share of the
summary request. Targets (2 cores): summary < 15 ms median, the live verdict < 15 ms, every step
page < 25 ms, admin
changelist at 100,000 < 50 ms (plain, filtered, searched), PDF < 200 ms, no page > 1.3x slower at
100,000 than at 1,000; the engine under 1% of the summary for a full case, < 1 ms empty.
Figures, not a test: nothing here asserts.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

# Each database is measured in ROUNDS child processes, taken in turn (1k, 100k, 100k, 1k, ...),
# so that this VM's drift in speed over minutes weighs on both sizes alike.
ROUNDS = 4
REQUESTS = 10  # a page, per round
PDF_REQUESTS = 3  # a page, per round: each is a few hundred ms
WARM_UP = 3
PHYSICIAN = "seed_ada"
STAFF = "seed_admin"
# Any part of a reference: matches ten at either size (MRN-0000120 to MRN-0000129), typed in
# lower case.
SEARCH = "n-000012"
ENGINE_CASES = ("complete (V01)", "empty")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure() -> dict:
    """In the child process: every page's timings and query count, as a dict by page."""
    import importlib

    # As in production: Django set up, WeasyPrint loaded, start-up objects frozen (gc.freeze).
    importlib.import_module("poems_site.wsgi")
    import criteria
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from load import form_fields

    from assessment import services
    from assessment.criteria import FindingsError, parse_findings
    from assessment.models import Assessment
    from assessment.steps import STEPS

    users = get_user_model()
    physician = users.objects.get(username=PHYSICIAN)
    staff, _ = users.objects.get_or_create(
        username=STAFF, defaults={"is_staff": True, "is_superuser": True}
    )
    # Two of the physician's cases, chosen by reference so every run reads the same ones: one
    # for the pages that read, one for the POSTs, whose events would otherwise pile up in the
    # history the admin change page shows and make runs incomparable.
    case, posted, signed = Assessment.objects.filter(owner=physician).order_by("patient_reference")[
        :3
    ]
    if signed.signed_at is None:
        # Signed once, the first time: its PDF is archived at signing and served as it was.
        signed.completed_steps = [step.slug for step in STEPS]
        try:
            signed = services.sign(services.record(signed), physician)
        except FindingsError:
            signed = None
    app = Client(HTTP_X_FORWARDED_PROTO="https")
    app.force_login(physician)
    admin = Client(HTTP_X_FORWARDED_PROTO="https")
    admin.force_login(staff)

    post_url = f"/assessments/{posted.pk}/other/"
    post_fields = form_fields(app.get(post_url).content.decode())
    post_fields["action"] = "draft"

    def step_post():
        # The current version each time, so the save is never refused as stale.
        version = Assessment.objects.values_list("version", flat=True).get(pk=posted.pk)
        return app.post(post_url, {**post_fields, "version": str(version)})

    # The live verdict panel's request: the largest step's inputs, evaluated, nothing saved.
    live_url = f"/assessments/{case.pk}/other/live/"
    live_fields = form_fields(app.get(f"/assessments/{case.pk}/other/").content.decode())

    changelist = "/admin/assessment/assessment/"
    audit_trail = "/admin/assessment/assessmentevent/"
    pdf_url = f"/assessments/{case.pk}/pdf/"

    def pdf_rendered():
        # An empty cache, so the PDF is rendered as on its first download.
        cache.clear()
        return app.get(pdf_url)

    step_pages = [
        (f"step GET ({step.slug})", lambda url=f"/assessments/{case.pk}/{step.slug}/": app.get(url))
        for step in STEPS
    ]
    pages = [
        ("/healthz (baseline)", lambda: app.get("/healthz"), 200, REQUESTS),
        *((name, request, 200, REQUESTS) for name, request in step_pages),
        ("step POST (other)", step_post, 302, REQUESTS),
        ("live verdict (other)", lambda: app.post(live_url, live_fields), 200, REQUESTS),
        ("summary", lambda: app.get(f"/assessments/{case.pk}/summary/"), 200, REQUESTS),
        ("my assessments", lambda: app.get("/"), 200, REQUESTS),
        ("admin changelist", lambda: admin.get(changelist), 200, REQUESTS),
        (
            "admin changelist, verdict",
            lambda: admin.get(changelist, {"primary_verdict__exact": "meets"}),
            200,
            REQUESTS,
        ),
        ("admin changelist, search", lambda: admin.get(changelist, {"q": SEARCH}), 200, REQUESTS),
        (
            "admin change page",
            lambda: admin.get(f"{changelist}{case.pk}/change/"),
            200,
            REQUESTS,
        ),
        ("admin audit trail", lambda: admin.get(audit_trail), 200, REQUESTS),
        ("PDF, first render", pdf_rendered, 200, PDF_REQUESTS),
        ("PDF, unchanged case", lambda: app.get(pdf_url), 200, REQUESTS),
        *(
            [
                (
                    "PDF, signed case (archived)",
                    lambda: app.get(f"/assessments/{signed.pk}/pdf/"),
                    200,
                    REQUESTS,
                )
            ]
            if signed
            else []
        ),
    ]
    results = {"assessments": Assessment.objects.count()}
    for name, request, expected, count in pages:
        for _ in range(WARM_UP):
            request()
        timings = []
        for _ in range(count):
            start = time.perf_counter()
            response = request()
            timings.append((time.perf_counter() - start) * 1000)
            if response.status_code != expected:
                raise SystemExit(f"{name}: {response.status_code}, expected {expected}")
        with CaptureQueriesContext(connection) as queries:
            request()
        results[name] = {"timings": timings, "queries": len(queries)}
        if name == "summary":
            # The engine alone, as bench/criteria.py times it, in the same minute as the summary
            # it is a share of.
            for engine_case in ENGINE_CASES:
                findings = parse_findings(criteria.cases()[engine_case])
                results[f"engine, {engine_case}"] = {"timings": criteria.timings_ms(findings)}
    return results


def prepare(database_url: str, count: int) -> None:
    """Create and fill the database up to `count` assessments, reusing what is there."""
    import psycopg
    from seed_many import create_database

    create_database(database_url)
    with psycopg.connect(database_url) as connection:
        exists = connection.execute("SELECT to_regclass('assessment_assessment')").fetchone()[0]
        have = (
            connection.execute("SELECT count(*) FROM assessment_assessment").fetchone()[0]
            if exists
            else 0
        )
    missing = count - have
    # seed_many migrates first, so a new migration reaches a reused database too.
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "seed_many.py"),
            "--count",
            str(max(missing, 0)),
            "--database-url",
            database_url,
        ],
        cwd=REPO,
        check=True,
    )


def production_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "pages-bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "poems_site.settings",
        "DATABASE_URL": database_url,
        # The app's role logs in by trust on this machine's server: any password does.
        "DATABASE_APP_PASSWORD": "pages-bench-trust-auth",
    }


def deploy(database_url: str) -> None:
    """As a deployment does (Dockerfile, entrypoint): hashed static files and the cache table."""
    manage = [sys.executable, "manage.py"]
    env = production_env(database_url)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=REPO, env=env, check=True)
    subprocess.run([*manage, "createcachetable"], cwd=REPO, env=env, check=True)


def run_child(database_url: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--measure"],
        cwd=REPO,
        env=production_env(database_url),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure_in_turns(urls: tuple[str, str]) -> tuple[dict, dict]:
    """Both databases' pages over ROUNDS children each, in ABBA order, the timings pooled."""
    timings: list[dict[str, list[float]]] = [defaultdict(list), defaultdict(list)]
    results: list[dict] = [{}, {}]
    for round_number in range(ROUNDS):
        for index in (0, 1) if round_number % 2 == 0 else (1, 0):
            measured = run_child(urls[index])
            results[index]["assessments"] = measured.pop("assessments")
            for name, page in measured.items():
                timings[index][name].extend(page["timings"])
                results[index][name] = {"queries": page.get("queries", 0)}
    for at_size, timings_at_size in zip(results, timings, strict=True):
        for name, page_timings in timings_at_size.items():
            at_size[name].update(
                median=statistics.median(page_timings), p95=percentile(page_timings, 0.95)
            )
    return results[0], results[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    base = "postgres://postgres@127.0.0.1:5432/"
    parser.add_argument("--small-url", default=base + "poems_bench_1k")
    parser.add_argument("--large-url", default=base + "poems_bench_100k")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return
    prepare(args.small_url, 1_000)
    prepare(args.large_url, 100_000)
    deploy(args.small_url)
    deploy(args.large_url)
    small, large = measure_in_turns((args.small_url, args.large_url))
    print(
        f"{small.pop('assessments'):,} and {large.pop('assessments'):,} assessments; "
        f"{ROUNDS * REQUESTS} requests a page ({ROUNDS * PDF_REQUESTS} for the PDF's first "
        f"render) in {ROUNDS} rounds a size, taken in turn; medians and p95 in ms"
    )
    header = (
        f"{'page':28} {'1k med':>7} {'1k p95':>7} {'100k med':>8} {'100k p95':>8} "
        f"{'queries':>9} {'x base':>7} {'100k/1k':>7}"
    )
    print(header)
    print("-" * len(header))
    baseline = large["/healthz (baseline)"]["median"]
    for name, at_small in small.items():
        at_large = large[name]
        queries = f"{at_small['queries']}/{at_large['queries']}"
        # The engine takes a tenth of a millisecond: more digits for it.
        digits, base_digits = (3, 2) if name.startswith("engine") else (1, 1)
        print(
            f"{name:28} {at_small['median']:7.{digits}f} {at_small['p95']:7.{digits}f} "
            f"{at_large['median']:8.{digits}f} {at_large['p95']:8.{digits}f} {queries:>9} "
            f"{at_large['median'] / baseline:7.{base_digits}f} "
            f"{at_large['median'] / at_small['median']:7.2f}"
        )
    for case in ENGINE_CASES:
        shares = [
            at_size[f"engine, {case}"]["median"] / at_size["summary"]["median"]
            for at_size in (small, large)
        ]
        print(f"engine, {case}: {shares[0]:.2%} / {shares[1]:.2%} of the summary at 1k / 100k")


if __name__ == "__main__":
    main()
