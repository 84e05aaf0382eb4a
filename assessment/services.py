"""What can be done to an assessment, as plain functions: views and commands call these."""

from django.db import transaction

from assessment.criteria import CATALOGUE, Evaluation, evaluate
from assessment.criteria.findings import SEX_SPECIFIC_KEYS
from assessment.models import NOT_ASSESSED, Assessment
from assessment.steps import STEPS, Step

NOT_APPLICABLE = "not_applicable"


class StaleAssessment(Exception):
    """The assessment was saved elsewhere since this page was opened."""


def findings_of(assessment: Assessment) -> dict[str, str | float]:
    """The engine's input: every recorded finding, by its key; what is not assessed is left out."""
    findings = {}
    for finding in CATALOGUE:
        value = getattr(assessment, finding.key)
        if value is not None and value != NOT_ASSESSED:
            findings[finding.key] = value
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


def _apply_sex(assessment: Assessment) -> None:
    """Mark the other sex's items not applicable; reopen this sex's if they were."""
    not_applicable = not_applicable_for_sex(assessment)
    for key in SEX_SPECIFIC_KEYS:
        if key in not_applicable:
            setattr(assessment, key, NOT_APPLICABLE)
        elif getattr(assessment, key) == NOT_APPLICABLE:
            setattr(assessment, key, NOT_ASSESSED)


def record(assessment: Assessment, *, completed_step: Step | None = None) -> Assessment:
    """Save an assessment with its primary verdict, status and a new version number."""
    _apply_sex(assessment)
    evaluation = evaluate_assessment(assessment)
    assessment.primary_verdict = evaluation.primary.result
    assessment.criteria_version = evaluation.criteria_version
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
    """Save a step's values (already on `assessment`), refusing a save from a stale page."""
    if assessment._state.adding:
        assessment.version = 0
    else:
        current = (
            Assessment.objects.select_for_update()
            .values_list("version", flat=True)
            .get(pk=assessment.pk)
        )
        if seen_version != current:
            raise StaleAssessment
    return record(assessment, completed_step=step if completed else None)


_STEP_DEFAULTS = {
    name: Assessment._meta.get_field(name).get_default() for step in STEPS for name in step.fields
}


def step_state(assessment: Assessment | None, step: Step) -> str:
    """complete (saved with "Save and continue"), in progress (something entered), not started."""
    if assessment is None or assessment._state.adding:
        return "not started"
    if step.slug in assessment.completed_steps:
        return "complete"
    if any(getattr(assessment, name) != _STEP_DEFAULTS[name] for name in step.fields):
        return "in progress"
    return "not started"
