"""Memory growth of rendering the V01 assessment PDF many times in one process.

Run from the repo root: `.venv/bin/python bench/pdf_memory.py`. Renders a few PDFs to warm up
(fonts, stylesheet, templates), then 200 more, and prints how much the resident set grew.
The assessment is built in memory, unsaved, so no database is needed. Figures, not a test:
nothing here asserts.
"""

import gc
import importlib
import os
import resource
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
RENDERS = 200


def rss_mib() -> float:
    """The current resident set size (VmRSS), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def main() -> None:
    quiet_weasyprint()
    assessment = unsaved_assessment("MRN-V01", V01["findings"])
    for _ in range(WARM_UP):
        render_pdf(assessment)
    gc.collect()
    before = rss_mib()
    start = time.perf_counter()
    for n in range(1, RENDERS + 1):
        render_pdf(assessment)
        if n % 50 == 0:
            gc.collect()
            print(f"after {n:3} renders: RSS {rss_mib():6.1f} MiB")
    elapsed = time.perf_counter() - start
    gc.collect()
    after = rss_mib()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    growth = after - before
    print(
        f"V01, {RENDERS} renders after {WARM_UP} warm-up: RSS {before:.1f} -> {after:.1f} MiB, "
        f"growth {growth:+.1f} MiB ({growth * 1024 / RENDERS:+.0f} KiB a render), "
        f"peak {peak:.1f} MiB, {elapsed / RENDERS * 1000:.0f} ms a render"
    )


if __name__ == "__main__":
    main()
