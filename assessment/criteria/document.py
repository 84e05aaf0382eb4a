"""What `manage.py evaluate` reads: one findings object, a vignette, or a list of either."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .evaluation import evaluate
from .validation import FindingsError, Problem


@dataclass(frozen=True)
class CaseProblem:
    """A problem of one case: its index in a list (None for a single case) and its id."""

    index: int | None
    case_id: Any
    problem: Problem

    def __str__(self) -> str:
        label = "case" if self.index is None else f"case {self.index}"
        if self.case_id is not None:
            label += f" (id {self.case_id})"
        return f"{label}: {self.problem}"


class DocumentError(ValueError):
    """The document is refused as a whole; each line names the case and the problem."""

    def __init__(self, problems: list[CaseProblem]):
        self.problems = problems
        self.lines = [str(problem) for problem in problems]
        super().__init__("\n".join(self.lines))


def _case(entry: object) -> tuple[Any, object]:
    """A vignette (`{"id": ..., "findings": {...}}`, other fields ignored) or bare findings."""
    if isinstance(entry, dict) and isinstance(entry.get("findings"), dict):
        return entry.get("id"), entry["findings"]
    return None, entry


def evaluate_document(document: object) -> dict[str, Any] | list[dict[str, Any]]:
    """Evaluate every case, or refuse the whole document listing every problem of every case."""
    entries = document if isinstance(document, list) else [document]
    evaluations, problems = [], []
    for index, entry in enumerate(entries):
        case_id, findings = _case(entry)
        try:
            evaluations.append(evaluate(findings, case_id).as_contract())
        except FindingsError as error:
            at = index if isinstance(document, list) else None
            problems += [CaseProblem(at, case_id, problem) for problem in error.problems]
    if problems:
        raise DocumentError(problems)
    return evaluations if isinstance(document, list) else evaluations[0]
