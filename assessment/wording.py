"""Findings and their values in the screen's words: field labels and choice labels.

The criteria engine names findings by their keys and values by their codes; its messages carry
them as placeholders (`Problem.render`), which these functions fill in for the pages, the admin
and the PDF, so a physician reads "Lymphadenopathy is No", never "lymphadenopathy: no".
"""

import functools

from assessment.models import NOT_ASSESSED, Assessment
from assessment.steps import step_of

# A criteria set's result, as the summary and the live panel say it.
RESULT_LABELS = {
    "meets": "meets",
    "does_not_meet": "does not meet",
    "indeterminate": "indeterminate",
    "definite": "definite",
    "probable": "probable",
    "possible": "possible",
    "excluded_meets_myeloma_criteria": "excluded (meets myeloma criteria)",
}
# The primary verdict, as the list's badges say it.
VERDICT_LABELS = {
    "meets": "Meets",
    "does_not_meet": "Does not meet",
    "indeterminate": "Indeterminate",
}


@functools.cache
def _labels(model, name: str) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def choice_label(field, value):
    """A stored choice as the pages show it ("Not assessed" for "unknown"); the value itself
    when it is not one of the field's choices."""
    return _labels(field.model, field.name).get(value, value)


def say(key: str, value: str | None) -> str:
    """A finding (value None) or one of its values, as the step pages show it."""
    model_field = Assessment._meta.get_field(key)
    if value is None:
        return str(model_field.verbose_name)
    if not model_field.choices:
        return "left empty" if value == NOT_ASSESSED else value
    return str(choice_label(model_field, value))


def problem_text(problem) -> str:
    """An engine problem in the screen's words, starting with a capital."""
    text = problem.render(say)
    return text[:1].upper() + text[1:]


def problem_with_steps(problem) -> str:
    """An engine problem in the screen's words, naming the steps where its findings are."""
    steps = dict.fromkeys(step_of(key).title for key in problem.keys)
    where = " and ".join(steps)
    return f"{problem_text(problem)} ({where} step{'s' if len(steps) > 1 else ''})"
