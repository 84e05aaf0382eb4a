"""What can be done with follow-up visits, as plain functions; views and the admin call these.

The follow-up engine decides what a visit may hold, with the baseline and the other visits, and
computes the course; these functions only gather the input, store what it accepted, and keep
the same rules as the assessment: a version check (a save from an older page is refused), the
audit trail (pghistory), and locking (a signed visit or a withdrawn assessment cannot change).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from assessment.models import NOT_ASSESSED, Assessment
from assessment.services import Refused, findings_of
from followup.engine import VISIT, FollowUpError, Problem, evaluate
from followup.engine.validation import vegf_pg_ml
from followup.models import FollowUpVisit

VISIT_KEYS = tuple(field.key for field in VISIT)


class StaleVisit(Exception):
    """The visit was saved or deleted elsewhere since this page was opened."""

    def __init__(self, current: FollowUpVisit | None):
        super().__init__("the visit changed since this page was opened")
        self.current = current


def visit_input(values: dict[str, Any]) -> dict[str, Any]:
    """A visit's recorded fields as the engine reads them; what is not assessed left out."""
    raw = {}
    for key in VISIT_KEYS:
        value = values.get(key)
        if value in (None, NOT_ASSESSED, "", []):
            continue
        raw[key] = value.isoformat() if isinstance(value, datetime.date) else value
    return raw


def as_date(text: str) -> datetime.date:
    """A visit date the engine accepted (YYYY-MM-DD)."""
    return datetime.date.fromisoformat(text)


def baseline_vegf_pg_ml(values: dict[str, Any], key: str = "vegf_value") -> float | None:
    """A VEGF figure of the baseline or a visit in pg/mL, for plotting."""
    exact = vegf_pg_ml(values, key)
    return None if exact is None else float(exact)


def values_of(visit: FollowUpVisit) -> dict[str, Any]:
    return {key: getattr(visit, key) for key in VISIT_KEYS}


def visits_of(assessment: Assessment) -> list[FollowUpVisit]:
    return list(assessment.visits.order_by("visit_date"))


@dataclass(frozen=True)
class Course:
    """The engine's output for the assessment and its visits, or why there is none."""

    visits: list[FollowUpVisit]
    findings: dict[str, Any]  # the baseline: the assessment's recorded findings
    inputs: list[dict[str, Any]]  # each visit as the engine read it
    output: dict[str, Any] | None
    problems: list[Problem]


def course_of(assessment: Assessment, visits: list[FollowUpVisit] | None = None) -> Course:
    visits = visits_of(assessment) if visits is None else visits
    findings = findings_of(assessment)
    inputs = [visit_input(values_of(visit)) for visit in visits]
    try:
        output = evaluate({"baseline": findings, "visits": inputs}, str(assessment.pk))
    except FollowUpError as error:
        return Course(visits, findings, inputs, None, error.problems)
    return Course(visits, findings, inputs, output, [])


@dataclass(frozen=True)
class VisitProblem:
    """A refusal of a visit being entered: of its own fields (`elsewhere` None), or of the
    baseline ("baseline") or another visit (its date) that the entry contradicts."""

    problem: Problem
    elsewhere: str | None


def visit_problems(
    assessment: Assessment, values: dict[str, Any], visit: FollowUpVisit | None
) -> list[VisitProblem]:
    """What the engine refuses were `values` this visit's (a new one when `visit` is None):
    the visit placed among the others by its date (after one of the same date), as stored."""
    others = [values_of(v) for v in visits_of(assessment) if visit is None or v.pk != visit.pk]
    mine = visit_input(values)
    date = mine.get("visit_date")
    place = len(others)
    if isinstance(date, str):
        place = sum(1 for other in others if other["visit_date"].isoformat() <= date)
    rows = [visit_input(other) for other in others]
    rows.insert(place, mine)
    try:
        evaluate({"baseline": findings_of(assessment), "visits": rows})
    except FollowUpError as error:
        return [
            VisitProblem(
                problem,
                None
                if problem.visit == place
                else "baseline"
                if problem.visit is None
                else rows[problem.visit]["visit_date"],
            )
            for problem in error.problems
        ]
    return []


def _check_open(assessment: Assessment) -> None:
    if assessment.withdrawn_at is not None:
        raise Refused("This assessment is withdrawn: its visits can no longer change.")


NOT_DIAGNOSED = (
    "Visits follow a diagnosis: this assessment does not meet the criteria, or is withdrawn."
)


def can_add_visits(assessment: Assessment) -> bool:
    """Follow-up follows a diagnosis: the primary criteria set is met."""
    return (
        assessment.primary_verdict == Assessment.Verdict.MEETS and assessment.withdrawn_at is None
    )


@transaction.atomic
def add_visit(visit: FollowUpVisit) -> FollowUpVisit:
    """Save a new visit (its values already checked by the engine)."""
    assessment = Assessment.objects.select_for_update().get(pk=visit.assessment_id)
    if not can_add_visits(assessment):
        raise Refused(NOT_DIAGNOSED)
    visit.version = 1
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        raise Refused("A visit of that date was saved meanwhile.") from None
    return visit


@transaction.atomic
def save_visit(visit: FollowUpVisit, seen_version: int | None) -> FollowUpVisit:
    """Save an edited visit; raises StaleVisit from an older page, Refused when locked."""
    current = FollowUpVisit.objects.select_for_update().filter(pk=visit.pk).first()
    if current is None or current.version != seen_version:
        raise StaleVisit(current)
    if current.is_locked:
        raise Refused("This visit is signed: it can no longer be changed.")
    for key in VISIT_KEYS:
        setattr(current, key, getattr(visit, key))
    current.version += 1
    current.save()
    return current


@transaction.atomic
def delete_visit(visit: FollowUpVisit, seen_version: int | None) -> None:
    current = FollowUpVisit.objects.select_for_update().filter(pk=visit.pk).first()
    if current is None or current.version != seen_version:
        raise StaleVisit(current)
    if current.is_locked:
        raise Refused("This visit is signed: it cannot be deleted.")
    current.delete()


@transaction.atomic
def sign_visit(visit: FollowUpVisit, signer, seen_version: int | None) -> FollowUpVisit:
    """Sign one visit on its own; its assessment may be signed or not."""
    current = FollowUpVisit.objects.select_for_update().filter(pk=visit.pk).first()
    if current is None or current.version != seen_version:
        raise StaleVisit(current)
    _check_open(current.assessment)
    if current.signed_at is not None:
        raise Refused("This visit is already signed.")
    current.signed_at, current.signed_by = timezone.now(), signer
    current.version += 1
    current.save()
    return current
