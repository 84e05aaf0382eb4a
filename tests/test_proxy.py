"""Two slow clients cannot stall the site: the proxy's buffering, measured on loopback.

gunicorn runs as in production (gunicorn.conf.py: two sync workers), and nginx from Debian's
package runs the deployment's own configuration (deploy/nginx/poems.conf.template) in front of
it. Two clients each send half a request and stop. Straight to gunicorn they hold both workers,
and a third request waits; through nginx, which reads requests whole before passing them on,
the third request is answered at once.
"""

import os
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "deploy" / "nginx" / "poems.conf.template"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HALF_A_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


def healthz(port: int, timeout: float) -> tuple[int, float]:
    started = time.monotonic()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz")
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback)
        return response.status, time.monotonic() - started


def stall(port: int, clients: int = 2) -> list[socket.socket]:
    """Open `clients` connections that send half a request each, and hold them."""
    sockets = []
    for _ in range(clients):
        held = socket.create_connection(("127.0.0.1", port), timeout=5)
        held.sendall(HALF_A_REQUEST)
        sockets.append(held)
    time.sleep(0.5)  # each is now read by a worker, or by the proxy
    return sockets


@pytest.fixture
def gunicorn(tmp_path):
    """The app under gunicorn on loopback, with its production worker settings."""
    port = free_port()
    env = {**os.environ, "WEB_CONCURRENCY": "2"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-tmp-dir",
            str(tmp_path),
            "poems_site.wsgi",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        assert healthz(port, timeout=30)[0] == 200
        yield port
    finally:
        process.terminate()
        process.wait(15)


@pytest.fixture
def nginx(tmp_path, gunicorn):
    """Debian's nginx with the deployment's server block, in front of `gunicorn`."""
    if not Path(NGINX).exists():
        if os.environ.get("CI"):
            pytest.fail("nginx is missing; .ci/run installs Debian's nginx-light")
        pytest.skip("nginx is not installed (Debian package nginx-light)")
    port = free_port()
    server = string.Template(TEMPLATE.read_text()).safe_substitute(
        POEMS_UPSTREAM=f"127.0.0.1:{gunicorn}", POEMS_LISTEN=f"127.0.0.1:{port}"
    )
    (tmp_path / "poems.conf").write_text(server)
    # The image's main configuration, as far as this server needs it, in a folder of its own.
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  fastcgi_temp_path {tmp_path}/f;\n  uwsgi_temp_path {tmp_path}/u;\n"
        f"  scgi_temp_path {tmp_path}/s;\n"
        f"  include {tmp_path}/poems.conf;\n"
        "}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, seconds=10)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def test_two_slow_clients_straight_to_gunicorn_hold_every_worker(gunicorn):
    held = stall(gunicorn)
    try:
        with pytest.raises(OSError):  # timed out: no worker is free to answer
            healthz(gunicorn, timeout=2)
    finally:
        for connection in held:
            connection.close()


def test_behind_the_proxy_two_slow_clients_delay_a_request_by_less_than_a_second(nginx):
    held = stall(nginx)
    try:
        status, seconds = healthz(nginx, timeout=5)
    finally:
        for connection in held:
            connection.close()

    assert status == 200
    assert seconds < 1, f"a normal request took {seconds:.2f} s"


def test_the_proxy_cuts_off_a_client_that_never_finishes_its_headers(nginx):
    [held] = stall(nginx, clients=1)
    held.settimeout(15)
    try:
        answer = held.recv(1024)  # nginx closes it after client_header_timeout (10 s)
    finally:
        held.close()

    assert answer == b"" or answer.startswith(b"HTTP/1.1 408")
