"""Importing cases: the export's CSV in, draft assessments out, every row checked, all or none.

Round trips go through the real export and the real import, and the findings are compared as
the export writes them; refusals are read back by row and column; bad files get a message.
"""

import csv
import io
import itertools
from io import StringIO

import pghistory.models
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from assessment import imports
from assessment.criteria import CATALOGUE
from assessment.exports import write_csv
from assessment.imports import ImportRefused, import_cases, read_csv
from assessment.models import Assessment, AssessmentEvent
from tests.assessment_helpers import make_assessment, make_physician
from tests.criteria.vignettes import VIGNETTES
from tests.test_admin_permissions import staff_with
from tests.test_forms_follow_the_engine import accepted_findings

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:assessment_assessment_import")
FINDING_KEYS = [finding.key for finding in CATALOGUE]
_numbers = itertools.count()


def exported(assessments, **options) -> str:
    out = io.StringIO(newline="")
    write_csv(assessments, out, **options)
    return out.getvalue()


def findings_by_reference(text) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(text, newline=""))
    return {row["patient_reference"]: {key: row[key] for key in FINDING_KEYS} for row in rows}


def refusal(data: bytes) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        read_csv(data)
    return [str(problem) for problem in refused.value.problems]


def test_the_vignettes_round_trip_export_import_export_with_identical_findings(physician):
    for vignette in VIGNETTES:
        make_assessment(physician, patient_reference=vignette["id"], **vignette["findings"])
    first = exported(
        Assessment.objects.order_by("patient_reference"), include_patient_reference=True
    )
    receiver = make_physician("receiver")

    created = import_cases(first.encode(), receiver, source="test", imported_by="test")

    assert len(created) == len(VIGNETTES) == 16
    again = exported(
        receiver.assessments.order_by("patient_reference"), include_patient_reference=True
    )
    assert findings_by_reference(again) == findings_by_reference(first)
    assert {case.status for case in created} == {"draft"}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(findings=accepted_findings())
def test_generated_cases_round_trip_with_identical_findings(physician, findings):
    reference = f"GEN-{next(_numbers)}"
    case = make_assessment(physician, patient_reference=reference, **findings)
    first = exported([case], include_patient_reference=True)
    receiver = make_physician(f"receiver-{reference}")

    [imported] = import_cases(first.encode(), receiver, source="test", imported_by="test")

    again = exported([imported], include_patient_reference=True)
    assert findings_by_reference(again) == findings_by_reference(first)


def test_a_de_identified_export_imports_with_the_case_id_as_reference(physician):
    case = make_assessment(physician, pn_present="yes")

    [imported] = import_cases(exported([case]).encode(), physician, source="t", imported_by="t")

    assert imported.patient_reference == str(case.pk)
    assert imported.pn_present == "yes"


def test_the_audit_trail_names_the_import(physician):
    data = b"patient_reference,assessment_date,pn_present\nMRN-1,2025-03-14,yes\n"

    [case] = import_cases(data, physician, source="centre.csv", imported_by="dm")

    event = AssessmentEvent.objects.get(pgh_obj=case, pgh_label="insert")
    context = pghistory.models.Context.objects.get(pk=event.pgh_context_id)
    assert context.metadata["imported_from"] == "centre.csv"
    assert context.metadata["imported_by"] == "dm"


def test_a_file_with_errors_imports_nothing_and_names_every_row_and_column(physician):
    data = (
        b"patient_reference,assessment_date,pn_present,platelets_10e9_l,"
        b"thrombocytosis_reported,age_years\n"
        b"MRN-GOOD,2025-03-14,yes,300,no,50\n"
        b"MRN-BAD,2025-03-14,maybe,300,yes,50\n"
        b",1800-01-01,no,,,200\n"
    )

    with pytest.raises(ImportRefused) as refused:
        import_cases(data, physician, source="t", imported_by="t")

    problems = {(p.row, p.columns) for p in refused.value.problems}
    assert (3, ("pn_present",)) in problems
    assert (3, ("thrombocytosis_reported", "platelets_10e9_l")) in problems
    assert (4, ("patient_reference",)) in problems
    assert (4, ("assessment_date",)) in problems
    assert (4, ("age_years",)) in problems
    assert not any(row == 2 for row, _ in problems)
    assert not Assessment.objects.exists()


