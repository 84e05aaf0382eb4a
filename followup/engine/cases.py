"""Case files (followup.md 12): an output set against a case's expected outputs (11)."""

from __future__ import annotations

from typing import Any

from .evaluation import evaluate
from .validation import FollowUpError
from .version import SPEC_VERSION

_AS_SETS = ("reasons", "notes", "errors")
_NOT_COMPARED = ("id", "spec_version")


def result_of(case_id: Any, raw: object) -> dict[str, Any]:
    """The output object, or for an invalid input the result object naming its X_ IDs."""
    try:
        return evaluate(raw, case_id)
    except FollowUpError as error:
        errors = list(dict.fromkeys(problem.id for problem in error.problems))
        return {"id": case_id, "spec_version": SPEC_VERSION, "valid": False, "errors": errors}


def differences(computed: Any, expected: Any, path: str = "") -> list[str]:
    """Where `computed` differs from `expected`: reasons, notes and errors as sets, numbers by
    value, every other list in order; `id` and `spec_version` not compared."""
    if isinstance(expected, dict) and isinstance(computed, dict):
        keys = (set(expected) | set(computed)) - (set(_NOT_COMPARED) if not path else set())
        found = []
        for key in sorted(keys):
            where = f"{path}.{key}" if path else key
            if key not in computed or key not in expected:
                found.append(f"{where}: only in the {'case' if key in expected else 'output'}")
            elif key in _AS_SETS and isinstance(expected[key], list):
                if set(map(str, computed[key] or [])) != set(map(str, expected[key])):
                    found.append(f"{where}: {computed[key]!r} ≠ {expected[key]!r}")
            else:
                found += differences(computed[key], expected[key], where)
        return found
    if isinstance(expected, list) and isinstance(computed, list):
        if len(expected) != len(computed):
            return [f"{path}: {len(computed)} entries ≠ {len(expected)}"]
        return [
            difference
            for index, (mine, theirs) in enumerate(zip(computed, expected, strict=True))
            for difference in differences(mine, theirs, f"{path}[{index}]")
        ]
    numbers = all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (computed, expected)
    )
    if (
        (float(computed) == float(expected))
        if numbers
        else (computed == expected and type(computed) is type(expected))
    ):
        return []
    return [f"{path}: {computed!r} ≠ {expected!r}"]


def check_case(case: dict[str, Any]) -> list[str]:
    """The differences between a case's expected outputs and what the engine computes."""
    return differences(result_of(case.get("id"), case["inputs"]), case["expected_outputs"])
