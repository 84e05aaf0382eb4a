"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

The live server runs in a thread of this process on the test database, so every browser
test uses transactional_db: the tables are emptied after each test instead of rolled back.
"""

import os
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

# Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses
# database queries from a thread with a running loop. The queries here are plain sync
# code that the loop never interleaves with, so the check has nothing to protect.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

AXE = HERE / "vendor" / "axe-core" / "axe.min.js"

PASSWORD = "a long passphrase for tests"  # noqa: S105


def pytest_collection_modifyitems(items):
    # Every test in this folder, so that `pytest -m "not browser"` leaves none behind.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).is_file():
        reason = f"no chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI must never pass by skipping the browser tests
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",  # we run as root in a container
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            # Chromium phones home at start; on a closed network refused connections slow
            # it down and fill the log.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    # Pages resolve relative URLs against it: page.goto(reverse("login")) reaches the live
    # server. Depending on live_server also gives every browser test transactional_db.
    return live_server.url


@pytest.fixture
def physician(django_user_model):
    return django_user_model.objects.create_user(
        "ada", password=PASSWORD, first_name="Ada", last_name="Lovelace"
    )


class SignedInPage(NamedTuple):
    page: Page
    url: str  # the live server's, without a trailing slash


@pytest.fixture
def signed_in_page(page, live_server, physician):
    """A physician signed in through the real sign-in form."""
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(physician.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(settings.LOGIN_REDIRECT_URL)
    return SignedInPage(page, live_server.url)


@pytest.fixture
def axe():
    """Return a check that a page has no serious or critical axe-core violation."""

    def check(page):
        # Evaluated through the DevTools protocol: the Content Security Policy refuses the
        # inline <script> that page.add_script_tag would add.
        page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = page.evaluate("async () => (await axe.run()).violations")
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        if serious:
            pytest.fail(
                f"axe found serious or critical violations on {page.url}:\n"
                + "\n".join(
                    f"- {v['id']} ({v['impact']}): {v['help']}, at "
                    + ", ".join(" ".join(node["target"]) for node in v["nodes"])
                    for v in serious
                )
            )

    return check


# The Content Security Policy: chromium reports every refused script, style or image on the
# console ("Refused to apply inline style because it violates the following Content Security
# Policy directive...").
POLICY_WORDS = "Content Security Policy"


@pytest.fixture
def console(page):
    """Every console message and page error of the test's page, as text."""
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def violations(messages):
    return [message for message in messages if POLICY_WORDS in message]
