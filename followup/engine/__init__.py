"""Staging and follow-up (followup.md, `followup-1`): plain Python, no Django.

A baseline (the assessment's findings plus the staging keys) and follow-up visits in; sourced
prognostic factor flags, disease extent, the baseline work-up checklist and, per visit, VEGF
comparability and percent changes, ONLS totals and immunofixation status out. It never computes a
response category, a treatment choice or a risk group (followup.md 10).
"""

from .cases import check_case, result_of
from .document import DocumentError, evaluate_document
from .evaluation import evaluate, evaluate_input
from .fields import STAGING, STAGING_KEYS, VISIT, VISIT_FIELDS, Kind
from .notes import NOTES, Note
from .validation import (
    FollowUpError,
    FollowUpInput,
    Problem,
    Visit,
    parse_baseline,
    parse_input,
    staging_problems,
)
from .version import SPEC_VERSION

__all__ = [
    "NOTES",
    "SPEC_VERSION",
    "STAGING",
    "STAGING_KEYS",
    "VISIT",
    "VISIT_FIELDS",
    "DocumentError",
    "FollowUpError",
    "FollowUpInput",
    "Kind",
    "Note",
    "Problem",
    "Visit",
    "check_case",
    "evaluate",
    "evaluate_document",
    "evaluate_input",
    "parse_baseline",
    "parse_input",
    "result_of",
    "staging_problems",
]
