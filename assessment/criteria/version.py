"""The criteria version: it changes whenever a rule, threshold or message changes.

Rules, thresholds and messages all live in this package's source, so the version carries a digest
of that source: no release can change a rule and forget to change the version.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SPECIFICATION = "criteria.md section 9"
RELEASE = "1"


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CRITERIA_VERSION = f"{RELEASE}+{_source_digest()}"
