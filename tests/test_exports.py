"""Case exports: a de-identified, spreadsheet-safe CSV and FHIR R4 bundles, and the command.

Cases are made as the app makes them and evaluated by the real criteria engine; the CSV is read
back with the csv module, the bundles as JSON.
"""

import csv
import datetime
import io
import json
import os
import pty
import select
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessment.criteria import CATALOGUE, CRITERIA_SETS
from assessment.criteria.derived import ITEMS as DERIVED_ITEMS
from assessment.exports import CSV_COLUMNS, fhir_bundle, write_csv
from assessment.models import Assessment
from assessment.steps import STEPS
from tests.assessment_helpers import make_assessment
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[1]
VIGNETTE = {vignette["id"]: vignette for vignette in VIGNETTES}
PRIMARY = "dispenzieri_updated_2007_imwg2014"
LOINC = "http://loinc.org"


def vignette_case(owner, vignette_id, **fields):
    return make_assessment(owner, **VIGNETTE[vignette_id]["findings"], **fields)


def complete_vignette_case(owner, vignette_id):
    return vignette_case(owner, vignette_id, completed_steps=[step.slug for step in STEPS])


def export_csv(**options):
    out = io.StringIO(newline="")
    write_csv(Assessment.objects.order_by("created_at"), out, **options)
    return out.getvalue()


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def recorded(vignette_id):
    """The vignette's findings that are recorded, i.e. neither unknown nor empty."""
    findings = VIGNETTE[vignette_id]["findings"]
    return {key for key, value in findings.items() if value not in (None, "unknown")}


# --- CSV -------------------------------------------------------------------------------------


def test_the_csv_is_de_identified_by_default(physician):
    case = vignette_case(physician, "V01", patient_reference="MRN-778899")

    text = export_csv()

    assert "MRN-778899" not in text
    assert "patient_reference" not in text
    [row] = rows_of(text)
    assert row["case_id"] == str(case.pk)


def test_the_csv_includes_the_patient_reference_when_asked(physician):
    vignette_case(physician, "V01", patient_reference="MRN-778899")

    [row] = rows_of(export_csv(include_patient_reference=True))

    assert row["patient_reference"] == "MRN-778899"
    assert list(row)[:2] == ["case_id", "patient_reference"]


def test_the_csv_has_a_column_per_finding_derived_item_and_criteria_set(physician):
    vignette_case(physician, "V01")

    header = next(csv.reader(io.StringIO(export_csv())))

    assert header == list(CSV_COLUMNS)
    assert header[:5] == ["case_id", "assessment_date", "status", "signed", "withdrawn"]
    findings = [column for column in header if column in {f.key for f in CATALOGUE}]
    assert findings == [finding.key for finding in CATALOGUE]
    for item in DERIVED_ITEMS:
        assert f"derived.{item.id}" in header
    for criteria_set in CRITERIA_SETS:
        assert f"result.{criteria_set.key}" in header
    assert header[-4:] == [
        "could_upgrade_to.japan_mhlw_2015",
        "warnings",
        "criteria_version",
        "followup_visits",
    ]


def test_a_vignettes_values_and_results_round_trip(physician):
    vignette = VIGNETTE["V01"]
    case = vignette_case(physician, "V01")

    [row] = rows_of(export_csv())

    assert row["platelets_10e9_l"] == "560"
    assert row["hemoglobin_g_dl"] == "15.8"
    assert row["heavy_chain"] == "IgA"
    assert row["endo_amenorrhea"] == "not_applicable"
    assert row["phrenic_nerve_palsy"] == ""  # not assessed
    assert row["assessment_date"] == "2025-03-14"
    assert (row["status"], row["signed"], row["withdrawn"]) == (case.status, "no", "no")
    for item, status in vignette["derived_items"].items():
        assert row[f"derived.{item}"] == status
    for key, expected in vignette["expected_outcomes"].items():
        assert row[f"result.{key}"] == expected["result"]
    assert row[f"result.{PRIMARY}"] == "meets"
    assert row["warnings"] == ""
    assert row["criteria_version"] == case.criteria_version


def test_the_csv_joins_warning_ids_and_gives_the_japanese_upgrade(physician):
    vignette_case(physician, "V09")

    [row] = rows_of(export_csv())

    expected = {warning["id"] for warning in VIGNETTE["V09"]["expected_warnings"]}
    assert set(row["warnings"].split(";")) == expected
    assert row["result.japan_mhlw_2015"] == "possible"
    assert row["could_upgrade_to.japan_mhlw_2015"] == "definite"


def test_a_formula_in_a_cell_is_exported_as_text(physician):
    formula = '=HYPERLINK("http://evil.example","x")'
    vignette_case(physician, "V01", patient_reference=formula)

    [row] = rows_of(export_csv(include_patient_reference=True))

    assert row["patient_reference"] == "'" + formula


