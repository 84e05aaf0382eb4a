"""Every exported bundle is valid FHIR, checked by code the team did not write.

The validator is `fhir.resources` (its R4B models: R4B changed none of the resources exported
here, Bundle, Observation and ClinicalImpression, from R4). It checks each resource's structure
and types but neither the required value sets of the statuses nor empty arrays (it drops those
silently), so both are checked here explicitly: no empty array, object or string anywhere, and
each status one of its value set's codes, as the case's state requires.

Bundles are made from the demo cases (`seed_demo`) and from cases whose findings are drawn from
the engine's catalogue, as drafts, complete, signed and withdrawn.
"""

import datetime
import itertools
import json
from io import StringIO

import pytest
from django.core.management import call_command
from fhir.resources.R4B import get_fhir_model_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment import services
from assessment.criteria import CATALOGUE
from assessment.exports import fhir_bundle
from assessment.fhir_codes import CATEGORY_SYSTEM
from assessment.models import Assessment
from assessment.steps import STEPS, category_of
from followup.exports import VISIT_SYSTEM
from followup.models import FollowUpVisit
from followup.services import add_visit, sign_visit
from tests.assessment_helpers import make_assessment, make_physician
from tests.followup.cases import CASES
from tests.test_forms_follow_the_engine import accepted_findings

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The required value sets (FHIR R4): observation-status, clinicalimpression-status and the
# codes of http://terminology.hl7.org/CodeSystem/observation-category.
OBSERVATION_STATUSES = {
    "registered",
    "preliminary",
    "final",
    "amended",
    "corrected",
    "cancelled",
    "entered-in-error",
    "unknown",
}
IMPRESSION_STATUSES = {"in-progress", "completed", "entered-in-error"}
OBSERVATION_CATEGORIES = {
    "social-history",
    "vital-signs",
    "imaging",
    "laboratory",
    "procedure",
    "survey",
    "exam",
    "therapy",
    "activity",
}

# A diagnosed baseline (the shared follow-up case FU04) and a visit's values as the form saves them.
BASELINE = next(case for case in CASES if case["id"] == "FU04")["inputs"]["baseline"]
VISIT_VALUES = {
    "visit_date": datetime.date(2026, 7, 1),
    "months_since_treatment_start": 6,
    "treatment_since_last_visit": ["lenalidomide"],
    "bevacizumab_since_baseline": "no",
    "vegf_value": 850,
    "vegf_unit": "pg/mL",
    "vegf_sample": "serum",
    "vegf_lab_uln": 1000,
    "onls_arm": 2,
    "onls_leg": 3,
}

EXPECTED_STATUSES = {
    "draft": ("preliminary", "in-progress"),
    "complete": ("final", "completed"),
    "signed": ("final", "completed"),
    "withdrawn": ("entered-in-error", "entered-in-error"),
}


def empty_values(value, path="$"):
    """The paths of every empty array, object or (blank) string in a JSON document."""
    if isinstance(value, dict):
        found = [path] if not value else []
        for key, item in value.items():
            found += empty_values(item, f"{path}.{key}")
        return found
    if isinstance(value, list):
        found = [path] if not value else []
        for index, item in enumerate(value):
            found += empty_values(item, f"{path}[{index}]")
        return found
    if isinstance(value, str) and not value.strip():
        return [path]
    return []


def assert_valid(bundle):
    """The bundle as JSON would carry it: valid for the validator, nothing empty."""
    document = json.loads(json.dumps(bundle))
    assert empty_values(document) == []
    # Each entry is validated as its own resource type with the bundle.
    get_fhir_model_class("Bundle").model_validate(document)
    return document


def resources(document, resource_type):
    return [
        entry["resource"]
        for entry in document["entry"]
        if entry["resource"]["resourceType"] == resource_type
    ]


def assert_statuses(document, state):
    observation_status, impression_status = EXPECTED_STATUSES[state]
    [impression] = resources(document, "ClinicalImpression")
    assert impression["status"] in IMPRESSION_STATUSES
    assert impression["status"] == impression_status
    for observation in resources(document, "Observation"):
        assert observation["status"] in OBSERVATION_STATUSES
        assert observation["status"] == observation_status
        [category] = observation["category"]
        [coding] = category["coding"]
        assert coding["system"] == CATEGORY_SYSTEM
        assert coding["code"] in OBSERVATION_CATEGORIES


