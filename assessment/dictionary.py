"""The data dictionary of the CSV export: one entry per column, generated, never written by hand.

Everything in it is read from where the app itself takes it: labels and help from the model,
the step from the step definition, type, unit, allowed values and plausibility limits from the
engine's catalogue and thresholds, and the criteria items each finding feeds from the derived
items' declared inputs. A column added to the export without a way to describe it fails here.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass

from assessment.criteria import CATALOGUE, CRITERIA_SETS, FINDINGS
from assessment.criteria import thresholds as t
from assessment.criteria.criteria_sets import MYELOMA_ID, MYELOMA_INPUTS, POSITIVE_RESULTS
from assessment.criteria.derived import ITEMS
from assessment.criteria.findings import Finding, Kind
from assessment.criteria.red_flags import RED_FLAGS
from assessment.exports import JAPAN_SET, csv_columns, escape_cell
from assessment.models import Assessment
from assessment.steps import section_of, step_of
from assessment.wording import choice_label

# How a list of values is written in one cell.
SEPARATOR = " | "

_TRI_LABELS = (("yes", "Yes"), ("no", "No"), ("unknown", "Unknown"))
_YES_NO = (("yes", "Yes"), ("no", "No"))
_DERIVED = {item.id: item for item in ITEMS}
_SETS = {criteria_set.key: criteria_set for criteria_set in CRITERIA_SETS}


@dataclass(frozen=True)
class Entry:
    """One CSV column. `values` are (code, label) pairs; an empty cell is always "unknown"."""

    column: str
    label: str
    type: str
    description: str
    step: str = ""
    section: str = ""
    unit: str = ""
    values: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    limits: str = ""
    feeds: tuple[str, ...] = ()

    def as_row(self) -> dict[str, str]:
        row = {name: value for name, value in asdict(self).items() if name != "values"}
        row["allowed_values"] = SEPARATOR.join(code for code, _ in self.values)
        row["value_labels"] = SEPARATOR.join(f"{code} = {label}" for code, label in self.values)
        row["minimum"] = "" if self.minimum is None else f"{self.minimum:g}"
        row["maximum"] = "" if self.maximum is None else f"{self.maximum:g}"
        row["feeds"] = " ".join(self.feeds)
        return {column: escape_cell(str(row[column])) for column in COLUMNS}


COLUMNS = (
    "column",
    "label",
    "step",
    "section",
    "type",
    "unit",
    "allowed_values",
    "value_labels",
    "minimum",
    "maximum",
    "limits",
    "feeds",
    "description",
)


def _field(name: str):
    return Assessment._meta.get_field(name)


def _label(name: str) -> str:
    label = str(_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _choices(name: str) -> tuple[tuple[str, str], ...]:
    field = _field(name)
    return tuple((value, str(label)) for value, label in field.flatchoices)


def _limits(finding: Finding) -> tuple[float | None, float | None, str]:
    """The engine's plausibility limits of a number (criteria.md 9.6): minimum, maximum, text."""
    if finding.unit == "vegf_unit":
        least, most = t.VEGF_LEAST_PG_ML, t.VEGF_MOST_PG_ML
        ratio = t.VEGF_NG_ML_TO_PG_ML
        text = f"{least:g} to {most:,} pg/mL or ng/L; {least / ratio:g} to {most / ratio:g} ng/mL"
        return least, most, text
    least = "above 0" if finding.above_zero else "0"
    if finding.maximum is None:
        return 0, None, f"{least} or more" if not finding.above_zero else least
    return 0, finding.maximum, f"{least} to {finding.maximum:g}"


def _unit(finding: Finding) -> str:
    if finding.unit == "vegf_unit":
        return "the vegf_unit column's: " + ", ".join(FINDINGS["vegf_unit"].choices)
    return finding.unit


def _feeds(key: str) -> tuple[str, ...]:
    """The derived items built from a finding, and the Japanese set's myeloma exclusion."""
    items = tuple(item.id for item in ITEMS if key in item.inputs)
    return items + ((f"{JAPAN_SET}:{MYELOMA_ID}",) if key in MYELOMA_INPUTS else ())


