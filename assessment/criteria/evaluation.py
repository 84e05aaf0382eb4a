"""Findings in, an evaluation out (contract.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from .criteria_sets import CRITERIA_SETS, PRIMARY_SET, ItemResult, SetResult, evaluate_set
from .derived import ITEMS_BY_ID, derive_items
from .logic import Tri
from .red_flags import Context, Warning, raise_warnings
from .validation import Findings, parse_findings
from .version import CRITERIA_VERSION
from .workup import TESTS


class WorkupItem(NamedTuple):
    item: str
    title: str
    tests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    id: Any
    criteria_version: str
    primary_set: str
    findings: Findings
    derived_items: Mapping[str, Tri]
    criteria_sets: Mapping[str, SetResult]
    warnings: tuple[Warning, ...]
    workup: tuple[WorkupItem, ...]

    @property
    def primary(self) -> SetResult:
        return self.criteria_sets[self.primary_set]

    def as_contract(self) -> dict[str, Any]:
        """The JSON object of contract.md."""
        return {
            "id": self.id,
            "criteria_version": self.criteria_version,
            "primary_set": self.primary_set,
            "derived_items": {key: status.value for key, status in self.derived_items.items()},
            "criteria_sets": {
                key: _set_as_dict(result) for key, result in self.criteria_sets.items()
            },
            "warnings": [
                {
                    "id": warning.id,
                    "title": warning.title,
                    "severity": warning.severity.value,
                    "message": warning.message,
                    "findings": list(warning.findings),
                    "sources": list(warning.sources),
                }
                for warning in self.warnings
            ],
            "workup": [{"item": entry.item, "tests": list(entry.tests)} for entry in self.workup],
        }


def _set_as_dict(result: SetResult) -> dict[str, Any]:
    as_dict: dict[str, Any] = {
        "title": result.title,
        "note": result.note,
        "sources": list(result.sources),
        "result": result.result,
        "could_upgrade_to": result.could_upgrade_to,
        "items": [_item_as_dict(item) for item in result.items],
        "missing": list(result.missing),
        "reason": result.reason,
    }
    if result.exclusion is not None:
        as_dict["exclusion"] = _item_as_dict(result.exclusion)
    return as_dict


def _item_as_dict(item: ItemResult) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "role": item.role,
        "status": item.status.value,
        "findings": list(item.findings),
        "sources": list(item.sources),
    }


def evaluate_findings(findings: Findings, case_id: Any = None) -> Evaluation:
    derived = derive_items(findings)
    results = {s.key: evaluate_set(s, derived, findings) for s in CRITERIA_SETS}
    warnings = raise_warnings(Context(findings, derived, results))
    # Primary set first, then the others in contract order; each item once.
    ordered = [results[PRIMARY_SET]] + [r for key, r in results.items() if key != PRIMARY_SET]
    missing = dict.fromkeys(item for result in ordered for item in result.missing)
    return Evaluation(
        id=case_id,
        criteria_version=CRITERIA_VERSION,
        primary_set=PRIMARY_SET,
        findings=findings,
        derived_items={key: value.status for key, value in derived.items()},
        criteria_sets=results,
        warnings=warnings,
        workup=tuple(WorkupItem(item, ITEMS_BY_ID[item].title, TESTS[item]) for item in missing),
    )


def evaluate(raw: Mapping[str, object], case_id: Any = None) -> Evaluation:
    """Validate raw findings (contract.md input) and evaluate them; raises FindingsError."""
    return evaluate_findings(parse_findings(raw), case_id)
