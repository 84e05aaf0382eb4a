from django import template

from assessment.criteria.criteria_sets import ROLE_NAMES
from assessment.summary import describe_findings

register = template.Library()

RESULT_LABELS = {
    "meets": "meets",
    "does_not_meet": "does not meet",
    "indeterminate": "indeterminate",
    "definite": "definite",
    "probable": "probable",
    "possible": "possible",
    "excluded_meets_myeloma_criteria": "excluded (meets myeloma criteria)",
}


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
