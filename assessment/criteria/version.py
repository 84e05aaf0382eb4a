"""The criteria version, and the rule changes between releases.

The version changes whenever a rule, threshold or message changes: rules, thresholds and
messages all live in this package's source, so the version carries a digest of that source,
and no release can change a rule and forget to change the version. Each release of the rules
(a revision of criteria.md section 9) adds a line to RULE_CHANGES, which the app quotes to a
physician whose stored case it changed.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import NamedTuple

SPECIFICATION = "criteria.md section 9"


class RuleChange(NamedTuple):
    release: str
    date: date
    summary: str  # one line, in the clinic's words


RULE_CHANGES: tuple[RuleChange, ...] = (
    RuleChange("1", date(2026, 11, 24), "First release of the rules (criteria.md 9, revision 1)."),
    RuleChange(
        "2",
        date(2026, 12, 1),
        "A VEGF above the normal range but below the cut-off (plasma 96.2–200, serum "
        "1000–1920 pg/mL) now leaves the VEGF criterion open instead of unmet; VEGF, M-spike "
        "and free light chain values that are usually unit slips are refused.",
    ),
)
RELEASE = RULE_CHANGES[-1].release


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


CRITERIA_VERSION = f"{RELEASE}+{_source_digest()}"


def release_of(criteria_version: str) -> str:
    """The release part of a criteria version ("2" of "2+3f9c..."); "" if there is none."""
    return criteria_version.partition("+")[0]


def changes_since(criteria_version: str) -> tuple[RuleChange, ...]:
    """The rule changes made after the release `criteria_version` belongs to, oldest first.

    Empty when that release is the current one: the version then differs only by a change that
    is not a new release of the rules (a message's wording, say).
    """
    release = release_of(criteria_version)
    known = [change.release for change in RULE_CHANGES]
    if release not in known:
        return RULE_CHANGES
    return RULE_CHANGES[known.index(release) + 1 :]