def test_a_file_carrying_visits_is_refused_rather_than_imported_without_them(physician):
    data = (
        b"patient_reference,assessment_date,pn_present,followup_visits\n"
        b"MRN-1,2025-03-14,yes,\n"
        b'MRN-2,2025-03-14,yes,"[{""visit_date"":""2025-09-01""}]"\n'
    )

    with pytest.raises(ImportRefused) as refused:
        import_cases(data, physician, source="t", imported_by="t")

    assert {(p.row, p.columns) for p in refused.value.problems} == {(3, ("followup_visits",))}
    assert not Assessment.objects.exists()


def test_the_exports_formula_quote_is_taken_off(physician):
    case = make_assessment(physician, patient_reference="=1+1", pn_present="yes")
    text = exported([case], include_patient_reference=True)
    assert "'=1+1" in text

    [imported] = import_cases(text.encode(), physician, source="t", imported_by="t")

    assert imported.patient_reference == "=1+1"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        ("patient_reference,assessment_date\nM\xe9,2025-01-01\n".encode("latin-1"), "UTF-8"),
        (b"name,age\nAda,50\n", "name: is not a column of the export"),
        (b"patient_reference,assesment_date\nM,2025-01-01\n", "did you mean assessment_date"),
        (b"patient_reference,assessment_date\n", "no cases"),
        (b"patient_reference,assessment_date\nM,2025-01-01,extra\n", "row 2: has 3 cells"),
        (b'patient_reference,assessment_date\n"M\n', "not a readable CSV"),
    ],
)
def test_a_bad_file_is_refused_with_a_message(data, says):
    assert any(says in problem for problem in refusal(data))


def test_a_huge_file_is_refused_before_it_is_read():
    data = b"patient_reference,assessment_date\n" + b"M,2025-01-01\n" * (imports.MOST_BYTES // 13)

    assert any("MB" in problem for problem in refusal(data))


# --- The command -----------------------------------------------------------------------------


def test_the_command_imports_a_file_for_a_physician(physician, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("patient_reference,assessment_date,pn_present\nMRN-1,2025-03-14,yes\n")
    out = StringIO()

    call_command("import_cases", str(path), "--physician", physician.username, stdout=out)

    assert "Imported 1 draft assessment(s)" in out.getvalue()
    assert physician.assessments.get().pn_present == "yes"


def test_the_command_lists_every_problem_and_imports_nothing(physician, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("patient_reference,assessment_date,pn_present\nA,2025-03-14,maybe\nB,x,no\n")

    with pytest.raises(CommandError) as refused:
        call_command("import_cases", str(path), "--physician", physician.username)

    assert "row 2, pn_present:" in str(refused.value)
    assert "row 3, assessment_date:" in str(refused.value)
    assert not Assessment.objects.exists()


def test_the_command_refuses_an_unknown_physician_and_a_missing_file(physician, tmp_path):
    with pytest.raises(CommandError, match="no active user named 'nobody'"):
        call_command("import_cases", str(tmp_path / "x.csv"), "--physician", "nobody")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_cases", str(tmp_path / "x.csv"), "--physician", physician.username)


# --- The admin page --------------------------------------------------------------------------


def upload(client, data: bytes, physician, name="cases.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), "physician": physician.pk})


def test_the_admin_page_imports_and_says_how_many(physician):
    client = staff_with("view_assessment", "import_assessments")

    response = upload(
        client, b"patient_reference,assessment_date,pn_present\nMRN-1,2025-03-14,yes\n", physician
    )

    assert response.status_code == 302
    assert physician.assessments.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Imported 1 draft assessment(s)" in page


def test_the_admin_page_lists_the_problems_by_row_and_column_with_a_400(physician):
    client = staff_with("import_assessments")

    response = upload(
        client, b"patient_reference,assessment_date,pn_present\nA,2025-03-14,maybe\n", physician
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "<td>2</td><td>pn_present</td>" in page
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02binary", b"", b"a,b\n1,2\n", "é".encode("latin-1") * 100]
)
def test_the_admin_page_answers_a_bad_file_with_a_message_never_a_500(physician, data):
    client = staff_with("import_assessments")

    response = upload(client, data, physician, name="photo.png")

    assert response.status_code == 400
    assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()


def test_the_admin_page_wants_a_file_and_a_physician():
    client = staff_with("import_assessments")

    response = client.post(IMPORT, {})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
