"""POST /api/v1/evaluate: its time in-process, and evaluations a second through gunicorn.

Run from the repo root: `.venv/bin/python bench/api_evaluate.py`. It uses its own database
(`--database-url`, created if missing), with production settings (DJANGO_DEBUG=false: the
database's cache table holds the throttle's counters, as in production; the rate is raised so
that the bench measures the API, not the throttle). Prints:
- in-process (Django's test client, one process): median and p95 of a complete case (V01),
  authenticated with a personal API token, over --requests requests after a warm-up;
- through gunicorn with --workers sync workers on 127.0.0.1 (gunicorn.conf.py, as production):
  --clients concurrent clients posting V01 with the token for --seconds seconds, by ApacheBench
  (`ab`, Debian's apache2-utils) where installed, else by Python client processes; evaluations
  a second, errors, p50 and p95.
Targets (2 cores): < 5 ms median in-process, >= 300 evaluations a second with 2 workers.
Traffic stays on the loopback interface; every loop is bounded. Figures, not a test.
"""

import argparse
import functools
import http.client
import json
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
# This file shares its name with the app `api`: the repository first, the benches after it.
sys.path[:] = [str(REPO)] + [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.append(str(BENCH))

from load import manage, percentile, wait_until_up  # noqa: E402

PYTHON = sys.executable
VIGNETTES = Path(os.environ.get("POEMS_SHARED", REPO.parent / "shared")) / "clinical"
WARM_UP = 50
HEADERS = {"Content-Type": "application/json", "X-Forwarded-Proto": "https"}


def v01() -> bytes:
    path = VIGNETTES / "vignettes.json"
    if not path.is_file():
        path = Path("/work/shared/clinical/vignettes.json")
    cases = json.loads(path.read_text(encoding="utf-8"))
    return json.dumps(next(case for case in cases if case["id"] == "V01")["findings"]).encode()


def production_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "api-bench-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": database_url,
        "POEMS_API_RATE": "1000000/min",
        # The app's role logs in by trust on this machine's server: any password does.
        "DATABASE_APP_PASSWORD": "api-bench-trust-auth",
    }


def prepare(env: dict, database_url: str) -> str:
    """The database migrated, and a physician's read-write token: its text."""
    from seed_many import create_database

    create_database(database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    script = (
        "from django.contrib.auth import get_user_model\n"
        "from api import tokens\n"
        "user, _ = get_user_model().objects.get_or_create(username='api_bench')\n"
        "print(tokens.create_token(user, 'bench', 'read_write', 30)[1])\n"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=REPO, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


def in_process(token: str, requests: int) -> tuple[list[float], list[float]]:
    """In this process, set up as production: each request's time and CPU time, in seconds."""
    import django

    django.setup()
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {token}"})
    body = v01()
    times, cpu = [], []
    for index in range(WARM_UP + requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.post(
            "/api/v1/evaluate", body, content_type="application/json", secure=True
        )
        elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        if response.status_code != 200:
            raise SystemExit(f"in-process: {response.status_code} {response.content[:300]!r}")
        if index >= WARM_UP:
            times.append(elapsed)
            cpu.append(elapsed_cpu)
    return times, cpu


def client_process(port: int, token: str, seconds: float, results) -> None:
    """One client: posts V01 one request after another until the time is up."""
    body = v01()
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    times, errors = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            # gunicorn's sync workers close the connection after each response.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("POST", "/api/v1/evaluate", body, headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            ok = response.status == 200
        except OSError:
            ok = False
        if ok:
            times.append(time.perf_counter() - started)
        else:
            errors += 1
    results.put((times, errors))


def through_gunicorn(env, workers, port, drive) -> str:
    """gunicorn as production runs it (gunicorn.conf.py, read from the repository), driven."""
    gunicorn = Path(PYTHON).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "poems_site.wsgi", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=REPO, env=env,
    )  # fmt: skip
    try:
        wait_until_up(port)
        return drive()
    finally:
        server.terminate()
        server.wait(timeout=30)


def python_clients(port, token, clients, seconds) -> str:
    """Client processes in Python, one request after another each."""
    warm = multiprocessing.Queue()
    client_process(port, token, 1.0, warm)  # both workers loaded before counting
    warm.get()
    results = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=client_process, args=(port, token, seconds, results))
        for _ in range(clients)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=seconds + 60) for _ in processes]
    elapsed = time.monotonic() - started
    for process in processes:
        process.join(timeout=30)
    times = [t for outcome in outcomes for t in outcome[0]]
    errors = sum(outcome[1] for outcome in outcomes)
    median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    return (
        f"{clients} Python client processes, {elapsed:.0f} s: {len(times) / elapsed:.0f} "
        f"evaluations/s, {errors} errors, p50 {median:.1f} ms, p95 {p95:.1f} ms"
    )


def apache_bench(ab, port, token, clients, seconds) -> str:
    """ApacheBench (Debian's apache2-utils): a client in C, so the clients take less of the
    two cores from the server than Python's do."""
    with tempfile.NamedTemporaryFile(suffix=".json") as body:
        body.write(v01())
        body.flush()
        command = [
            ab, "-q", "-t", str(seconds), "-n", "10000000", "-c", str(clients),
            "-p", body.name, "-T", "application/json",
            "-H", f"Authorization: Bearer {token}", "-H", "X-Forwarded-Proto: https",
            f"http://127.0.0.1:{port}/api/v1/evaluate",
        ]  # fmt: skip
        warm = [*command[:2], "-n", "200", *command[6:]]
        subprocess.run(warm, check=True, capture_output=True, timeout=60)
        out = subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=seconds + 60
        ).stdout

    def figure(label):
        match = re.search(rf"^\s*{re.escape(label)}\s+([\d.]+)", out, re.MULTILINE)
        return match.group(1) if match else "?"

    non_2xx, rate = figure("Non-2xx responses:"), float(figure("Requests per second:"))
    return (
        f"ApacheBench, {clients} concurrent, {seconds:.0f} s: {rate:.0f} evaluations/s, "
        f"{figure('Failed requests:')} failed, "
        f"{'0' if non_2xx == '?' else non_2xx} not 200, "
        f"p50 {figure('50%')} ms, p95 {figure('95%')} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--clients", type=int, default=4, help="concurrent clients (2 a worker keeps each busy)"
    )
    parser.add_argument(
        "--python-clients", action="store_true", help="Python clients even if ab is installed"
    )
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/poems_api_bench"
    )
    args = parser.parse_args()

    env = production_env(args.database_url)
    token = prepare(env, args.database_url)

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings")
    times, cpu = in_process(token, args.requests)
    median, p95 = statistics.median(times) * 1000, percentile(times, 0.95) * 1000
    print(
        f"in-process, V01 (complete case), {len(times)} requests: median {median:.2f} ms, "
        f"p95 {p95:.2f} ms (CPU median {statistics.median(cpu) * 1000:.2f} ms)"
    )

    ab = shutil.which("ab")
    if ab and not args.python_clients:
        drive = functools.partial(apache_bench, ab, args.port, token, args.clients, args.seconds)
    else:
        drive = functools.partial(python_clients, args.port, token, args.clients, args.seconds)
    figures = through_gunicorn(env, args.workers, args.port, drive)
    print(f"gunicorn, {args.workers} workers (gunicorn.conf.py), {figures}")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average after: {load} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