@pytest.mark.parametrize("reference", ["+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
def test_every_cell_a_spreadsheet_would_run_is_prefixed_with_a_quote(physician, reference):
    make_assessment(physician, patient_reference=reference)

    [row] = rows_of(export_csv(include_patient_reference=True))

    assert row["patient_reference"] == "'" + reference


def test_a_harmless_cell_is_left_as_it_is(physician):
    make_assessment(physician, patient_reference="MRN-1'=2")

    [row] = rows_of(export_csv(include_patient_reference=True))

    assert row["patient_reference"] == "MRN-1'=2"


def test_write_csv_reports_progress_after_each_case(physician):
    for number in range(3):
        make_assessment(physician, patient_reference=f"MRN-{number}")
    calls = []

    write_csv(Assessment.objects.all(), io.StringIO(), progress=lambda *c: calls.append(c))

    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_the_csv_reads_every_cases_visits_in_one_query_whatever_their_number(
    physician, django_assert_max_num_queries
):
    diagnosed = [complete_vignette_case(physician, "V01") for _ in range(2)]
    for number, case in enumerate(diagnosed):
        for month in range(1, 4):
            case.visits.create(
                visit_date=datetime.date(2026, month, 1 + number), vegf_value=500 + month
            )
    make_assessment(physician)

    # A count, the cases, their visits: not one query a case.
    with django_assert_max_num_queries(3):
        rows = rows_of(export_csv())

    visits = [json.loads(row["followup_visits"]) for row in rows if row["followup_visits"]]
    assert sorted(len(each) for each in visits) == [3, 3]
    assert [visit["vegf_value"] for visit in visits[0]] == [501, 502, 503]


# --- FHIR ------------------------------------------------------------------------------------


def resources(bundle, resource_type):
    return [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == resource_type
    ]


def finding_code(observation):
    [code] = [
        coding["code"]
        for coding in observation["code"]["coding"]
        if coding["system"] == "urn:poems-assess:finding"
    ]
    return code


def test_the_bundle_is_an_r4_collection_with_an_observation_per_recorded_finding(physician):
    case = complete_vignette_case(physician, "V01")

    bundle = json.loads(json.dumps(fhir_bundle(case)))

    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    observations = resources(bundle, "Observation")
    assert sorted(finding_code(o) for o in observations) == sorted(recorded("V01"))
    assert {o["status"] for o in observations} == {"final"}
    assert not resources(bundle, "Patient")


def test_observations_carry_quantities_in_ucum_and_choices_as_text(physician):
    case = vignette_case(physician, "V01")

    observations = {finding_code(o): o for o in resources(fhir_bundle(case), "Observation")}

    platelets = observations["platelets_10e9_l"]
    assert platelets["code"]["text"] == "platelets (×10⁹/L)"
    assert platelets["valueQuantity"] == {
        "value": 560,
        "unit": "×10⁹/L",
        "system": "http://unitsofmeasure.org",
        "code": "10*9/L",
    }
    assert observations["vegf_value"]["valueQuantity"]["code"] == "pg/mL"
    assert observations["age_years"]["valueQuantity"]["code"] == "a"
    assert observations["heavy_chain"]["valueCodeableConcept"]["text"] == "IgA"
    assert observations["pn_present"]["valueCodeableConcept"]["text"] == "Yes"


def test_only_platelets_and_haemoglobin_carry_a_loinc_code(physician):
    case = vignette_case(physician, "V01")

    loinc = {
        finding_code(observation): coding["code"]
        for observation in resources(fhir_bundle(case), "Observation")
        for coding in observation["code"]["coding"]
        if coding["system"] == LOINC
    }

    assert loinc == {"platelets_10e9_l": "26515-7", "hemoglobin_g_dl": "718-7"}


def test_the_clinical_impression_gives_the_verdict_each_set_and_the_criteria_version(physician):
    case = complete_vignette_case(physician, "V01")

    bundle = fhir_bundle(case)

    [impression] = resources(bundle, "ClinicalImpression")
    assert impression["status"] == "completed"
    assert "Meets the criteria" in impression["summary"]
    notes = [note["text"] for note in impression["note"]]
    for key, expected in VIGNETTE["V01"]["expected_outcomes"].items():
        assert any(key in note and expected["result"] in note for note in notes)
    assert impression["extension"] == [
        {
            "url": "urn:poems-assess:extension:criteria-version",
            "valueString": case.criteria_version,
        }
    ]
    observation_urls = {
        entry["fullUrl"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Observation"
    }
    assert {f["itemReference"]["reference"] for f in impression["finding"]} == observation_urls


def test_the_clinical_impression_notes_every_warning_with_its_message(physician):
    case = vignette_case(physician, "V09")

    [impression] = resources(fhir_bundle(case), "ClinicalImpression")

    assert "Meets the criteria" in impression["summary"]
    notes = " ".join(note["text"] for note in impression["note"])
    for warning in VIGNETTE["V09"]["expected_warnings"]:
        assert warning["id"] in notes


def test_the_bundle_names_the_case_not_the_patient_unless_asked(physician):
    case = vignette_case(physician, "V01", patient_reference="MRN-778899")

    anonymous = fhir_bundle(case)
    named = fhir_bundle(case, include_patient_reference=True)

    assert "MRN-778899" not in json.dumps(anonymous)
    [impression] = resources(anonymous, "ClinicalImpression")
    assert impression["subject"]["identifier"]["value"] == str(case.pk)
    [impression] = resources(named, "ClinicalImpression")
    assert impression["subject"]["identifier"]["value"] == "MRN-778899"


# --- The command -----------------------------------------------------------------------------


def export(*arguments):
    out, err = StringIO(), StringIO()
    call_command("export_cases", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def three_cases(physician, other_physician):
    return [
        vignette_case(physician, "V01", patient_reference="MRN-A"),
        vignette_case(physician, "V02", patient_reference="MRN-B"),
        vignette_case(other_physician, "V09", patient_reference="MRN-C"),
    ]


def test_the_command_writes_csv_to_a_file_and_shows_progress_on_stderr(three_cases, tmp_path):
    path = tmp_path / "cases.csv"

    out, err = export("--output", str(path))

    assert out == ""
    rows = rows_of(path.read_text(encoding="utf-8"))
    assert {row["case_id"] for row in rows} == {str(case.pk) for case in three_cases}
    assert "MRN-" not in path.read_text(encoding="utf-8")
    assert "Exported 3/3 cases (100%)" in err
    assert f"Wrote 3 cases to {path}." in err


def test_the_command_writes_csv_to_stdout_with_the_patient_reference_when_asked(three_cases):
    out, _ = export("--include-patient-reference")

    assert sorted(row["patient_reference"] for row in rows_of(out)) == ["MRN-A", "MRN-B", "MRN-C"]


def test_the_command_filters_by_physician_and_verdict(three_cases):
    v01, v02, v09 = three_cases

    by_grace, _ = export("--physician", "grace")
    meets, _ = export("--verdict", "meets")
    adas_meets, _ = export("--physician", "ada", "--verdict", "meets")

    assert [row["case_id"] for row in rows_of(by_grace)] == [str(v09.pk)]
    assert {row["case_id"] for row in rows_of(meets)} == {str(v01.pk), str(v09.pk)}
    assert [row["case_id"] for row in rows_of(adas_meets)] == [str(v01.pk)]


def test_the_command_writes_one_fhir_bundle_per_case_to_a_directory(three_cases, tmp_path):
    directory = tmp_path / "bundles"

    _, err = export("--format", "fhir", "--output", str(directory))

    files = sorted(directory.iterdir())
    assert [path.name for path in files] == sorted(f"{case.pk}.json" for case in three_cases)
    for path in files:
        bundle = json.loads(path.read_text(encoding="utf-8"))
        assert (bundle["resourceType"], bundle["id"]) == ("Bundle", path.stem)
        assert "MRN-" not in path.read_text(encoding="utf-8")
    assert "Exported 3/3 cases (100%)" in err


def test_the_command_writes_fhir_bundles_to_stdout_as_one_json_array(three_cases):
    out, _ = export("--format", "fhir")

    bundles = json.loads(out)
    assert sorted(bundle["id"] for bundle in bundles) == sorted(str(c.pk) for c in three_cases)


def test_the_command_prints_periodic_lines_when_stderr_is_not_a_terminal(physician):
    for number in range(20):
        make_assessment(physician, patient_reference=f"MRN-{number}")

    _, err = export("--output", os.devnull)

    lines = [line for line in err.splitlines() if line.startswith("Exported")]
    assert lines == [f"Exported {n}/20 cases ({n * 5}%)" for n in range(2, 21, 2)]


def read_terminal(controller: int, until: str) -> str:
    """What was written to a pseudo-terminal, up to `until`: one read may return only part."""
    shown = ""
    while until not in shown and select.select([controller], [], [], 5)[0]:
        shown += os.read(controller, 65536).decode()
    return shown


def test_the_command_updates_one_line_in_place_on_a_terminal(physician):
    for number in range(4):
        make_assessment(physician, patient_reference=f"MRN-{number}")
    controller, terminal = pty.openpty()
    try:
        with open(terminal, "w", closefd=False) as stderr:
            call_command("export_cases", "--output", os.devnull, stdout=StringIO(), stderr=stderr)
        shown = read_terminal(controller, until="Wrote 4 cases")
    finally:
        os.close(controller)
        os.close(terminal)

    assert "\rExported 1/4 cases (25%)\rExported 2/4 cases (50%)" in shown
    assert "\rExported 4/4 cases (100%)" in shown


def test_the_command_refuses_an_unknown_physician(physician):
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        export("--physician", "nobody")


def test_the_command_refuses_a_file_as_the_fhir_directory(physician, tmp_path):
    path = tmp_path / "taken"
    path.write_text("")

    with pytest.raises(CommandError, match="a FHIR export needs a directory"):
        export("--format", "fhir", "--output", str(path))


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--format", "xlsx"], "argument --format: invalid choice: 'xlsx'"),
        (["--verdict", "maybe"], "argument --verdict: invalid choice: 'maybe'"),
    ],
)
def test_the_command_refuses_bad_arguments_with_a_message_and_no_traceback(arguments, says):
    finished = subprocess.run(
        [sys.executable, "manage.py", "export_cases", *arguments],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )

    assert finished.returncode == 2
    assert says in finished.stderr
    assert "Traceback" not in finished.stderr
    assert finished.stdout == ""
