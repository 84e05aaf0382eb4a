"""Case exports as plain functions: a spreadsheet-safe CSV and one FHIR R4 Bundle per case.

Both are de-identified by default: a case is named by its opaque id (the assessment's UUID),
and the patient reference is written only when the caller asks for it. Each case is evaluated
afresh by the criteria engine, so the results, warnings and criteria version of a row or bundle
always belong together.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from assessment.criteria import CATALOGUE, CRITERIA_SETS, Evaluation, FindingsError, evaluate
from assessment.criteria.derived import ITEMS as DERIVED_ITEMS
from assessment.criteria.findings import Kind
from assessment.fhir_codes import UCUM_SYSTEM, VALUE_SYSTEM, category
from assessment.models import Assessment
from assessment.services import findings_of
from assessment.steps import category_of
from assessment.wording import choice_label
from followup import exports as followup_exports

Progress = Callable[[int, int], None]

# Rows fetched from the database at a time: memory stays flat however many cases there are.
CHUNK_SIZE = 200

JAPAN_SET = "japan_mhlw_2015"

# --- CSV -------------------------------------------------------------------------------------

# The columns in order; `patient_reference` is inserted after `case_id` only when asked for.
CSV_COLUMNS: tuple[str, ...] = (
    ("case_id", "assessment_date", "status", "signed", "withdrawn")
    + tuple(finding.key for finding in CATALOGUE)
    + tuple(f"derived.{item.id}" for item in DERIVED_ITEMS)
    + tuple(f"result.{criteria_set.key}" for criteria_set in CRITERIA_SETS)
    + (f"could_upgrade_to.{JAPAN_SET}", "warnings", "criteria_version", "followup_visits")
)

# OWASP "CSV injection": a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_columns(*, include_patient_reference: bool = False) -> tuple[str, ...]:
    if not include_patient_reference:
        return CSV_COLUMNS
    return CSV_COLUMNS[:1] + ("patient_reference",) + CSV_COLUMNS[1:]


def escape_cell(text: str) -> str:
    """Prefix a single quote to a cell a spreadsheet would run as a formula, so it is text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _number(value: float) -> str:
    """560.0 -> "560", 0.4 -> "0.4": the shortest text that reads back as the same number."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def csv_row(assessment: Assessment, *, include_patient_reference: bool = False) -> dict[str, str]:
    """One case as CSV cells by column name, already escaped against formula injection."""
    findings = findings_of(assessment)
    evaluation = _evaluate(assessment, findings)
    row: dict[str, Any] = {
        "case_id": assessment.pk,
        "assessment_date": assessment.assessment_date.isoformat(),
        "status": assessment.status,
        "signed": _yes_no(assessment.signed_at is not None),
        "withdrawn": _yes_no(assessment.withdrawn_at is not None),
    }
    if include_patient_reference:
        row["patient_reference"] = assessment.patient_reference
    for finding in CATALOGUE:
        row[finding.key] = findings.get(finding.key)
    for item_id, status in evaluation.derived_items.items():
        row[f"derived.{item_id}"] = status.value
    for key, result in evaluation.criteria_sets.items():
        row[f"result.{key}"] = result.result
    row[f"could_upgrade_to.{JAPAN_SET}"] = evaluation.criteria_sets[JAPAN_SET].could_upgrade_to
    row["warnings"] = ";".join(warning.id for warning in evaluation.warnings)
    row["criteria_version"] = evaluation.criteria_version
    row["followup_visits"] = followup_exports.visits_cell(assessment)
    return {column: escape_cell(_cell(value)) for column, value in row.items()}


def write_csv(
    assessments: Iterable[Assessment],
    out,
    *,
    include_patient_reference: bool = False,
    progress: Progress | None = None,
) -> int:
    """Write a header and one row per assessment to the text stream `out`; returns the count.

    `out` should be opened with newline="" (the csv module writes its own line endings).
    `progress(done, total)` is called after each row when given.
    """
    columns = csv_columns(include_patient_reference=include_patient_reference)
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writerow({column: escape_cell(column) for column in columns})
    done = 0
    for done, total, assessment in _each(assessments, counted=progress is not None):
        writer.writerow(csv_row(assessment, include_patient_reference=include_patient_reference))
        if progress is not None:
            progress(done, total)
    return done


def _each(
    assessments: Iterable[Assessment], *, counted: bool
) -> Iterator[tuple[int, int, Assessment]]:
    """(done, total, assessment) for each one; a queryset is read in chunks, never all at once.

    `total` is 0 unless `counted`, which costs one COUNT query for a queryset.
    """
    if hasattr(assessments, "iterator"):
        total = assessments.count() if counted else 0
        # The follow-up visits of a chunk's cases in one query, not one query per case.
        rows = assessments.prefetch_related("visits").iterator(chunk_size=CHUNK_SIZE)
    else:
        assessments = list(assessments)
        total = len(assessments)
        rows = iter(assessments)
    for done, assessment in enumerate(rows, start=1):
        yield done, total, assessment


class ExportError(Exception):
    """A stored case the criteria engine now refuses; the message names the case."""


def _evaluate(assessment: Assessment, findings: dict[str, Any]) -> Evaluation:
    try:
        return evaluate(findings, str(assessment.pk))
    except FindingsError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        raise ExportError(
            f"case {assessment.pk}: the criteria engine refuses it ({problems})"
        ) from error


# --- FHIR R4 ---------------------------------------------------------------------------------

CASE_SYSTEM = "urn:poems-assess:case"
PATIENT_REFERENCE_SYSTEM = "urn:poems-assess:patient-reference"
FINDING_SYSTEM = "urn:poems-assess:finding"
CRITERIA_VERSION_EXTENSION = "urn:poems-assess:extension:criteria-version"
LOINC_SYSTEM = "http://loinc.org"
# Only codes checked against LOINC's display names as published in HL7 implementation guides
# (the CIBMTR reporting guide's CBC value sets); every other finding is coded by its key in
# FINDING_SYSTEM and described in text. The platelet count is the method-unspecified code: the
# form does not ask how it was counted (777-3 would claim an automated count).
LOINC_CODES: dict[str, tuple[str, str]] = {
    "platelets_10e9_l": ("26515-7", "Platelets [#/volume] in Blood"),
    "hemoglobin_g_dl": ("718-7", "Hemoglobin [Mass/volume] in Blood"),
}

# The engine's unit of each number (findings.py) as a UCUM code.
UCUM_CODES: dict[str, str] = {
    "years": "a",
    "g/dL": "g/dL",
    "mg/L": "mg/L",
    "%": "%",
    "×10⁹/L": "10*9/L",
    "κ/λ": "1",
    "× upper limit of normal": "1",
    "pg/mL": "pg/mL",
    "ng/L": "ng/L",
    "ng/mL": "ng/mL",
}

_FINDINGS = {finding.key: finding for finding in CATALOGUE}


def _uuid(case: uuid.UUID, name: str) -> str:
    """A stable id for one resource of one case, so that exporting again gives the same ids."""
    return str(uuid.uuid5(case, name))


def _subject(assessment: Assessment, include_patient_reference: bool) -> dict[str, Any]:
    """A logical reference: no Patient resource is exported, only an identifier."""
    if include_patient_reference:
        identifier = {"system": PATIENT_REFERENCE_SYSTEM, "value": assessment.patient_reference}
    else:
        identifier = {"system": CASE_SYSTEM, "value": str(assessment.pk)}
    return {"type": "Patient", "identifier": identifier}


def _quantity(key: str, value: float, findings: dict[str, Any]) -> dict[str, Any]:
    unit = _FINDINGS[key].unit
    if unit == "vegf_unit":  # VEGF numbers are in the unit recorded beside them
        unit = findings.get("vegf_unit", "")
    quantity: dict[str, Any] = {"value": value}
    if unit:
        quantity["unit"] = unit
    if unit in UCUM_CODES:
        quantity |= {"system": UCUM_SYSTEM, "code": UCUM_CODES[unit]}
    return quantity


def statuses(assessment: Assessment) -> tuple[str, str]:
    """(Observation.status, ClinicalImpression.status) as the case stands: a draft's findings
    are preliminary, a complete or signed case's final, a withdrawn case's entered in error."""
    if assessment.withdrawn_at is not None:
        return "entered-in-error", "entered-in-error"
    if assessment.signed_at is not None or assessment.status == Assessment.Status.COMPLETE:
        return "final", "completed"
    return "preliminary", "in-progress"


def _observation(
    assessment: Assessment, key: str, value: Any, findings: dict[str, Any], subject: dict
) -> dict[str, Any]:
    field = Assessment._meta.get_field(key)
    code: dict[str, Any] = {
        "coding": [{"system": FINDING_SYSTEM, "code": key}],
        "text": str(field.verbose_name),
    }
    if key in LOINC_CODES:
        loinc, display = LOINC_CODES[key]
        code["coding"].insert(0, {"system": LOINC_SYSTEM, "code": loinc, "display": display})
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _uuid(assessment.pk, f"Observation/{key}"),
        "status": statuses(assessment)[0],
        "category": category(category_of(key)),
        "code": code,
        "subject": subject,
        "effectiveDateTime": assessment.assessment_date.isoformat(),
    }
    if _FINDINGS[key].kind == Kind.NUMBER:
        observation["valueQuantity"] = _quantity(key, value, findings)
    elif _FINDINGS[key].kind == Kind.TEXT:
        observation["valueString"] = value
    else:
        label = str(choice_label(field, value))
        observation["valueCodeableConcept"] = {
            "coding": [{"system": VALUE_SYSTEM, "code": value, "display": label}],
            "text": label,
        }
    return observation


def _clinical_impression(
    assessment: Assessment, evaluation: Evaluation, observations: list[dict], subject: dict
) -> dict[str, Any]:
    primary = evaluation.primary
    verdict = Assessment.Verdict(primary.result).label
    notes = []
    for key, result in evaluation.criteria_sets.items():
        text = f"{result.title} ({key}): {result.result}"
        if result.could_upgrade_to:
            text += f"; could upgrade to {result.could_upgrade_to}"
        notes.append({"text": text})
    notes += [
        {"text": f"Warning {warning.id} ({warning.severity.value}): {warning.message}"}
        for warning in evaluation.warnings
    ]
    impression = {
        "resourceType": "ClinicalImpression",
        "id": _uuid(assessment.pk, "ClinicalImpression"),
        "extension": [
            {"url": CRITERIA_VERSION_EXTENSION, "valueString": evaluation.criteria_version}
        ],
        "status": statuses(assessment)[1],
        "description": "POEMS syndrome diagnostic criteria, evaluated by POEMS Assess",
        "subject": subject,
        "effectiveDateTime": assessment.assessment_date.isoformat(),
        "summary": f"{primary.title}: {verdict}. {primary.reason}",
        "note": notes,
    }
    # FHIR allows no empty array: a case with nothing recorded has no `finding` at all.
    if observations:
        impression["finding"] = [
            {"itemReference": {"reference": f"urn:uuid:{observation['id']}"}}
            for observation in observations
        ]
    return impression


def fhir_bundle(
    assessment: Assessment, *, include_patient_reference: bool = False
) -> dict[str, Any]:
    """A FHIR R4 `collection` Bundle: an Observation per recorded finding, a ClinicalImpression.

    No Patient resource: the subject is a logical reference by the case id, or by the patient
    reference when asked for.
    """
    findings = findings_of(assessment)
    evaluation = _evaluate(assessment, findings)
    subject = _subject(assessment, include_patient_reference)
    observations = [
        _observation(assessment, key, value, findings, subject) for key, value in findings.items()
    ]
    impression = _clinical_impression(assessment, evaluation, observations, subject)
    return {
        "resourceType": "Bundle",
        "id": str(assessment.pk),
        "identifier": {"system": CASE_SYSTEM, "value": str(assessment.pk)},
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
            for resource in [
                *observations,
                impression,
                *followup_exports.visit_observations(assessment, subject),
            ]
        ],
    }


def fhir_bundles(
    assessments: Iterable[Assessment],
    *,
    include_patient_reference: bool = False,
    progress: Progress | None = None,
) -> Iterator[tuple[Assessment, dict[str, Any]]]:
    """(assessment, bundle) for each assessment, read in chunks; progress as for write_csv."""
    for done, total, assessment in _each(assessments, counted=progress is not None):
        yield (
            assessment,
            fhir_bundle(assessment, include_patient_reference=include_patient_reference),
        )
        if progress is not None:
            progress(done, total)
