"""What the API takes and returns, as the OpenAPI document describes it.

Findings are taken as any JSON and handed to the engine unchecked: the engine is the one
validation of findings, so its refusals (400) are the only ones, in its words.
"""

import datetime
import uuid
from typing import Any, Literal

from ninja import Field, Schema

from assessment.criteria import FINDINGS
from assessment.criteria.findings import Kind

Status = Literal["yes", "no", "unknown"]


class ItemOut(Schema):
    id: str
    title: str
    role: Literal["item", "mandatory", "other_major", "major", "minor", "exclusion"]
    status: Status
    findings: list[str] = Field(description="The finding keys that decided the status.")
    sources: list[str]


class CriteriaSetOut(Schema):
    title: str
    note: str
    sources: list[str]
    result: str = Field(description="meets, does_not_meet, indeterminate; Japan: contract.md")
    could_upgrade_to: Literal["definite", "probable"] | None
    items: list[ItemOut]
    missing: list[str]
    reason: str
    exclusion: ItemOut | None = None


class WarningOut(Schema):
    id: str
    title: str
    severity: Literal["high", "caution", "info"]
    message: str
    findings: list[str]
    sources: list[str]


class WorkupOut(Schema):
    item: str
    tests: list[str]


class EvaluationOut(Schema):
    """One evaluation, exactly as contract.md (and `manage.py evaluate`) gives it."""

    id: Any = Field(description="The input's id, or null.")
    criteria_version: str
    primary_set: str
    derived_items: dict[str, Status]
    criteria_sets: dict[str, CriteriaSetOut]
    warnings: list[WarningOut]
    workup: list[WorkupOut]


def _finding_schema(finding) -> dict:
    if finding.kind is Kind.NUMBER:
        described = {"type": ["number", "null"]}
        if finding.unit:
            described["description"] = finding.unit
        return described
    return {"type": ["string", "null"], "enum": [*finding.choices, "unknown", None]}


FINDINGS_SCHEMA = {
    "type": "object",
    "description": 'Finding keys (contract.md); a missing key, null or "unknown" is unknown.',
    "properties": {key: _finding_schema(finding) for key, finding in FINDINGS.items()},
    "additionalProperties": False,
}
_CASE = {
    "oneOf": [
        FINDINGS_SCHEMA,
        {
            "type": "object",
            "description": "A vignette: its findings and id; other fields are ignored.",
            "properties": {"id": {}, "findings": FINDINGS_SCHEMA},
            "required": ["findings"],
        },
    ]
}
EVALUATE_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"oneOf": [_CASE, {"type": "array", "items": _CASE}]}}
    },
}


class AssessmentIn(Schema):
    patient_reference: str = Field(description="An MRN or study code, never a name.")
    assessment_date: datetime.date | None = Field(None, description="Default: today.")
    findings: Any = Field(default_factory=dict, json_schema_extra=FINDINGS_SCHEMA)
    complete: bool = Field(False, description="Mark every step done: the case is complete.")


class FindingsIn(Schema):
    version: int = Field(description="The version read: a save from an older one is a 409.")
    findings: Any = Field(
        json_schema_extra={**FINDINGS_SCHEMA, "description": "Only the findings to change."}
    )
    complete: bool = Field(False, description="Mark every step done: the case is complete.")


class AssessmentSummaryOut(Schema):
    id: uuid.UUID
    patient_reference: str
    assessment_date: datetime.date
    status: Literal["draft", "complete"]
    locked: bool = Field(description="Signed or withdrawn: it can no longer be changed.")
    version: int
    primary_verdict: str
    updated_at: datetime.datetime


class AssessmentOut(AssessmentSummaryOut):
    japan_result: str
    criteria_version: str
    warning_ids: list[str]
    completed_steps: list[str]
    signed_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    findings: dict[str, str | float] = Field(description="The recorded findings, by key.")


class VisitOut(Schema):
    id: int
    version: int = Field(description="The visit's own version (visits are edited in the app).")
    signed_at: datetime.datetime | None
    visit_date: datetime.date

    model_config = {"extra": "allow"}


class CourseOut(Schema):
    visits: list[VisitOut] = Field(
        description="Oldest first; each the follow-up engine's visit object (followup.md 11)."
    )
    course: dict[str, Any] = Field(description="The follow-up engine's output (followup.md 11).")
