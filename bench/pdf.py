"""Median time and size of the assessment PDF: V01 (classic POEMS) and a 14-warning case.

Run from the repo root: `.venv/bin/python bench/pdf.py`. The assessments are built in memory,
unsaved, so no database is needed. Figures, not a test: nothing here asserts.
"""

import datetime
import importlib
import io
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings")

# As in production: Django set up, WeasyPrint loaded and the start-up objects frozen (gc.freeze).
importlib.import_module("poems_site.wsgi")

import weasyprint  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from assessment.models import NOT_ASSESSED, Assessment  # noqa: E402
from assessment.pdf import render_pdf  # noqa: E402
from tests.many_warnings import MANY_WARNINGS, V01  # noqa: E402

RENDERS = 10


def quiet_weasyprint() -> None:
    """WeasyPrint logs each rendering step at INFO; only its warnings matter here."""
    for logger in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(logger).setLevel(logging.WARNING)


def unsaved_assessment(reference: str, findings: dict) -> Assessment:
    owner = get_user_model()(username="bench", first_name="Ada", last_name="Lovelace")
    assessment = Assessment(
        owner=owner, patient_reference=reference, assessment_date=datetime.date(2025, 3, 14)
    )
    for key, value in findings.items():
        if value is not None and value != NOT_ASSESSED:
            setattr(assessment, key, value)
    return assessment


def main() -> None:
    quiet_weasyprint()
    cases = {
        "V01 (classic POEMS, no warning)": unsaved_assessment("MRN-V01", V01["findings"]),
        "14 warnings": unsaved_assessment("MRN-MANY", MANY_WARNINGS),
    }
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"WeasyPrint {weasyprint.__version__}, {RENDERS} renders each (after one warm-up)"
    )
    for name, assessment in cases.items():
        render_pdf(assessment)  # warm-up: fonts, stylesheets and templates loaded once
        timings, sizes = [], []
        for _ in range(RENDERS):
            start = time.perf_counter()
            document = render_pdf(assessment)
            timings.append(time.perf_counter() - start)
            sizes.append(len(document))
        pages = len(PdfReader(io.BytesIO(document)).pages)
        print(
            f"{name:34} {statistics.median(timings) * 1000:6.0f} ms median, "
            f"{statistics.median(sizes) / 1024:5.1f} KiB, {pages} pages"
        )


if __name__ == "__main__":
    main()
