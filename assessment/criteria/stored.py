"""The evaluation a case keeps: its primary verdict, Japanese result and warnings.

What the app stores beside the findings so that lists, filters and exports need not evaluate
every case. `evaluate_stored` takes many cases at once, so that re-evaluating an archive can run
in a process of its own beside the database work (assessment.reevaluation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from .criteria_sets import JAPAN_2015
from .evaluation import Evaluation, evaluate
from .validation import FindingsError


class StoredEvaluation(NamedTuple):
    primary: str
    japan: str
    warning_ids: tuple[str, ...]
    # Why the findings are refused ("key: what is wrong; ..."); empty when they are not.
    refused: str = ""


def stored(evaluation: Evaluation) -> StoredEvaluation:
    return StoredEvaluation(
        evaluation.primary.result,
        evaluation.criteria_sets[JAPAN_2015.key].result,
        tuple(warning.id for warning in evaluation.warnings),
    )


def evaluate_stored(cases: Iterable[Mapping[str, object]]) -> list[StoredEvaluation]:
    """Each case's stored evaluation; refused findings leave every result open."""
    evaluations = []
    for findings in cases:
        try:
            evaluations.append(stored(evaluate(findings)))
        except FindingsError as error:
            refused = "; ".join(str(problem) for problem in error.problems)
            evaluations.append(StoredEvaluation("indeterminate", "", (), refused))
    return evaluations
