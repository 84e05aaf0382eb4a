"""Reading a follow-up input: every problem named with its ID and keys (followup.md 2, 3.3).

The baseline is the assessment's findings plus the staging keys; it must also be valid under
criteria.md 9.6, so the criteria engine's own contradictions are checked as well.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from assessment.criteria import FINDINGS, Findings, FindingsError, parse_findings
from assessment.criteria import Problem as CriteriaProblem
from assessment.criteria import thresholds as t
from assessment.criteria.findings import UNKNOWN
from assessment.criteria.validation import contradictions

from .fields import TREATMENTS, VISIT, VISIT_FIELDS, WHOLE_BODY_IMAGING, Field, Kind, as_field

Value = str | float | int | datetime.date | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Problem(CriteriaProblem):
    """One reason the input is refused: its followup.md 3.3 ID, the keys to correct, and the
    visit (0-based, in input order) they belong to, or None for the baseline."""

    id: str = ""
    visit: int | None = None

    def __str__(self) -> str:
        where = "" if self.visit is None else f"visits[{self.visit}] "
        return f"{self.id} {where}{', '.join(self.keys)}: {self.message}"


class FollowUpError(ValueError):
    """The input is refused as a whole; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


BASELINE_FIELDS: dict[str, Field] = {key: as_field(finding) for key, finding in FINDINGS.items()}
_VEGF_FIGURES = ("vegf_value", "vegf_lab_uln")


@dataclass(frozen=True, slots=True)
class Visit:
    """A valid visit: its known fields only (numbers as floats, integers as ints)."""

    index: int
    values: Mapping[str, Value]

    @property
    def date(self) -> datetime.date:
        return self.values["visit_date"]

    def get(self, key: str):
        return self.values.get(key)

    def lists(self, treatment: str) -> bool:
        return treatment in (self.values.get("treatment_since_last_visit") or ())


@dataclass(frozen=True, slots=True)
class FollowUpInput:
    baseline: Mapping[str, Value]
    visits: tuple[Visit, ...]


def _typed(value: object) -> str:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return shown.replace("{", "{{").replace("}", "}}")


def _one_of(key: str, values: tuple[str, ...]) -> str:
    return ", ".join(f"{{{key}={value}}}" for value in values)


def _limits(field: Field) -> str:
    low = f"above {field.least:g}" if field.above_least else f"{field.least:g}"
    if field.most is None:
        return f"a number {low if field.above_least else f'of {low} or more'}"
    return f"{low} to {field.most:g}"


def _read(field: Field, value: object) -> tuple[Value | None, tuple[str, str] | None]:
    """The canonical value, or (None, (ID, message)); (None, None) is unknown."""
    if value is None or (value == UNKNOWN and field.kind is not Kind.DATE):
        return None, None
    key = field.key
    if field.kind in (Kind.TRI, Kind.CHOICE):
        if isinstance(value, str) and value in field.choices:
            return value, None
        allowed = _one_of(key, (*field.choices, UNKNOWN))
        return None, ("X_ENUM", f"{_typed(value)} is not allowed (allowed: {allowed})")
    if field.kind is Kind.TEXT:
        if not isinstance(value, str) or not value.strip():
            return None, ("X_ENUM", f"{_typed(value)} is not a text (allowed: a text, or unknown)")
        if len(value) > field.longest:
            return None, (
                "X_ENUM",
                f"is {len(value)} characters long (allowed: up to {field.longest})",
            )
        return value, None
    if field.kind is Kind.DATE:
        return _read_date(value)
    if field.kind is Kind.TREATMENTS:
        return _read_treatments(key, value)
    return _read_number(field, value)


def _read_number(field: Field, value: object):
    allowed = f"(allowed: {_limits(field)}, or {{{field.key}=unknown}})"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None, ("X_NUMBER", f"{_typed(value)} is not a number {allowed}")
    if value < 0:
        return None, ("X_NUMBER", f"{value:g} is negative {allowed}")
    if field.kind is Kind.INTEGER and value != int(value):
        return None, ("X_RANGE", f"{value:g} is not a whole number {allowed}")
    if value < field.least or (field.above_least and value == field.least):
        return None, ("X_RANGE", f"{value:g} is not a possible {{{field.key}}} {allowed}")
    if field.most is not None and value > field.most:
        slip = f": {field.slip}" if field.slip else ""
        return None, ("X_RANGE", f"{value:g} is implausible{slip} {allowed}")
    return (int(value) if field.kind is Kind.INTEGER else float(value)), None