def case_in_state(owner, findings, state):
    completed = [step.slug for step in STEPS] if state != "draft" else []
    case = make_assessment(owner, **findings, completed_steps=completed)
    if state in ("signed", "withdrawn"):
        case = services.sign(case, owner)
    if state == "withdrawn":
        case = services.withdraw(case, owner, "Entered for the wrong patient.")
    return case


def state_of(case):
    if case.withdrawn_at is not None:
        return "withdrawn"
    return "signed" if case.signed_at is not None else case.status


def test_every_demo_case_exports_a_valid_bundle():
    call_command("seed_demo", stdout=StringIO())

    cases = list(Assessment.objects.all())

    assert len(cases) >= 16
    for case in cases:
        document = assert_valid(fhir_bundle(case))
        assert_statuses(document, state_of(case))
        assert_valid(fhir_bundle(case, include_patient_reference=True))


@pytest.mark.parametrize("state", sorted(EXPECTED_STATUSES))
def test_a_case_with_nothing_recorded_exports_no_empty_finding_list(physician, state):
    case = case_in_state(physician, {}, state)

    document = assert_valid(fhir_bundle(case))

    [impression] = resources(document, "ClinicalImpression")
    assert "finding" not in impression
    assert resources(document, "Observation") == []


_numbers = itertools.count()


@PROPERTY
@given(findings=accepted_findings(), state=st.sampled_from(sorted(EXPECTED_STATUSES)))
def test_every_generated_case_exports_a_valid_bundle_with_its_states_statuses(findings, state):
    owner = make_physician(f"fhir-{next(_numbers)}")
    case = case_in_state(owner, findings, state)

    document = assert_valid(fhir_bundle(case))

    assert state_of(case) == state
    assert_statuses(document, state)
    recorded = {
        coding["code"]
        for observation in resources(document, "Observation")
        for coding in observation["code"]["coding"]
        if coding["system"] == "urn:poems-assess:finding"
    }
    assert recorded == set(services.findings_of(case))


def test_each_finding_is_classed_by_its_steps_section():
    for finding in CATALOGUE:
        assert category_of(finding.key) in OBSERVATION_CATEGORIES
    for step in STEPS:
        for section in step.sections:
            # An exception to a section's kind names one of that section's own fields.
            assert {name for name, _ in section.category_of} <= set(section.fields)


def test_the_empty_check_finds_what_fhir_forbids():
    document = {"a": [], "b": {"c": ""}, "d": [{"e": " "}], "f": {}, "g": 0, "h": False}

    assert sorted(empty_values(document)) == ["$.a", "$.b.c", "$.d[0].e", "$.f"]


def test_a_case_with_visits_exports_a_valid_bundle_each_visit_by_its_own_state(physician):
    case = make_assessment(physician, **BASELINE, completed_steps=[step.slug for step in STEPS])
    case = services.sign(case, physician)
    first = add_visit(FollowUpVisit(assessment=case, **VISIT_VALUES))
    sign_visit(first, physician, first.version)
    add_visit(
        FollowUpVisit(assessment=case, **VISIT_VALUES | {"visit_date": datetime.date(2027, 1, 5)})
    )

    document = assert_valid(fhir_bundle(Assessment.objects.get(pk=case.pk)))

    visits = [
        observation
        for observation in resources(document, "Observation")
        if observation["code"]["coding"][0]["system"] == VISIT_SYSTEM
    ]
    statuses = {(o["effectiveDateTime"], o["status"]) for o in visits}
    assert statuses == {("2026-07-01", "final"), ("2027-01-05", "preliminary")}
    for observation in visits:
        [category] = observation["category"]
        assert category["coding"][0]["code"] in OBSERVATION_CATEGORIES

    withdrawn = services.withdraw(case, physician, "Entered for the wrong patient.")
    document = assert_valid(fhir_bundle(withdrawn))
    assert {o["status"] for o in resources(document, "Observation")} == {"entered-in-error"}
