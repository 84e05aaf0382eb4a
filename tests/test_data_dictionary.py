"""The data dictionary: one entry per CSV column, each read from the model and the engine.

The expectations are taken from the engine itself (catalogue, thresholds, derived items) and the
export's columns, so a finding added to either is checked too.
"""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment import dictionary
from assessment.criteria import CATALOGUE, CRITERIA_SETS, FINDINGS
from assessment.criteria import thresholds as t
from assessment.criteria.criteria_sets import MYELOMA_INPUTS
from assessment.criteria.derived import ITEMS
from assessment.criteria.findings import Kind
from assessment.exports import csv_columns
from assessment.steps import step_of
from tests.test_admin_permissions import staff_with

URL = reverse("admin:assessment_assessment_data_dictionary")


def rows_by_column(text):
    return {row["column"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def dictionary_csv():
    out = io.StringIO(newline="")
    dictionary.write_csv(out)
    return out.getvalue()


def test_every_csv_column_has_one_row_in_the_exports_order():
    rows = list(csv.DictReader(io.StringIO(dictionary_csv(), newline="")))

    assert [row["column"] for row in rows] == list(csv_columns(include_patient_reference=True))
    for row in rows:
        assert row["label"] and row["type"] and row["description"], row["column"]


def test_every_finding_gives_its_step_type_and_every_allowed_value_with_its_label():
    rows = rows_by_column(dictionary_csv())

    for finding in CATALOGUE:
        row = rows[finding.key]
        assert row["step"] == step_of(finding.key).title
        if finding.kind is Kind.NUMBER:
            assert row["type"] == "number"
            assert row["allowed_values"] == ""
        elif finding.kind is Kind.TEXT:
            assert row["type"] == "text"
            assert row["limits"] == f"at most {finding.longest} characters"
        else:
            assert row["type"] == "choice"
            assert row["allowed_values"].split(" | ") == list(finding.choices)
            labels = dict(pair.split(" = ", 1) for pair in row["value_labels"].split(" | "))
            assert list(labels) == list(finding.choices)
            assert all(labels.values())


def test_the_limits_are_the_engines():
    rows = rows_by_column(dictionary_csv())

    for finding in CATALOGUE:
        if finding.kind is not Kind.NUMBER:
            continue
        row = rows[finding.key]
        if finding.unit == "vegf_unit":
            assert (row["minimum"], row["maximum"]) == (
                f"{t.VEGF_LEAST_PG_ML:g}",
                f"{t.VEGF_MOST_PG_ML:g}",
            )
            assert "ng/mL" in row["limits"]
        else:
            expected = "" if finding.maximum is None else f"{finding.maximum:g}"
            assert row["maximum"] == expected, finding.key
            assert row["minimum"] == "0"
            assert ("above 0" in row["limits"]) is finding.above_zero, finding.key
            assert row["unit"] == finding.unit


def test_each_finding_names_the_items_it_feeds_and_each_item_its_criteria_sets():
    rows = rows_by_column(dictionary_csv())

    for item in ITEMS:
        for key in item.inputs:
            assert item.id in rows[key]["feeds"].split(), (key, item.id)
        sets = {s.key for s in CRITERIA_SETS if item.id in s.item_ids}
        assert set(rows[f"derived.{item.id}"]["feeds"].split()) == sets
    for key in MYELOMA_INPUTS:
        assert "japan_mhlw_2015:multiple_myeloma" in rows[key]["feeds"].split(), key
    fed = {key for item in ITEMS for key in item.inputs} | set(MYELOMA_INPUTS)
    for key in set(FINDINGS) - fed:
        assert rows[key]["feeds"] == "", key


def test_the_command_writes_the_same_csv_to_stdout_and_to_a_file(tmp_path):
    out = StringIO()
    call_command("data_dictionary", stdout=out)
    path = tmp_path / "dictionary.csv"
    call_command("data_dictionary", "--output", str(path), stderr=StringIO())

    assert rows_by_column(out.getvalue()) == rows_by_column(dictionary_csv())
    assert path.read_bytes().decode("utf-8") == dictionary_csv()


@pytest.mark.django_db
def test_the_admin_page_lists_every_column_and_serves_the_csv():
    client = staff_with("export_assessments")

    page = client.get(URL)
    download = client.get(URL, {"format": "csv"})

    assert page.status_code == 200
    html = page.content.decode()
    for column in csv_columns(include_patient_reference=True):
        assert f"<code>{column}</code>" in html
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.decode() == dictionary_csv()


@pytest.mark.django_db
def test_the_admin_page_is_refused_to_staff_without_a_permission_on_cases():
    assert staff_with().get(URL).status_code == 403


@pytest.mark.django_db
def test_the_changelist_where_exports_are_offered_links_to_the_dictionary():
    client = staff_with("view_assessment", "export_assessments")

    page = client.get(reverse("admin:assessment_assessment_changelist")).content.decode()
    home = client.get(reverse("admin:index")).content.decode()

    assert f'href="{URL}"' in page
    assert f'href="{URL}"' in home
