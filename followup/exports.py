"""The visits in the exports (assessment/exports.py calls these): a CSV column holding each
case's visits, and a FHIR Observation per measurement of a visit, dated by the visit."""

from __future__ import annotations

import json
import uuid
from typing import Any

from assessment.fhir_codes import UCUM_SYSTEM, VALUE_SYSTEM, category
from assessment.models import Assessment
from followup.models import FollowUpVisit
from followup.services import values_of, visit_input

VISIT_SYSTEM = "urn:poems-assess:visit-measurement"
# The measurements of a visit, with their UCUM unit (None: a coded result; "vegf_unit": the
# unit recorded beside the value) and their observation category.
MEASUREMENTS: dict[str, tuple[str | None, str]] = {
    "vegf_value": ("vegf_unit", "laboratory"),
    "vegf_lab_uln": ("vegf_unit", "laboratory"),
    "serum_ife": (None, "laboratory"),
    "urine_ife": (None, "laboratory"),
    "mspike_g_dl": ("g/dL", "laboratory"),
    "sflc_ratio": ("1", "laboratory"),
    "onls_arm": ("{score}", "exam"),
    "onls_leg": ("{score}", "exam"),
}


def visits_cell(assessment: Assessment) -> str:
    """The case's visits as a JSON list of the engine's visit objects, oldest first."""
    visits = [visit_input(values_of(visit)) for visit in _visits(assessment)]
    return json.dumps(visits, ensure_ascii=False, separators=(",", ":")) if visits else ""


def _visits(assessment: Assessment) -> list[FollowUpVisit]:
    # Sorted here rather than by the database, so that an export's prefetch serves every case.
    return sorted(assessment.visits.all(), key=lambda visit: visit.visit_date)


def status(visit: FollowUpVisit) -> str:
    """Observation.status of a visit's measurements: a visit is signed on its own, and a
    withdrawn case's visits are withdrawn with it."""
    if visit.assessment.withdrawn_at is not None:
        return "entered-in-error"
    return "final" if visit.signed_at is not None else "preliminary"


def visit_observations(assessment: Assessment, subject: dict) -> list[dict[str, Any]]:
    """One FHIR R4 Observation per measurement recorded at a visit, effective at its date."""
    observations = []
    for visit in _visits(assessment):
        recorded = visit_input(values_of(visit))
        for key, (unit, kind) in MEASUREMENTS.items():
            if key not in recorded:
                continue
            field = FollowUpVisit._meta.get_field(key)
            observation: dict[str, Any] = {
                "resourceType": "Observation",
                "id": str(uuid.uuid5(assessment.pk, f"Observation/visit/{visit.pk}/{key}")),
                "status": status(visit),
                "category": category(kind),
                "code": {
                    "coding": [{"system": VISIT_SYSTEM, "code": key}],
                    "text": str(field.verbose_name),
                },
                "subject": subject,
                "effectiveDateTime": visit.visit_date.isoformat(),
            }
            if unit is None:
                label = str(dict(field.choices)[recorded[key]])
                observation["valueCodeableConcept"] = {
                    "coding": [{"system": VALUE_SYSTEM, "code": recorded[key], "display": label}],
                    "text": label,
                }
            else:
                code = recorded["vegf_unit"] if unit == "vegf_unit" else unit
                observation["valueQuantity"] = {
                    "value": recorded[key],
                    "unit": code,
                    "system": UCUM_SYSTEM,
                    "code": code,
                }
                if key == "vegf_value" and "vegf_sample" in recorded:
                    observation["specimen"] = {"display": recorded["vegf_sample"]}
            observations.append(observation)
    return observations