def _finding_entry(finding: Finding) -> Entry:
    field = _field(finding.key)
    common = {
        "column": finding.key,
        "label": _label(finding.key),
        "description": str(field.help_text),
        "step": step_of(finding.key).title,
        "section": section_of(finding.key).title,
        "feeds": _feeds(finding.key),
    }
    if finding.kind is Kind.NUMBER:
        minimum, maximum, limits = _limits(finding)
        return Entry(
            type="number",
            unit=_unit(finding),
            minimum=minimum,
            maximum=maximum,
            limits=limits,
            **common,
        )
    if finding.kind is Kind.TEXT:
        return Entry(type="text", limits=f"at most {finding.longest} characters", **common)
    # The CSV leaves a finding not assessed empty: "unknown" is not written, so not listed.
    values = tuple((code, str(choice_label(field, code))) for code in finding.choices)
    return Entry(type="choice", values=values, **common)


def _fixed_entries() -> dict[str, Entry]:
    return {
        "case_id": Entry("case_id", "Case id", "identifier", "The assessment's opaque id (UUID)."),
        "patient_reference": Entry(
            "patient_reference",
            _label("patient_reference"),
            "text",
            str(_field("patient_reference").help_text)
            + " Only written when asked for (de-identified otherwise).",
            step=step_of("patient_reference").title,
        ),
        "assessment_date": Entry(
            "assessment_date",
            _label("assessment_date"),
            "date",
            str(_field("assessment_date").help_text) + " As YYYY-MM-DD.",
            step=step_of("assessment_date").title,
        ),
        "status": Entry(
            "status",
            "Status",
            "choice",
            str(_field("status").help_text),
            values=_choices("status"),
        ),
        "signed": Entry("signed", "Signed", "choice", "Signed by its physician.", values=_YES_NO),
        "withdrawn": Entry(
            "withdrawn", "Withdrawn", "choice", "Withdrawn (never deleted).", values=_YES_NO
        ),
        f"could_upgrade_to.{JAPAN_SET}": Entry(
            f"could_upgrade_to.{JAPAN_SET}",
            f"{_SETS[JAPAN_SET].title}: could upgrade to",
            "choice",
            "The higher result the unknown findings could still give; empty if none.",
            values=tuple(
                (code, label)
                for code, label in _choices("japan_result")
                if code in POSITIVE_RESULTS
            ),
        ),
        "warnings": Entry(
            "warnings",
            "Warnings",
            "list of codes",
            "The engine's differential-diagnosis warnings, separated by ';'.",
            values=tuple((flag.id, flag.title) for flag in RED_FLAGS),
        ),
        "criteria_version": Entry(
            "criteria_version",
            "Criteria version",
            "text",
            "The version of the rules that evaluated the case.",
        ),
        "followup_visits": Entry(
            "followup_visits",
            "Follow-up visits",
            "JSON list",
            "The case's follow-up visits, oldest first, each as the follow-up engine's visit "
            "object (followup.md section 11: keys and units as there); empty if none. Not read "
            "by the import.",
        ),
    }


def _derived_entry(item_id: str) -> Entry:
    item = _DERIVED[item_id]
    return Entry(
        f"derived.{item_id}",
        item.title,
        "choice",
        "Derived by the criteria engine from: " + ", ".join(item.inputs) + ".",
        values=_TRI_LABELS,
        feeds=tuple(s.key for s in CRITERIA_SETS if item_id in s.item_ids),
    )


def _result_entry(set_key: str) -> Entry:
    criteria_set = _SETS[set_key]
    results = "japan_result" if set_key == JAPAN_SET else "primary_verdict"
    return Entry(
        f"result.{set_key}",
        criteria_set.title,
        "choice",
        " ".join(filter(None, ("The criteria set's result.", criteria_set.note))),
        values=_choices(results),
    )


def entries() -> list[Entry]:
    """One entry per column of the CSV export, in the export's order (patient reference too)."""
    fixed, findings = _fixed_entries(), {f.key: f for f in CATALOGUE}
    made = []
    for column in csv_columns(include_patient_reference=True):
        kind, _, name = column.partition(".")
        if column in fixed:
            made.append(fixed[column])
        elif column in findings:
            made.append(_finding_entry(findings[column]))
        elif kind == "derived":
            made.append(_derived_entry(name))
        elif kind == "result":
            made.append(_result_entry(name))
        else:
            raise LookupError(f"the data dictionary cannot describe the column {column!r}")
    return made


def write_csv(out) -> int:
    """The dictionary as CSV to the text stream `out` (opened with newline=""); returns rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    rows = entries()
    for entry in rows:
        writer.writerow(entry.as_row())
    return len(rows)
