"""Median time of one criteria evaluation: a complete case, a half-filled one, an empty one.

Run from the repo root: `.venv/bin/python bench/criteria.py`. Targets on the 2-core machine:
complete under 0.2 ms, empty under 1 ms. Figures, not a test: nothing here asserts.
"""

import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assessment.criteria import CATALOGUE, evaluate_findings, parse_findings  # noqa: E402

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "clinical" / "vignettes.json"
BATCH = 200
BATCHES = 50


def timings_ms(findings) -> list[float]:
    """One evaluation's time, in ms, averaged over each of BATCHES batches of BATCH."""
    timings = []
    for _ in range(BATCHES):
        start = time.perf_counter()
        for _ in range(BATCH):
            evaluate_findings(findings)
        timings.append((time.perf_counter() - start) / BATCH * 1000)
    return timings


def median_ms(findings) -> float:
    return statistics.median(timings_ms(findings))


def cases() -> dict[str, dict]:
    """The raw findings of the three cases, by name; bench/pages.py times the first and last."""
    complete = json.loads(VIGNETTES.read_text())[0]["findings"]  # V01, every finding recorded
    first_half = {finding.key for finding in CATALOGUE[: len(CATALOGUE) // 2]}
    half = {key: value for key, value in complete.items() if key in first_half}
    return {
        "complete (V01)": complete,
        "half-filled (V01, first half of the findings)": half,
        "empty": {},
    }


def main() -> None:
    print(f"Python {platform.python_version()} on {platform.machine()}, {BATCHES}×{BATCH} runs")
    for name, raw in cases().items():
        print(f"{name:48} {median_ms(parse_findings(raw)):.3f} ms per evaluation (median)")


if __name__ == "__main__":
    main()