def _read_date(value: object):
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value), None
        except ValueError:
            pass
    return None, ("X_VISIT_DATE", _BAD_DATE.format(_typed(value)))


_BAD_DATE = "{} is not a date (allowed: a real date as YYYY-MM-DD)"


def _read_treatments(key: str, value: object):
    allowed = f"allowed: a list of distinct {_one_of(key, TREATMENTS)}; {{{key}=none}} alone"
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(entry, str) and entry in TREATMENTS for entry in value)
    ):
        return None, (
            "X_TREATMENT_LIST",
            f"{_typed(value)} is not a list of treatments ({allowed})",
        )
    if len(set(value)) != len(value):
        return None, ("X_TREATMENT_LIST", f"lists a treatment twice ({allowed})")
    if "none" in value and len(value) > 1:
        return None, ("X_TREATMENT_LIST", f"lists {{{key}=none}} with other treatments ({allowed})")
    return tuple(value), None


def vegf_pg_ml(values: Mapping[str, Value], key: str = "vegf_value") -> Decimal | None:
    """A VEGF figure in pg/mL, exactly (ng/L = pg/mL; ng/mL × 1000, criteria.md 9.2)."""
    value = values.get(key)
    if value is None or values.get("vegf_unit") is None:
        return None
    exact = Decimal(repr(value))
    return exact * 1000 if values["vegf_unit"] == "ng/mL" else exact


def _vegf_problems(values: Mapping[str, Value], visit: int | None) -> list[Problem]:
    problems = []
    for key in _VEGF_FIGURES:
        if values.get(key) is None:
            continue
        keys = (key, "vegf_unit")
        if values.get("vegf_unit") is None:
            problems.append(
                Problem(
                    keys,
                    f"a VEGF figure needs its {{vegf_unit}} (allowed: "
                    f"{_one_of('vegf_unit', ('pg/mL', 'ng/L', 'ng/mL'))})",
                    "X_UNIT_MISSING",
                    visit,
                )
            )
        elif not t.VEGF_LEAST_PG_ML <= vegf_pg_ml(values, key) <= t.VEGF_MOST_PG_ML:
            problems.append(
                Problem(
                    keys,
                    f"{{{key}}} {values[key]:g} {{vegf_unit={values['vegf_unit']}}} is outside "
                    f"what any assay reports: check the unit (allowed: {t.VEGF_LEAST_PG_ML:g} to "
                    f"{t.VEGF_MOST_PG_ML:,} pg/mL)",
                    "X_RANGE",
                    visit,
                )
            )
    return problems


def _read_object(
    raw: Mapping, fields: Mapping[str, Field], visit: int | None, problems: list[Problem]
) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for key, value in raw.items():
        field = fields.get(key) if isinstance(key, str) else None
        if field is None:
            where = "a baseline finding" if visit is None else "a visit field"
            problems.append(
                Problem((str(key),), f"is not {where} (see followup.md 3)", "X_UNKNOWN_KEY", visit)
            )
            continue
        known, problem = _read(field, value)
        if problem:
            problems.append(Problem((key,), problem[1], problem[0], visit))
        elif known is not None:
            values[key] = known
    return values


def parse_input(raw: object) -> FollowUpInput:
    """Validate `{"baseline", "visits"}`; raises FollowUpError listing every problem."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("baseline"), Mapping):
        raise FollowUpError([Problem(("baseline",), "must be an object", "X_STRUCTURE")])
    raw_visits = raw.get("visits", [])
    raw_visits = [] if raw_visits is None else raw_visits
    if not isinstance(raw_visits, list):
        raise FollowUpError([Problem(("visits",), "must be a list", "X_STRUCTURE")])
    problems: list[Problem] = []
    baseline = _read_object(raw["baseline"], BASELINE_FIELDS, None, problems)
    problems += _vegf_problems(baseline, None)
    problems += baseline_contradictions(baseline)
    visits = []
    for index, entry in enumerate(raw_visits):
        if not isinstance(entry, Mapping):
            problems.append(Problem(("visits",), "a visit must be an object", "X_STRUCTURE", index))
            continue
        values = _read_object(entry, VISIT_FIELDS, index, problems)
        if "visit_date" not in values and not any(
            p.visit == index and p.id == "X_VISIT_DATE" for p in problems
        ):
            problems.append(
                Problem(("visit_date",), "is required (allowed: YYYY-MM-DD)", "X_VISIT_DATE", index)
            )
        problems += _vegf_problems(values, index)
        visits.append(Visit(index, values))
    problems += visit_contradictions(baseline, visits)
    if problems:
        raise FollowUpError(problems)
    return FollowUpInput(baseline, tuple(visits))


def staging_problems(known: Mapping[str, Value]) -> list[Problem]:
    """followup.md 3.3's refusals among findings the criteria engine accepted (`known`, its
    canonical values): the staging rules it does not check itself."""
    return [problem for problem in baseline_contradictions(known) if problem.id != "X_CRITERIA"]


def parse_baseline(raw: object) -> Findings:
    """The assessment's findings as the criteria engine reads them, refused also for the
    staging rules of followup.md 3.3: the one validation of what the assessment's steps hold."""
    findings = parse_findings(raw)
    problems = staging_problems(findings.known())
    if problems:
        raise FindingsError(problems)
    return findings


