"""What `manage.py followup` reads: one input, a case object, or a JSON list of either
(followup.md 11)."""

from __future__ import annotations

from typing import Any

from .evaluation import evaluate
from .validation import FollowUpError


class DocumentError(ValueError):
    """The document is refused as a whole; each line names the case and the problem."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def _case(entry: object) -> tuple[Any, object]:
    """A case (`{"id", "inputs": {"baseline", "visits"}}`, other fields ignored) or an input."""
    if isinstance(entry, dict) and isinstance(entry.get("inputs"), dict):
        return entry.get("id"), entry["inputs"]
    return (entry.get("id") if isinstance(entry, dict) else None), entry


def evaluate_document(document: object) -> dict[str, Any] | list[dict[str, Any]]:
    """Evaluate every case, or refuse the whole document listing every problem of every case."""
    entries = document if isinstance(document, list) else [document]
    outputs, lines = [], []
    for index, entry in enumerate(entries):
        case_id, raw = _case(entry)
        try:
            outputs.append(evaluate(raw, case_id))
        except FollowUpError as error:
            label = f"case {index}" if isinstance(document, list) else "case"
            if case_id is not None:
                label += f" (id {case_id})"
            lines += [f"{label}: {problem}" for problem in error.problems]
    if lines:
        raise DocumentError(lines)
    return outputs if isinstance(document, list) else outputs[0]
