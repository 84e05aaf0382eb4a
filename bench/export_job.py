"""Time a CSV export of every case as a background job, watching its progress as the admin does.

Run from the repo root: `.venv/bin/python bench/export_job.py`. It uses its own database
(`--database-url`, seeded by bench/seed_many.py when empty), starts a real worker
(`manage.py procrastinate worker`) on it, queues the export as the admin's action does
(`jobs.services.start` over every case), then reads the job's row once a second until it is
done. It prints the progress samples and where the time went; it asserts nothing.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed_many import REPO, create_database, seed, setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poems_bench_jobs"
    )
    parser.add_argument("--count", type=int, default=100_000, help="cases to seed when empty")
    args = parser.parse_args()
    create_database(args.database_url)
    setup_django(args.database_url)

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from assessment.models import AccessEvent, Assessment
    from jobs import services
    from jobs.models import Job

    cases = Assessment.objects.count()
    if cases == 0:
        seed(args.count)
        cases = Assessment.objects.count()
    user = get_user_model().objects.filter(username="bench_jobs").first()
    if user is None:
        # No password: nobody signs in as it; it only asks for the export.
        user = get_user_model().objects.create_superuser("bench_jobs", password=None)

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker"],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": args.database_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # the worker up and waiting, as it is beside a running site
        started = time.perf_counter()
        job = services.start(Job.Kind.CSV_EXPORT, user, Assessment.objects.all())
        queued = time.perf_counter() - started
        print(f"{cases:,} cases; queued in {queued:.2f} s (the admin action's own work)")
        samples, all_done_at = [], None
        while True:
            time.sleep(1)
            state, done, total = Job.objects.values_list("state", "done", "total").get(pk=job.pk)
            elapsed = time.perf_counter() - started
            samples.append((elapsed, state, done, total))
            print(f"  {elapsed:5.1f} s  {state:9}  {done:>7,} / {total:,}")
            if done == total and all_done_at is None and state == Job.State.RUNNING:
                all_done_at = elapsed
            if state in (Job.State.SUCCEEDED, Job.State.FAILED):
                break
        total_seconds = time.perf_counter() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)

    job = Job.objects.defer("result").get(pk=job.pk)
    if job.state == Job.State.FAILED:
        print(f"failed: {job.error}")
        return
    running = (job.finished_at - job.started_at).total_seconds()
    waited = (job.started_at - job.created_at).total_seconds()
    print(
        f"succeeded: {total_seconds:.1f} s from the click to the file ready "
        f"({waited:.1f} s queued, {running:.1f} s running); {job.result_size / 1e6:.1f} MB CSV"
    )
    if all_done_at is not None:
        print(
            f"  every row written by {all_done_at:.0f} s (±1 s); joining the parts, storing the "
            f"file and the access events took the rest"
        )
    events = AccessEvent.objects.filter(user=user, kind=AccessEvent.Kind.EXPORT)
    print(f"  {events.filter(at__gte=job.created_at).count():,} access events recorded")
    progressing = [s for s in samples if s[1] == Job.State.RUNNING and 0 < s[2] < s[3]]
    print(f"  {len(progressing)} samples showed progress between 0 and {cases:,}")
    print(f"  (now {timezone.now():%Y-%m-%d %H:%M} UTC)")


if __name__ == "__main__":
    main()
