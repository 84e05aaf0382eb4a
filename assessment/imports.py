"""Importing cases: CSV in the export's own format in, draft assessments out, all or nothing.

Every row is read and checked before anything is saved: the patient reference and the date by
the model's own fields, the findings by the criteria engine (its problems are the ones that
count, reported with the columns they name). A file with any problem imports nothing, and the
refusal lists every problem by row and column. Columns the export computes (status, derived
items, results, warnings, version) are read past: the engine evaluates each case afresh.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import math
from dataclasses import dataclass
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction

from assessment import services
from assessment.criteria import CATALOGUE, FindingsError, parse_findings
from assessment.criteria.findings import Kind
from assessment.exports import FORMULA_TRIGGERS, csv_columns
from assessment.models import Assessment

# As much as the proxy takes in one request (deploy/nginx: client_max_body_size), some
# thousands of cases for a disease as rare as POEMS; a larger file is refused before it is read.
MOST_BYTES = 5 * 1024 * 1024
MOST_ROWS = 10_000

_FINDINGS = {finding.key: finding for finding in CATALOGUE}
# Every column of the export; those it computes are accepted in a file and never read.
_KNOWN = frozenset(csv_columns(include_patient_reference=True))


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file is refused; `row` counts the header as row 1 (as a spreadsheet does),
    0 for the file as a whole."""

    row: int
    columns: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.columns:
            where += f", {', '.join(self.columns)}"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """Nothing was imported; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def too_large(cls, size: int) -> ImportRefused:
        return _refuse(
            f"the file is {size / 1024 / 1024:.1f} MB: at most "
            f"{MOST_BYTES // 1024 // 1024} MB can be imported at once (split it)"
        )


@dataclass(frozen=True, slots=True)
class Case:
    """One row, checked: what a new assessment is made of."""

    row: int
    patient_reference: str
    assessment_date: datetime.date
    findings: dict[str, str | float]


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([Problem(0, (), message)])


def _text(data: bytes) -> str:
    if len(data) > MOST_BYTES:
        raise ImportRefused.too_large(len(data))
    if b"\x00" in data:
        raise _refuse("this is not a CSV file (it holds binary data)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(
            f"this is not UTF-8 text (byte {error.start + 1}): export it again as CSV UTF-8"
        ) from error


def _cell(text: str) -> str:
    """A cell as typed: the export's quote against formula injection taken off again."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _header_problems(header: list[str]) -> list[Problem]:
    problems = []
    unknown = [column for column in header if column not in _KNOWN]
    for column in unknown:
        close = difflib.get_close_matches(column, _KNOWN, n=1)
        hint = f"did you mean {close[0]}?" if close else "see the data dictionary"
        problems.append(Problem(1, (column,), f"is not a column of the export ({hint})"))
    repeated = sorted({column for column in header if header.count(column) > 1})
    problems += [Problem(1, (column,), "appears more than once") for column in repeated]
    if "assessment_date" not in header:
        problems.append(Problem(1, ("assessment_date",), "the column is missing"))
    if "patient_reference" not in header and "case_id" not in header:
        problems.append(
            Problem(1, ("patient_reference",), "the column is missing (or give case_id)")
        )
    return problems


def _field_value(row: int, name: str, text: str) -> tuple[Any, list[Problem]]:
    """A record field by the model's own checks (length, characters, plausible date)."""
    field = Assessment._meta.get_field(name)
    try:
        return field.clean(text, None), []
    except ValidationError as error:
        return None, [Problem(row, (name,), message) for message in error.messages]


def _finding_value(key: str, text: str) -> Any:
    """A number as a number when it reads as one; anything else is left for the engine to
    refuse in its own words."""
    if _FINDINGS[key].kind is Kind.NUMBER:
        try:
            number = float(text)
        except ValueError:
            return text
        return number if math.isfinite(number) else text
    return text


def _case(row: int, cells: dict[str, str]) -> tuple[Case | None, list[Problem]]:
    problems: list[Problem] = []
    # A de-identified export names a case by its id only: that id becomes the reference.
    reference_column = "patient_reference" if "patient_reference" in cells else "case_id"
    reference, found = _field_value(row, "patient_reference", cells[reference_column])
    problems += [Problem(row, (reference_column,), p.message) for p in found]
    date, found = _field_value(row, "assessment_date", cells["assessment_date"])
    problems += found
    if cells.get("followup_visits", ""):
        # Never dropped in silence: visits are entered (and signed) in the app, one by one.
        problems.append(
            Problem(row, ("followup_visits",), "visits are not imported: empty the column")
        )
    raw = {
        key: _finding_value(key, text)
        for key, text in cells.items()
        if key in _FINDINGS and text != ""
    }
    try:
        findings = parse_findings(raw).known()
    except FindingsError as error:
        problems += [Problem(row, p.keys, p.message) for p in error.problems]
        findings = {}
    if problems:
        return None, problems
    return Case(row, reference, date, findings), []


def read_csv(data: bytes) -> list[Case]:
    """Every row of an export-format CSV, checked; raises ImportRefused naming every problem."""
    text = _text(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [_cell(column.strip()) for column in next(reader, [])]
        if not any(header):
            raise _refuse("the file is empty: it needs the export's header row")
        problems = _header_problems(header)
        if problems:
            raise ImportRefused(problems)
        cases = []
        for row, values in enumerate(reader, start=2):
            if row - 1 > MOST_ROWS:
                raise _refuse(f"more than {MOST_ROWS:,} cases: split the file")
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                problems.append(
                    Problem(row, (), f"has {len(values)} cells, the header {len(header)}")
                )
                continue
            case, found = _case(row, dict(zip(header, map(_cell, values), strict=True)))
            problems += found
            if case is not None:
                cases.append(case)
    except csv.Error as error:
        raise _refuse(
            f"this is not a readable CSV file (line {reader.line_num}: {error})"
        ) from error
    if problems:
        raise ImportRefused(problems)
    if not cases:
        raise _refuse("the file holds no cases")
    return cases


def import_cases(data: bytes, physician, *, source: str, imported_by: str) -> list[Assessment]:
    """Create a draft assessment of `physician`'s for every row, or none (ImportRefused).

    The audit trail names the import: its source (the file's name) and who ran it, in words
    (a username, or the command), beside the request's own user when there is one.
    """
    cases = read_csv(data)
    created = []
    with (
        transaction.atomic(),
        pghistory.context(imported_from=source, imported_by=imported_by),
    ):
        for case in cases:
            assessment = Assessment(
                owner=physician,
                patient_reference=case.patient_reference,
                assessment_date=case.assessment_date,
                version=0,
                **case.findings,
            )
            created.append(services.record(assessment))
    return created