def _criteria_findings(baseline: Mapping[str, Value]) -> Findings:
    return Findings({key: value for key, value in baseline.items() if key in FINDINGS})


def baseline_contradictions(b: Mapping[str, Value]) -> list[Problem]:
    """criteria.md 9.6's contradictions, then followup.md 3.3's between baseline keys."""
    problems = [
        # The VEGF figures' unit and range are checked above, for baseline and visits alike.
        Problem(p.keys, p.template, "X_CRITERIA")
        for p in contradictions(_criteria_findings(b))
        if "vegf_unit" not in p.keys
    ]

    def refuse(code: str, keys: tuple[str, ...], message: str) -> None:
        problems.append(Problem(keys, message, code))

    if b.get("echo_spap_mmhg") is not None and b.get("echo_done") == "no":
        refuse(
            "X_ECHO_NOT_DONE",
            ("echo_spap_mmhg", "echo_done"),
            "an {echo_spap_mmhg} is given but {echo_done} is {echo_done=no}: correct one of them",
        )
    if b.get("dlco_percent_predicted") is not None and b.get("pft_dlco_done") == "no":
        refuse(
            "X_DLCO_NOT_DONE",
            ("dlco_percent_predicted", "pft_dlco_done"),
            "a {dlco_percent_predicted} is given but {pft_dlco_done} is {pft_dlco_done=no}: "
            "correct one of them",
        )
    spap = b.get("echo_spap_mmhg")
    if b.get("pulmonary_hypertension") == "no" and spap is not None and spap >= 50:
        refuse(
            "X_PH_CONTRADICTS_SPAP",
            ("pulmonary_hypertension", "echo_spap_mmhg"),
            f"{{pulmonary_hypertension}} is {{pulmonary_hypertension=no}} but {{echo_spap_mmhg}} "
            f"{spap:g} mmHg is 50 or more, pulmonary hypertension by the echo definition: "
            "correct one of them",
        )
    marrow = b.get("bm_clonality")
    if b.get("marrow_biopsy_done") == "no" and marrow not in (None, "not_done"):
        refuse(
            "X_MARROW_CONTRADICTION",
            ("marrow_biopsy_done", "bm_clonality"),
            "{marrow_biopsy_done} is {marrow_biopsy_done=no} but a {bm_clonality} result is "
            "recorded: correct one of them",
        )
    if b.get("marrow_biopsy_done") == "yes" and marrow == "not_done":
        refuse(
            "X_MARROW_CONTRADICTION",
            ("marrow_biopsy_done", "bm_clonality"),
            "{marrow_biopsy_done} is {marrow_biopsy_done=yes} but {bm_clonality} is "
            "{bm_clonality=not_done}: record the biopsy's result, or correct the first",
        )
    count, lesion = b.get("bone_lesion_count"), b.get("bone_lesion_type")
    if count == 0 and lesion not in (None, "none"):
        refuse(
            "X_LESION_COUNT_VS_TYPE",
            ("bone_lesion_count", "bone_lesion_type"),
            f"0 lesions counted but a {{bone_lesion_type={lesion}}} lesion is recorded in "
            "{bone_lesion_type}: correct the count or the lesion type",
        )
    if count is not None and count >= 1 and lesion == "none":
        refuse(
            "X_LESION_COUNT_VS_TYPE",
            ("bone_lesion_count", "bone_lesion_type"),
            f"{count:g} lesion(s) counted but {{bone_lesion_type}} is {{bone_lesion_type=none}}: "
            "correct the count or the lesion type",
        )
    imaging = b.get("staging_imaging")
    if count is not None and imaging == "plain_films_or_none":
        refuse(
            "X_LESION_COUNT_WITHOUT_WHOLE_BODY_IMAGING",
            ("bone_lesion_count", "staging_imaging"),
            "a {bone_lesion_count} is given but {staging_imaging} is "
            "{staging_imaging=plain_films_or_none}: the count is that of a whole-body CT or "
            "PET-CT",
        )
    if b.get("fdg_avid_lesions") is not None and imaging in (
        "low_dose_whole_body_ct",
        "plain_films_or_none",
    ):
        refuse(
            "X_FDG_WITHOUT_PET",
            ("fdg_avid_lesions", "staging_imaging"),
            f"{{fdg_avid_lesions}} is recorded but {{staging_imaging}} is "
            f"{{staging_imaging={imaging}}}: FDG avidity needs a PET-CT",
        )
    if imaging in WHOLE_BODY_IMAGING and b.get("bone_imaging") in (
        "skeletal_survey_only",
        "mri",
        "none",
    ):
        refuse(
            "X_STAGING_VS_BONE_IMAGING",
            ("staging_imaging", "bone_imaging"),
            f"{{staging_imaging}} is {{staging_imaging={imaging}}} but {{bone_imaging}} is "
            f"{{bone_imaging={b['bone_imaging']}}}: correct one of them",
        )
    return problems


