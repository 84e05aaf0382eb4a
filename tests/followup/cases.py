"""The shared follow-up cases, read from beside the repo (they are there in CI too)."""

import json

from tests.criteria.vignettes import CLINICAL_DIR

CASES_PATH = CLINICAL_DIR / "followup_vignettes.json"
CASES = json.loads(CASES_PATH.read_text(encoding="utf-8"))
