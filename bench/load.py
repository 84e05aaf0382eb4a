"""Simulated physicians against gunicorn: sign in, create and complete assessments, open summaries.

Run from the repo root: `.venv/bin/python bench/load.py --clients 8 --seconds 60`. It uses its own
database (`--database-url`, created if missing), collects static files, starts gunicorn with
production settings on 127.0.0.1, drives it for a fixed time, stops it, and prints requests,
errors, p50 and p95 per page. Traffic stays on the loopback interface; every loop is bounded.
Figures, not a test: nothing here asserts.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PASSWORD = "load-test-passphrase-1"  # noqa: S105 (a throwaway account in a throwaway database)
STEPS = ["neuropathy", "organomegaly", "endocrine", "monoclonal", "bone", "skin", "other"]
# A plausible case: enough to reach a verdict, so the summary does real work.
ANSWERS = {
    "pn_present": "yes",
    "ncs_pattern": "demyelinating",
    "hepatomegaly": "yes",
    "endo_hypogonadism": "yes",
    "serum_ife": "positive",
    "light_chain": "lambda",
    "bone_imaging": "ct_or_pet_ct",
    "bone_lesion_type": "sclerotic",
    "skin_hemangioma": "yes",
    "platelets_10e9_l": "520",
}


class FormFields(HTMLParser):
    """What a browser would post from the page's first form with a CSRF token."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button"):
                self.fields[name] = attrs.get("value", "")
        elif tag == "select" and name and "disabled" not in attrs:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


class Physician:
    """One simulated physician with their own connection and cookies."""

    def __init__(self, port: int, username: str, timings, errors):
        self.port = port
        self.username = username
        self.timings = timings
        self.errors = errors
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, page: str, method: str, path: str, data: dict | None = None):
        # gunicorn sits where a TLS proxy would: say the request came over HTTPS, as the proxy
        # would, and send the Secure cookies back by hand.
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.errors[page].append(repr(error))
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return None, ""
        self.timings[page].append(time.perf_counter() - start)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        expected = 302 if method == "POST" else 200
        if response.status != expected:
            self.errors[page].append(f"{method} {path}: {response.status}")
        return response, content

    def sign_in(self):
        _, page = self.request("sign-in", "GET", "/accounts/login/")
        fields = form_fields(page)
        fields.update(username=self.username, password=PASSWORD)
        self.request("sign-in", "POST", "/accounts/login/", fields)

    def complete_an_assessment(self, number: int):
        _, page = self.request("step GET", "GET", "/assessments/new/")
        fields = form_fields(page)
        fields.update(
            patient_reference=f"LOAD-{self.username}-{number}",
            age_years="55",
            sex="male",
            action="continue",
        )
        response, _ = self.request("step POST", "POST", "/assessments/new/", fields)
        if response is None or response.status != 302:
            return
        location = urlsplit(response.getheader("Location")).path
        for _ in STEPS:
            _, page = self.request("step GET", "GET", location)
            fields = form_fields(page)
            fields.update({k: v for k, v in ANSWERS.items() if k in fields})
            fields["action"] = "continue"
            response, _ = self.request("step POST", "POST", location, fields)
            if response is None or response.status != 302:
                return
            location = urlsplit(response.getheader("Location")).path
        self.request("summary", "GET", location)
        self.request("my assessments", "GET", "/")


def run_physician(physician: Physician, deadline: float, max_assessments: int):
    physician.sign_in()
    for number in range(max_assessments):
        if time.monotonic() >= deadline:
            break
        physician.complete_an_assessment(number)


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=REPO, env=env, check=True)


def prepare(env, database_url: str, clients: int):
    from seed_many import create_database

    create_database(database_url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "-v0")
    create_users = (
        "from django.contrib.auth import get_user_model; U = get_user_model()\n"
        f"for i in range({clients}):\n"
        f"    u, _ = U.objects.get_or_create(username=f'load{{i}}')\n"
        f"    u.set_password('{PASSWORD}'); u.save()\n"
    )
    manage(env, "shell", "-c", create_users)


def wait_until_up(port: int, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/poems_load")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "load-test-" + "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": args.database_url,
    }
    prepare(env, args.database_url, args.clients)
    gunicorn = Path(PYTHON).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "poems_site.wsgi", "-w", str(args.workers),
         "-b", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=REPO,
        env=env,
    )  # fmt: skip
    try:
        wait_until_up(args.port)
        timings, errors = defaultdict(list), defaultdict(list)
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=run_physician,
                args=(Physician(args.port, f"load{i}", timings, errors), deadline, 10_000),
            )
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 60)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    total = sum(len(v) for v in timings.values())
    print(
        f"{args.clients} clients, {args.workers} gunicorn workers, {elapsed:.0f} s, "
        f"{total} requests ({total / elapsed:.0f}/s), "
        f"{sum(len(v) for v in errors.values())} errors"
    )
    print(f"{'page':16} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for page in ["sign-in", "my assessments", "step GET", "step POST", "summary"]:
        values = timings.get(page, [])
        if values:
            print(
                f"{page:16} {len(values):9} {len(errors.get(page, [])):7} "
                f"{statistics.median(values) * 1000:8.1f} {percentile(values, 0.95) * 1000:8.1f}"
            )
    for page, messages in errors.items():
        for message in messages[:3]:
            print(f"  error on {page}: {message}")


if __name__ == "__main__":
    main()
