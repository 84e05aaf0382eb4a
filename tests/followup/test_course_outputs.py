"""The course on paper and in the exports: the PDF's course section read back with pypdf, the
CSV's visits column, and a FHIR Observation per visit measurement, dated by its visit."""

import csv
import io
import json

import pytest
from pypdf import PdfReader

from assessment import pdf
from assessment.exports import fhir_bundle, write_csv
from followup.models import FollowUpVisit
from tests.assessment_helpers import make_assessment, make_physician

from .test_visits import BASELINE

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed():
    assessment = make_assessment(make_physician("dr-paper"), **BASELINE)
    FollowUpVisit.objects.create(
        assessment=assessment,
        visit_date="2026-07-01",
        months_since_treatment_start=6,
        treatment_since_last_visit=["lenalidomide"],
        bevacizumab_since_baseline="no",
        vegf_value=850,
        vegf_unit="pg/mL",
        vegf_sample="serum",
        vegf_assay="Quantikine ELISA, Hospital lab",
        vegf_lab_uln=1000,
        serum_ife="positive",
        onls_arm=1,
        onls_leg=2,
    )
    return assessment


def pdf_text(assessment) -> str:
    pages = PdfReader(io.BytesIO(pdf.render_pdf(assessment))).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def test_the_pdf_has_the_course_flags_extent_visits_and_the_vegf_plot(followed):
    text = pdf_text(followed)
    assert "Staging and follow-up" in text
    assert "Age over 50 years" in text and "eGFR below 30" in text
    assert "Undetermined: marrow biopsy not recorded" in text
    assert "2026-07-01" in text and "-82.3 %" in text
    assert "VEGF over time" in text or "The plotted VEGF values" in text


def test_the_csv_carries_each_cases_visits(followed):
    out = io.StringIO(newline="")
    write_csv([followed], out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    [visit] = json.loads(row["followup_visits"])
    assert visit["visit_date"] == "2026-07-01" and visit["vegf_value"] == 850.0
    assert visit["treatment_since_last_visit"] == ["lenalidomide"]


def test_fhir_has_one_observation_per_visit_measurement_with_its_date(followed):
    observations = [
        entry["resource"]
        for entry in fhir_bundle(followed)["entry"]
        if entry["resource"]["resourceType"] == "Observation"
        and entry["resource"]["code"]["coding"][0]["system"] == "urn:poems-assess:visit-measurement"
    ]
    codes = sorted(o["code"]["coding"][0]["code"] for o in observations)
    assert codes == ["onls_arm", "onls_leg", "serum_ife", "vegf_lab_uln", "vegf_value"]
    assert {o["effectiveDateTime"] for o in observations} == {"2026-07-01"}
    [vegf] = [o for o in observations if o["code"]["coding"][0]["code"] == "vegf_value"]
    assert vegf["valueQuantity"] == {
        "value": 850.0,
        "unit": "pg/mL",
        "system": "http://unitsofmeasure.org",
        "code": "pg/mL",
    }
