"""The shared worked cases, read from beside the repo (they are there in CI too)."""

import json
from pathlib import Path

CLINICAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "clinical"
VIGNETTES_PATH = CLINICAL_DIR / "vignettes.json"
VIGNETTES = json.loads(VIGNETTES_PATH.read_text(encoding="utf-8"))
