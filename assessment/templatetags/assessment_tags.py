from django import template

from assessment.criteria.criteria_sets import ROLE_NAMES
from assessment.summary import because as because_of
from assessment.summary import describe_findings
from assessment.wording import RESULT_LABELS

register = template.Library()


@register.filter
def result_label(result: str) -> str:
    return RESULT_LABELS.get(result, result)


@register.filter
def role_label(role: str) -> str:
    return ROLE_NAMES.get(role, role)


@register.filter
def described_for(keys, assessment) -> str:
    """`item.findings|described_for:assessment` → "polyneuropathy: Yes; …"."""
    return describe_findings(assessment, keys)


@register.filter
def because(keys, assessment):
    """`warning.findings|because:assessment`: the findings recorded, and the count of the rest."""
    return because_of(assessment, keys)


@register.filter
def of_severity(warnings, severities: str):
    """`evaluation.warnings|of_severity:"caution,info"`."""
    wanted = severities.split(",")
    return [warning for warning in warnings if warning.severity.value in wanted]


@register.filter
def warning_counts(warnings):
    """[("high", 2), ("caution", 4)]: each severity that occurs, most severe first."""
    counts = {}
    for warning in warnings:
        counts[warning.severity.value] = counts.get(warning.severity.value, 0) + 1
    return [
        (severity, counts[severity])
        for severity in ("high", "caution", "info")
        if severity in counts
    ]


@register.filter
def progress(steps, current):
    """`steps|progress:step`: where the physician is, and how many steps are complete."""
    slugs = [step.slug for step, _ in steps]
    return {
        "position": slugs.index(current.slug) + 1 if current else len(slugs) + 1,
        "total": len(slugs) + 1,  # the summary is the last
        "steps": len(slugs),
        "complete": sum(state == "complete" for _, state in steps),
    }
