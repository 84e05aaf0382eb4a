"""What can be done to an assessment, as plain functions: views, the admin and commands call
these, and none of them changes an assessment any other way."""

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pghistory
from django.db import connection, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessment.criteria import CATALOGUE, Evaluation, evaluate, parse_findings
from assessment.criteria.findings import SEX_SPECIFIC_KEYS, Kind
from assessment.criteria.stored import stored
from assessment.models import (
    NOT_ASSESSED,
    TEXT_MOST_CHARACTERS,
    AccessEvent,
    Assessment,
    AssessmentEvent,
    SignedDocument,
)
from assessment.steps import STEPS, Step
from assessment.wording import choice_label

NOT_APPLICABLE = "not_applicable"


class StaleAssessment(Exception):
    """The assessment was saved elsewhere since this page was opened.

    `current` is the row as it is now; `seen_version` the version the page was built from.
    """

    def __init__(self, current: Assessment, seen_version: int | None):
        super().__init__(f"assessment {current.pk} is at version {current.version}")
        self.current = current
        self.seen_version = seen_version


class Refused(Exception):
    """The action is not allowed in the assessment's state; the message says why."""


def own_assessment(user, pk) -> Assessment:
    """The one way to reach an assessment, for the pages and the API alike: another
    physician's is a 404, never a 403 that would tell them it exists."""
    return get_object_or_404(Assessment, pk=pk, owner=user)


def findings_of(assessment: Assessment) -> dict[str, str | float]:
    """The engine's input: every recorded finding, by its key; what is not assessed is left out."""
    return findings_from(getattr(assessment, finding.key) for finding in CATALOGUE)


def findings_from(values: Iterable[Any]) -> dict[str, str | float]:
    """The engine's input from the catalogue's columns as stored, in the catalogue's order."""
    findings = {}
    for finding, value in zip(CATALOGUE, values, strict=True):
        if value is None or value == NOT_ASSESSED or value == "":
            continue
        # A number typed as 52 comes back from the database as 52.0: one form for both, so
        # the findings hash of a case is the same before and after it is saved.
        findings[finding.key] = float(value) if finding.kind is Kind.NUMBER else value
    return findings


def evaluate_assessment(assessment: Assessment) -> Evaluation:
    """Raises FindingsError if the stored findings contradict each other."""
    return evaluate(findings_of(assessment), str(assessment.pk))


def not_applicable_for_sex(assessment: Assessment) -> set[str]:
    """The sex-specific items that do not apply to this patient."""
    sex = assessment.sex
    if sex == NOT_ASSESSED:
        return set()
    return {key for key, applies_to in SEX_SPECIFIC_KEYS.items() if applies_to != sex}


def _apply_sex(assessment: Assessment, previous_sex: str) -> None:
    """Mark the other sex's items not applicable; reopen those that only the previous sex made
    not applicable. A "not applicable" the physician chose stays."""
    now = not_applicable_for_sex(assessment)
    before = not_applicable_for_sex(Assessment(sex=previous_sex))
    for key in SEX_SPECIFIC_KEYS:
        if key in now:
            setattr(assessment, key, NOT_APPLICABLE)
        elif key in before and getattr(assessment, key) == NOT_APPLICABLE:
            setattr(assessment, key, NOT_ASSESSED)