def visit_contradictions(b: Mapping[str, Value], visits: list[Visit]) -> list[Problem]:
    """followup.md 3.3's rules across visits and against the baseline."""
    problems: list[Problem] = []
    last_date = last_months = None
    bevacizumab_before = False  # an earlier visit lists bevacizumab or says yes
    for visit in visits:
        i = visit.index
        date, months = visit.get("visit_date"), visit.get("months_since_treatment_start")
        if date is not None:
            if last_date is not None and date <= last_date:
                problems.append(
                    Problem(
                        ("visit_date",),
                        f"{date.isoformat()} is not later than the previous visit's "
                        f"{last_date.isoformat()}: visits are entered in date order",
                        "X_VISIT_DATE",
                        i,
                    )
                )
            last_date = date
        if months is not None:
            if last_months is not None and months < last_months:
                problems.append(
                    Problem(
                        ("months_since_treatment_start",),
                        f"{months:g} months is less than an earlier visit's {last_months:g}",
                        "X_MONTHS_ORDER",
                        i,
                    )
                )
            last_months = max(months, last_months or 0)
        lists_bevacizumab = visit.lists("bevacizumab")
        if visit.get("bevacizumab_since_baseline") == "no" and (
            lists_bevacizumab or bevacizumab_before
        ):
            problems.append(
                Problem(
                    ("bevacizumab_since_baseline", "treatment_since_last_visit"),
                    "{bevacizumab_since_baseline} is {bevacizumab_since_baseline=no} but this or "
                    "an earlier visit records bevacizumab: correct one of them",
                    "X_BEVACIZUMAB_SEQUENCE",
                    i,
                )
            )
        bevacizumab_before |= lists_bevacizumab or visit.get("bevacizumab_since_baseline") == "yes"
        age = visit.get("age_at_asct_years")
        if age is not None and not visit.lists("asct"):
            problems.append(
                Problem(
                    ("age_at_asct_years", "treatment_since_last_visit"),
                    "an {age_at_asct_years} is given but {treatment_since_last_visit} does not "
                    "list {treatment_since_last_visit=asct}: correct one of them",
                    "X_AGE_AT_ASCT",
                    i,
                )
            )
        baseline_age = b.get("age_years")
        if age is not None and baseline_age is not None and age < baseline_age:
            problems.append(
                Problem(
                    ("age_at_asct_years",),
                    f"{age:g} years is younger than the baseline {{age_years}} {baseline_age:g}: "
                    "correct one of them",
                    "X_AGE_AT_ASCT",
                    i,
                )
            )
        mspike = visit.get("mspike_g_dl")
        if mspike is not None and mspike > 0 and visit.get("serum_ife") == "negative":
            problems.append(
                Problem(
                    ("mspike_g_dl", "serum_ife"),
                    f"an {{mspike_g_dl}} of {mspike:g} g/dL is recorded but {{serum_ife}} is "
                    "{serum_ife=negative}: re-check the electrophoresis or the immunofixation",
                    "X_MSPIKE_IFE",
                    i,
                )
            )
    return problems


__all__ = ["VISIT", "FollowUpError", "FollowUpInput", "Problem", "Visit", "parse_input"]
