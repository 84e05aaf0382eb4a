"""Screenshots of the summary and of a step, on a desktop and on a phone, for the README.

Run against the demo (`make run` in another terminal), from the repo root:
`.venv/bin/python docs/screenshots.py [--url http://127.0.0.1:8000]`. It signs in as the demo
physician, opens the demo case with the most warnings, and writes docs/*.png. Chromium is
Debian's (CHROMIUM_PATH), as in the browser tests.
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, (width, height) in VIEWPORTS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{args.url}/accounts/login/")
            page.get_by_label("Username").fill("demo")
            page.get_by_label("Password").fill("poems-demo-physician")
            page.get_by_role("button", name="Sign in").click()
            summaries = page.locator("td[data-label='Patient reference'] a").evaluate_all(
                "links => links.map(link => link.href)"
            )
            counts = {}
            for url in summaries:
                page.goto(url)
                counts[url] = page.locator("[data-warning]").count()
            most = max(counts, key=counts.get)
            page.goto(most)
            page.screenshot(path=DOCS / f"summary-{name}.png")
            page.goto(most.replace("/summary/", "/other/"))
            page.get_by_role("group", name="VEGF", exact=True).scroll_into_view_if_needed()
            page.screenshot(path=DOCS / f"step-{name}.png")
            page.close()
        browser.close()
    written = [f"{kind}-{name}.png" for kind in ("summary", "step") for name in VIEWPORTS]
    print(f"Wrote {', '.join(written)} in {DOCS}")


if __name__ == "__main__":
    main()
