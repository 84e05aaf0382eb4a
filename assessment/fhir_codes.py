"""The FHIR code systems both exports use: a case's findings (assessment/exports.py) and its
follow-up visits (followup/exports.py)."""

from __future__ import annotations

from typing import Any

VALUE_SYSTEM = "urn:poems-assess:value"
UCUM_SYSTEM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
CATEGORY_DISPLAY = {
    "exam": "Exam",
    "laboratory": "Laboratory",
    "imaging": "Imaging",
    "procedure": "Procedure",
    "therapy": "Therapy",
    "social-history": "Social History",
}


def category(code: str) -> list[dict[str, Any]]:
    """Observation.category for one observation-category code."""
    coding = {"system": CATEGORY_SYSTEM, "code": code, "display": CATEGORY_DISPLAY[code]}
    return [{"coding": [coding]}]