def findings_sha256(assessment: Assessment) -> str:
    """SHA-256 of the canonical findings JSON (sorted keys, no spaces), as printed on the PDF."""
    canonical = json.dumps(findings_of(assessment), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def store_evaluation(assessment: Assessment, evaluation: Evaluation) -> None:
    """Keep what the list, the admin and the exports show without evaluating every case."""
    kept = stored(evaluation)
    assessment.primary_verdict, assessment.japan_result = kept.primary, kept.japan
    assessment.warning_ids = list(kept.warning_ids)
    assessment.criteria_version = evaluation.criteria_version


def evaluate_unsaved(assessment: Assessment, values: dict) -> Evaluation:
    """What the engine would say were `values` (finding fields) saved now; nothing is stored.

    The same path as a save (the sex's not-applicable items included), without the save.
    Raises FindingsError.
    """
    draft = copy.copy(assessment)
    for name, value in values.items():
        setattr(draft, name, value)
    _apply_sex(draft, assessment.sex)
    return evaluate_assessment(draft)


def record(
    assessment: Assessment, *, completed_step: Step | None = None, previous_sex: str = NOT_ASSESSED
) -> Assessment:
    """Save an assessment with its evaluation, status and a new version number."""
    if assessment.is_locked:
        raise Refused("This assessment is signed or withdrawn: it can no longer be changed.")
    _apply_sex(assessment, previous_sex)
    store_evaluation(assessment, evaluate_assessment(assessment))
    if completed_step and completed_step.slug not in assessment.completed_steps:
        assessment.completed_steps = [
            step.slug
            for step in STEPS
            if step.slug in assessment.completed_steps or step == completed_step
        ]
    done = len(assessment.completed_steps) == len(STEPS)
    assessment.status = Assessment.Status.COMPLETE if done else Assessment.Status.DRAFT
    assessment.version += 1
    assessment.save()
    return assessment


@transaction.atomic
def save_step(
    assessment: Assessment, step: Step, *, completed: bool, seen_version: int | None
) -> Assessment:
    """Save a step's values (already on `assessment`), refusing a save from a stale page.

    The row is locked and re-read, and only this step's fields are taken from `assessment`:
    a signature, withdrawal or review made since `assessment` was loaded is kept, never
    overwritten by the older copy. Raises StaleAssessment if the row's version is no longer
    `seen_version`, and Refused if it was signed or withdrawn meanwhile.
    """
    if assessment._state.adding:
        assessment.version = 0
        return record(assessment, completed_step=step if completed else None)
    current = _open_for_change(assessment, seen_version)
    previous_sex = current.sex
    for name in step.fields:
        setattr(current, name, getattr(assessment, name))
    return record(current, completed_step=step if completed else None, previous_sex=previous_sex)


def _open_for_change(assessment: Assessment, seen_version: int | None) -> Assessment:
    """The stored row, locked until the transaction ends, if a save from `seen_version` may
    change it: StaleAssessment if it was saved since, Refused if signed or withdrawn."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if seen_version != current.version:
        raise StaleAssessment(current, seen_version)
    if current.is_locked:
        raise Refused("This assessment is signed or withdrawn: it can no longer be changed.")
    return current


@transaction.atomic
def save_findings(
    assessment: Assessment,
    changes: Mapping[str, object],
    *,
    seen_version: int | None = None,
    complete: bool = False,
) -> Assessment:
    """Save findings given as the engine's keys and values (contract.md), as the API does.

    `changes` names the findings to change, over those stored; null or "unknown" clears one.
    The engine reads the findings as they would be saved and refuses them as a whole
    (FindingsError). `complete` marks every step done, as "Save and continue" on each would.
    The version is checked as in `save_step`: StaleAssessment, or Refused if locked.
    """
    if assessment._state.adding:
        current, previous_sex = assessment, NOT_ASSESSED
        current.version = 0
    else:
        current = _open_for_change(assessment, seen_version)
        previous_sex = current.sex
    if not isinstance(changes, Mapping):
        parse_findings(changes)  # refuses it, in the engine's words
    known = parse_findings({**findings_of(current), **changes}).known()
    for finding in CATALOGUE:
        empty = None if finding.kind is Kind.NUMBER else NOT_ASSESSED
        setattr(current, finding.key, known.get(finding.key, empty))
    if complete:
        current.completed_steps = [step.slug for step in STEPS]
    return record(current, previous_sex=previous_sex)


# What a physician edits: the fields of the steps, in the order the steps show them.
_EDITABLE_FIELDS = tuple(name for step in STEPS for name in step.fields)


def _shown(field, value) -> str:
    """A stored value as the step page shows it: the choice's label, a plain number, a date."""
    if value is None or value == "":
        return "empty"
    if field.choices:
        return str(choice_label(field, value))
    if isinstance(value, float):
        return f"{value:g}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _at_version(assessment: Assessment, version: int | None) -> AssessmentEvent | None:
    """The row as it was at `version`, from the audit trail; None if not there."""
    if version is None:
        return None
    return (
        AssessmentEvent.objects.filter(pgh_obj_id=assessment.pk, version=version)
        .order_by("-pgh_id")
        .first()
    )


def _label(field) -> str:
    label = str(field.verbose_name)
    return label[:1].upper() + label[1:]


def changes_since(assessment: Assessment, version: int | None) -> list[tuple[str, str, str]]:
    """What changed in `assessment`'s findings since it was at `version`, by the audit trail.

    Each change is (field label, value then, value now), labels and values as the step pages
    show them. Empty if that version is not in the audit trail (or nothing a physician edits
    changed); the caller must not take that as "nothing changed".
    """
    then = _at_version(assessment, version)
    if then is None:
        return []
    changes = []
    for name in _EDITABLE_FIELDS:
        field = Assessment._meta.get_field(name)
        old, new = getattr(then, name), getattr(assessment, name)
        if old != new:
            changes.append((_label(field), _shown(field, old), _shown(field, new)))
    return changes


@dataclass(frozen=True)
class Conflict:
    """A field both the person and someone else changed since the person's page was opened."""

    name: str
    label: str
    then: str
    theirs: str
    mine: str


@dataclass(frozen=True)
class Merge:
    values: dict  # field name -> the value to show: the person's where they changed it
    conflicts: tuple[Conflict, ...]


def merge_stale(current: Assessment, seen_version: int | None, mine: dict) -> Merge:
    """A three-way merge of a stale page's values (`mine`) into the row as it is now.

    What the person changed since their version is kept; what they did not change takes the
    current value, so nobody's newer entry is written back over; a field both changed is a
    conflict, shown with the person's value kept for them to decide. Without that version in
    the audit trail, every field the two disagree on is a conflict.
    """
    then = _at_version(current, seen_version)
    values, conflicts = {}, []
    for name, my_value in mine.items():
        field = Assessment._meta.get_field(name)
        theirs = getattr(current, name)
        base = getattr(then, name) if then is not None else my_value
        if then is not None and my_value == base:
            values[name] = theirs
            continue
        values[name] = my_value
        if my_value != theirs and (then is None or theirs != base):
            conflicts.append(
                Conflict(
                    name,
                    _label(field),
                    _shown(field, base) if then is not None else "unknown",
                    _shown(field, theirs),
                    _shown(field, my_value),
                )
            )
    return Merge(values, tuple(conflicts))


_STEP_DEFAULTS = {
    name: Assessment._meta.get_field(name).get_default() for step in STEPS for name in step.fields
}


def step_state(assessment: Assessment | None, step: Step) -> str:
    """complete (saved with "Save and continue"), in progress (something entered), not started."""
    if assessment is None or assessment._state.adding:
        return "not started"
    if step.slug in assessment.completed_steps:
        return "complete"
    # The other sex's items are "not applicable" by themselves: that is not an answer given.
    automatic = not_applicable_for_sex(assessment)
    if any(
        getattr(assessment, name) != _STEP_DEFAULTS[name]
        for name in step.fields
        if name not in automatic
    ):
        return "in progress"
    return "not started"


def record_access(assessment: Assessment, user, kind: str) -> None:
    AccessEvent.objects.create(assessment=assessment, user=user, kind=kind)


def record_accesses(assessment_ids, user, kind: str) -> None:
    """An access event for each of many cases (an export of 100,000), in one statement."""
    table = AccessEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (assessment_id, user_id, kind, at) "  # noqa: S608
            "SELECT unnest(%s::uuid[]), %s, %s, now()",
            [list(assessment_ids), user.pk, kind],
        )


