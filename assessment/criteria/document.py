"""What `manage.py evaluate` reads: one findings object, a vignette, or a list of either."""

from __future__ import annotations

from typing import Any

from .evaluation import evaluate
from .validation import FindingsError


class DocumentError(ValueError):
    """The document is refused as a whole; each line names the case and the problem."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def _case(entry: object) -> tuple[Any, object]:
    """A vignette (`{"id": ..., "findings": {...}}`, other fields ignored) or bare findings."""
    if isinstance(entry, dict) and isinstance(entry.get("findings"), dict):
        return entry.get("id"), entry["findings"]
    return None, entry


def evaluate_document(document: object) -> dict[str, Any] | list[dict[str, Any]]:
    """Evaluate every case, or refuse the whole document listing every problem of every case."""
    entries = document if isinstance(document, list) else [document]
    evaluations, lines = [], []
    for index, entry in enumerate(entries):
        case_id, findings = _case(entry)
        try:
            evaluations.append(evaluate(findings, case_id).as_contract())
        except FindingsError as error:
            label = f"case {index}" if isinstance(document, list) else "case"
            if case_id is not None:
                label += f" (id {case_id})"
            lines += [f"{label}: {problem}" for problem in error.problems]
    if lines:
        raise DocumentError(lines)
    return evaluations if isinstance(document, list) else evaluations[0]
