"""The visits in the exports (assessment/exports.py calls these): a CSV column holding each
case's visits, and a FHIR Observation per measurement of a visit, dated by the visit."""

from __future__ import annotations

import json
import uuid
from typing import Any

from assessment.models import Assessment
from followup.models import FollowUpVisit
from followup.services import values_of, visit_input

VISIT_SYSTEM = "urn:poems-assess:visit-measurement"
VALUE_SYSTEM = "urn:poems-assess:value"
UCUM_SYSTEM = "http://unitsofmeasure.org"
# The measurements of a visit, with their UCUM unit (None: a coded result; "vegf_unit": the
# unit recorded beside the value).
MEASUREMENTS: dict[str, str | None] = {
    "vegf_value": "vegf_unit",
    "vegf_lab_uln": "vegf_unit",
    "serum_ife": None,
    "urine_ife": None,
    "mspike_g_dl": "g/dL",
    "sflc_ratio": "1",
    "onls_arm": "{score}",
    "onls_leg": "{score}",
}


def visits_cell(assessment: Assessment) -> str:
    """The case's visits as a JSON list of the engine's visit objects, oldest first."""
    visits = [visit_input(values_of(visit)) for visit in _visits(assessment)]
    return json.dumps(visits, ensure_ascii=False, separators=(",", ":")) if visits else ""


def _visits(assessment: Assessment) -> list[FollowUpVisit]:
    return list(assessment.visits.order_by("visit_date"))


def visit_observations(assessment: Assessment, subject: dict) -> list[dict[str, Any]]:
    """One FHIR R4 Observation per measurement recorded at a visit, effective at its date."""
    observations = []
    for visit in _visits(assessment):
        recorded = visit_input(values_of(visit))
        for key, unit in MEASUREMENTS.items():
            if key not in recorded:
                continue
            field = FollowUpVisit._meta.get_field(key)
            observation: dict[str, Any] = {
                "resourceType": "Observation",
                "id": str(uuid.uuid5(assessment.pk, f"Observation/visit/{visit.pk}/{key}")),
                "status": "final",
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