_EVALUATION_FIELDS = ("primary_verdict", "japan_result", "criteria_version", "warning_ids")
_SIGNATURE_FIELDS = (
    "signed_by",
    "signed_at",
    "signed_findings_sha256",
    "signed_primary_verdict",
    "signed_japan_result",
    "signed_criteria_version",
)


@transaction.atomic
def sign(assessment: Assessment, signer) -> Assessment:
    """Sign a complete assessment (the caller has checked the password): it becomes read-only."""
    if assessment.is_locked:
        raise Refused("This assessment is already signed or withdrawn.")
    if assessment.status != Assessment.Status.COMPLETE:
        raise Refused("Only a complete assessment can be signed: finish every step first.")
    # Evaluated afresh: what is signed is the current rules' evaluation of these findings.
    store_evaluation(assessment, evaluate_assessment(assessment))
    assessment.signed_by = signer
    assessment.signed_at = timezone.now()
    assessment.signed_findings_sha256 = findings_sha256(assessment)
    assessment.signed_primary_verdict = assessment.primary_verdict
    assessment.signed_japan_result = assessment.japan_result
    assessment.signed_criteria_version = assessment.criteria_version
    assessment.save(update_fields=[*_EVALUATION_FIELDS, *_SIGNATURE_FIELDS])
    _archive_signed_pdf(assessment)
    return assessment


