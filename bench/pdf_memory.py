"""Memory growth of rendering the V01 assessment PDF many times in one process.

Run from the repo root: `.venv/bin/python bench/pdf_memory.py [--renders N]`. Renders a few PDFs
to warm up (fonts, stylesheet, templates), then N more (200 by default), and prints how much the
resident set grew, every 50 renders and in all.
The assessment is built in memory, unsaved, so no database is needed. Figures, not a test:
nothing here asserts.
"""

import argparse
import gc
import importlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings")

# As in production: Django set up, WeasyPrint loaded and the start-up objects frozen (gc.freeze).
importlib.import_module("poems_site.wsgi")

from assessment.pdf import render_pdf  # noqa: E402
from bench.pdf import quiet_weasyprint, unsaved_assessment  # noqa: E402
from tests.many_warnings import V01  # noqa: E402

WARM_UP = 5


def status_mib(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def rss_mib() -> float:
    """The current resident set size."""
    return status_mib("VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200, help="PDFs to render after warm-up")
    renders = parser.parse_args().renders
    if renders < 1:
        parser.error("--renders must be at least 1")
    quiet_weasyprint()
    assessment = unsaved_assessment("MRN-V01", V01["findings"])
    for _ in range(WARM_UP):
        render_pdf(assessment)
    gc.collect()
    before = rss_mib()
    start = time.perf_counter()
    for n in range(1, renders + 1):
        render_pdf(assessment)
        if n % 50 == 0:
            gc.collect()
            print(f"after {n:4} renders: RSS {rss_mib():6.1f} MiB")
    elapsed = time.perf_counter() - start
    gc.collect()
    after = rss_mib()
    peak = status_mib("VmHWM")  # the peak, read as RSS is: getrusage can lag behind it
    growth = after - before
    print(
        f"V01, {renders} renders after {WARM_UP} warm-up: RSS {before:.1f} -> {after:.1f} MiB, "
        f"growth {growth:+.1f} MiB ({growth * 1024 / renders:+.0f} KiB a render), "
        f"peak {peak:.1f} MiB, {elapsed / renders * 1000:.0f} ms a render"
    )


if __name__ == "__main__":
    main()