def _archive_signed_pdf(assessment: Assessment) -> SignedDocument:
    """Keep the PDF as signed, in the signature's transaction: both are kept, or neither."""
    from assessment import pdf  # the PDF shows the summary, which evaluates with these services

    document = pdf.render_pdf(assessment)
    return SignedDocument.objects.create(
        assessment=assessment,
        signed_by=assessment.signed_by,
        signed_at=assessment.signed_at,
        findings_sha256=assessment.signed_findings_sha256,
        criteria_version=assessment.signed_criteria_version,
        pdf=document,
        sha256=hashlib.sha256(document).hexdigest(),
        size=len(document),
    )


def signed_document(assessment: Assessment) -> SignedDocument | None:
    """The PDF archived for the assessment's current signature; None if it is not signed (or
    was signed before signed PDFs were kept)."""
    if assessment.signed_at is None:
        return None
    return SignedDocument.objects.filter(
        assessment=assessment, signed_at=assessment.signed_at
    ).first()


def bounded(text: str, what: str) -> str:
    """A reason or comment as kept: stripped, at most a few thousand characters, no NUL."""
    text = text.strip()
    if len(text) > TEXT_MOST_CHARACTERS:
        raise Refused(f"The {what} is {len(text)} characters: keep it to {TEXT_MOST_CHARACTERS}.")
    if "\x00" in text:
        # PostgreSQL text cannot hold it; a browser never sends it.
        raise Refused(f"The {what} contains a NUL character: type it again.")
    return text


@transaction.atomic
def unlock(assessment: Assessment, admin, reason: str) -> Assessment:
    """Lift a signature; the reason goes into the audit trail. Later edits make new versions."""
    reason = bounded(reason, "reason")
    if not reason:
        raise Refused("Give the reason for unlocking: it is kept in the audit trail.")
    if assessment.signed_at is None:
        raise Refused("This assessment is not signed.")
    with pghistory.context(unlocked_by=admin.pk, unlock_reason=reason):
        assessment.signed_by = None
        assessment.signed_at = None
        for name in _SIGNATURE_FIELDS[2:]:
            setattr(assessment, name, "")
        assessment.save(update_fields=_SIGNATURE_FIELDS)
    return assessment


@transaction.atomic
def withdraw(assessment: Assessment, user, reason: str) -> Assessment:
    """Withdraw a complete or signed assessment, which is never deleted."""
    reason = bounded(reason, "reason")
    if not reason:
        raise Refused("Give the reason for withdrawing this assessment.")
    if assessment.withdrawn_at is not None:
        raise Refused("This assessment is already withdrawn.")
    with pghistory.context(withdrawal_reason=reason):
        assessment.withdrawn_by = user
        assessment.withdrawn_at = timezone.now()
        assessment.withdrawal_reason = reason
        assessment.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawal_reason"])
    return assessment


def delete_draft(assessment: Assessment) -> None:
    """Only a draft that was never signed may be deleted; anything else is withdrawn."""
    if assessment.status != Assessment.Status.DRAFT or assessment.is_locked:
        raise Refused("Only a draft can be deleted; withdraw a complete assessment instead.")
    if assessment.queries.exists():
        raise Refused("A reviewer asked about this draft: it stays on record.")
    assessment.delete()


def has_unclosed_queries(assessment: Assessment) -> bool:
    """A reviewer's query (review app) still open, or answered and not yet closed."""
    return assessment.queries.exclude(status="closed").exists()


def review(assessment: Assessment, reviewer, status: str, comment: str) -> Assessment:
    """A reviewer's review; it does not touch the findings, so a signed case can be reviewed.

    A case is not reviewed while a query on it is open or answered but not closed.
    """
    if status == Assessment.ReviewStatus.REVIEWED and has_unclosed_queries(assessment):
        raise Refused(f"{assessment}: a query is not closed yet, so it cannot be marked reviewed.")
    assessment.review_status = status
    assessment.review_comment = bounded(comment, "comment")
    assessment.reviewed_by = reviewer
    assessment.reviewed_at = timezone.now()
    assessment.save(update_fields=["review_status", "review_comment", "reviewed_by", "reviewed_at"])
    return assessment
