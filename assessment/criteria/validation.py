"""Reading findings: every problem named with its keys, never a traceback (criteria.md 9.1, 9.6)."""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import thresholds as t
from .findings import FINDINGS, SEX_SPECIFIC_KEYS, UNKNOWN, Finding, Kind
from .logic import NO, YES, Tri
from .logic import UNKNOWN as UNKNOWN_STATUS

Value = str | float


# A problem's message names findings and their values as placeholders: `{key}` for a finding,
# `{key=value}` for one of its values. The command line prints them as the engine's keys and
# values; a form renders them in its own words (field and choice labels), so both say the same.
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\w+)(?:=([^{}]*))?\}")


def _code(key: str, value: str | None) -> str:
    return key if value is None else value


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the findings are refused; `keys` are the findings to correct."""

    keys: tuple[str, ...]
    template: str

    def render(self, say: Callable[[str, str | None], str] = _code) -> str:
        """The message with each `{key}` and `{key=value}` put by `say(key, value or None)`."""

        def put(match: re.Match) -> str:
            if match.group(1) is None:
                return match.group(0)[0]
            return say(match.group(1), match.group(2))

        return _PLACEHOLDER.sub(put, self.template)

    @property
    def message(self) -> str:
        """The message in the engine's keys and values, as the command line prints it."""
        return self.render()

    def __str__(self) -> str:
        return f"{', '.join(self.keys)}: {self.message}"


def _literal(text: str) -> str:
    """Outside text (what was typed) in a template: its braces are not placeholders."""
    return text.replace("{", "{{").replace("}", "}}")


def _typed(value: object) -> str:
    """What was typed, quoted and cut short: a message never repeats a page of text."""
    shown = repr(value)
    return _literal(shown if len(shown) <= 40 else shown[:37] + "...")


def _one_of(key: str, values: tuple[str, ...]) -> str:
    return ", ".join(f"{{{key}={value}}}" for value in values)


class FindingsError(ValueError):
    """The findings are refused as a whole; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


_AS_TRI = {"yes": YES, "no": NO, "not_applicable": NO}


class Findings:
    """Valid findings: the known values only, in canonical form (numbers as floats)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Value]):
        self._values = dict(values)

    def get(self, key: str) -> Value | None:
        return self._values.get(key)

    def is_(self, key: str, *values: str) -> bool:
        return self._values.get(key) in values

    def number(self, key: str) -> float | None:
        value = self._values.get(key)
        return value if isinstance(value, float) else None

    def tri(self, key: str) -> Tri:
        """A tri-state finding as Kleene value; `not_applicable` counts as no (9.1)."""
        return _AS_TRI.get(self._values.get(key), UNKNOWN_STATUS)

    def known(self) -> dict[str, Value]:
        """The known findings in catalogue order: the canonical form of the input."""
        return {key: self._values[key] for key in FINDINGS if key in self._values}

    def replace(self, changes: Mapping[str, Value]) -> Findings:
        return Findings({**self._values, **changes})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Findings) and self._values == other._values

    def __repr__(self) -> str:
        return f"Findings({self.known()!r})"


def _in_pg_ml(findings: Findings, value: float | None) -> float | None:
    """A VEGF figure in pg/mL (= ng/L); ng/mL × 1000 (1.8). The limit shares the value's unit."""
    if value is None:
        return None
    if findings.get("vegf_unit") == "ng/mL":
        # Rounded: 1.001 ng/mL is 1001 pg/mL, not 1000.9999999999999.
        return round(value * t.VEGF_NG_ML_TO_PG_ML, 6)
    return value


def vegf_pg_ml(findings: Findings) -> float | None:
    """The VEGF value in pg/mL."""
    return _in_pg_ml(findings, findings.number("vegf_value"))


def vegf_uln_pg_ml(findings: Findings) -> float | None:
    """The laboratory's upper limit of VEGF in pg/mL (given in the value's unit, 9.2)."""
    return _in_pg_ml(findings, findings.number("vegf_lab_uln"))


def polycythemia_limit(sex: Value | None) -> float:
    """The Hb above which erythrocytosis is present; with sex unknown, the higher one (9.2)."""
    if sex == "female":
        return t.POLYCYTHEMIA_FEMALE.value
    return t.POLYCYTHEMIA_MALE.value


def normal_hb_limit(sex: Value | None) -> float:
    """The Hb at or below which erythrocytosis is absent; with sex unknown, the lower one (9.2)."""
    if sex == "male":
        return t.POLYCYTHEMIA_MALE.value
    return t.POLYCYTHEMIA_FEMALE.value


def parse_findings(raw: object) -> Findings:
    """Validate a findings object; a missing key, null or "unknown" is unknown."""
    if not isinstance(raw, Mapping):
        raise FindingsError([Problem(("findings",), "must be a JSON object of finding keys")])
    problems: list[Problem] = []
    values: dict[str, Value] = {}
    for key, value in raw.items():
        finding = FINDINGS.get(key) if isinstance(key, str) else None
        if finding is None:
            problems.append(Problem((str(key),), _not_a_finding(str(key))))
            continue
        if value is None or value == UNKNOWN:
            continue
        if finding.kind is Kind.NUMBER:
            problem = _number_problem(finding, value)
            if problem:
                problems.append(Problem((key,), problem))
            else:
                values[key] = float(value)
        elif finding.kind is Kind.TEXT:
            if isinstance(value, str) and value.strip() and len(value) <= finding.longest:
                values[key] = value
            else:
                problems.append(Problem((key,), _text_problem(finding, value)))
        elif value in finding.choices:
            values[key] = value
        else:
            allowed = _one_of(key, (*finding.choices, UNKNOWN))
            problems.append(Problem((key,), f"{_typed(value)} is not allowed (allowed: {allowed})"))
    findings = Findings(values)
    problems += contradictions(findings)
    if problems:
        raise FindingsError(problems)
    return findings


def _not_a_finding(key: str) -> str:
    close = difflib.get_close_matches(key, FINDINGS, n=1)
    hint = f"did you mean {close[0]}?" if close else "see criteria.md section 4"
    return f"is not a finding (allowed: the finding keys; {hint})"


def _text_problem(finding: Finding, value: object) -> str:
    allowed = f"(allowed: a text of up to {finding.longest} characters, or left empty)"
    if isinstance(value, str) and value.strip():
        return f"is {len(value)} characters long {allowed}"
    return f"{_typed(value)} is not a text {allowed}"


def _number_problem(finding: Finding, value: object) -> str:
    least = "above 0" if finding.above_zero else f"{finding.minimum:g}"
    if finding.maximum is not None:
        limit = f"{least} to {finding.maximum:g}"
    else:
        limit = f"a number {'above 0' if finding.above_zero else 'of 0 or more'}"
    allowed = f"(allowed: {limit}, or {{{finding.key}=unknown}})"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{_typed(value)} is not a number {allowed}"
    if isinstance(value, int) and abs(value) > sys.float_info.max:
        # JSON integers have no bound; past a float's range Python cannot even compare them.
        return f"{_typed(value)} is too large to be a number here {allowed}"
    if not math.isfinite(value):
        return f"{_typed(value)} is not a number {allowed}"
    if value < 0:
        return f"{value:g} is negative {allowed}"
    if (finding.above_zero and value == 0) or value < finding.minimum:
        return f"{value:g} is not a possible {{{finding.key}}} {allowed}"
    if finding.whole and value != int(value):
        return f"{value:g} is not a whole number {allowed}"
    if finding.maximum is not None and value > finding.maximum:
        slip = f": {finding.slip}" if finding.slip else ""
        return f"{value:g} is implausible{slip} {allowed}"
    return ""


_NODE_HISTOLOGY_GIVEN = tuple(
    choice for choice in FINDINGS["lymph_node_histology"].choices if choice != "not_done"
)

_CLONAL_BIOPSY = (
    "clonal_plasma_cells_lambda",
    "clonal_plasma_cells_kappa",
    "clonal_plasma_cells_unspecified",
)


def contradictions(f: Findings) -> list[Problem]:
    """The contradictions of criteria.md 9.6, each naming the keys that disagree."""
    problems: list[Problem] = []

    def refuse(keys: tuple[str, ...], message: str) -> None:
        problems.append(Problem(keys, message))

    if f.is_("lymph_node_histology", *_NODE_HISTOLOGY_GIVEN) and f.is_("lymphadenopathy", "no"):
        refuse(
            ("lymph_node_histology", "lymphadenopathy"),
            "{lymph_node_histology} is recorded but {lymphadenopathy} is {lymphadenopathy=no} "
            "(allowed: {lymphadenopathy} {lymphadenopathy=yes}, or {lymph_node_histology} "
            "{lymph_node_histology=not_done} or {lymph_node_histology=unknown})",
        )
    platelets = f.number("platelets_10e9_l")
    if platelets is not None:
        limit = t.THROMBOCYTOSIS.value
        if f.is_("thrombocytosis_reported", "yes") and platelets <= limit:
            refuse(
                ("thrombocytosis_reported", "platelets_10e9_l"),
                f"{{thrombocytosis_reported}} is {{thrombocytosis_reported=yes}} with "
                f"{{platelets_10e9_l}} {platelets:g} ≤ {limit:g} ×10⁹/L (allowed: "
                f"{{platelets_10e9_l}} above {limit:g}, or {{thrombocytosis_reported}} "
                "{thrombocytosis_reported=no} or {thrombocytosis_reported=unknown})",
            )
        if f.is_("thrombocytosis_reported", "no") and platelets > limit:
            refuse(
                ("thrombocytosis_reported", "platelets_10e9_l"),
                f"{{thrombocytosis_reported}} is {{thrombocytosis_reported=no}} with "
                f"{{platelets_10e9_l}} {platelets:g} > {limit:g} ×10⁹/L (allowed: "
                f"{{platelets_10e9_l}} {limit:g} or less, or {{thrombocytosis_reported}} "
                "{thrombocytosis_reported=yes} or {thrombocytosis_reported=unknown})",
            )
    hemoglobin = f.number("hemoglobin_g_dl")
    if hemoglobin is not None:
        sex = f.get("sex")
        normal, raised = normal_hb_limit(sex), polycythemia_limit(sex)
        hb_keys = ("erythrocytosis_reported", "hemoglobin_g_dl") + (("sex",) if sex else ())
        if f.is_("erythrocytosis_reported", "yes") and hemoglobin <= normal:
            refuse(
                hb_keys,
                f"{{erythrocytosis_reported}} is {{erythrocytosis_reported=yes}} with "
                f"{{hemoglobin_g_dl}} {hemoglobin:g} ≤ {normal:g} g/dL (allowed: "
                f"{{hemoglobin_g_dl}} above {normal:g}, or {{erythrocytosis_reported}} "
                "{erythrocytosis_reported=no} or {erythrocytosis_reported=unknown})",
            )
        if f.is_("erythrocytosis_reported", "no") and hemoglobin > raised:
            refuse(
                hb_keys,
                f"{{erythrocytosis_reported}} is {{erythrocytosis_reported=no}} with "
                f"{{hemoglobin_g_dl}} {hemoglobin:g} > {raised:g} g/dL (allowed: "
                f"{{hemoglobin_g_dl}} {raised:g} or less, or {{erythrocytosis_reported}} "
                "{erythrocytosis_reported=yes} or {erythrocytosis_reported=unknown})",
            )
    if f.is_("spep_mspike", "detected") and f.is_("serum_ife", "negative"):
        refuse(
            ("spep_mspike", "serum_ife"),
            "{spep_mspike} is {spep_mspike=detected} but {serum_ife} is {serum_ife=negative} "
            "(allowed: {serum_ife} {serum_ife=positive}, {serum_ife=not_done} or "
            "{serum_ife=unknown}; or re-check the electrophoresis)",
        )
    if (
        f.is_("clone_reported_method_unspecified", "yes")
        and f.is_("serum_ife", "negative")
        and f.is_("urine_ife", "negative")
        and f.is_("bm_clonality", "no_clonal_plasma_cells")
    ):
        refuse(
            ("clone_reported_method_unspecified", "serum_ife", "urine_ife", "bm_clonality"),
            "a clone is reported ({clone_reported_method_unspecified}) while {serum_ife}, "
            "{urine_ife} and {bm_clonality} are all negative (allowed: record the test that "
            "showed the clone)",
        )
    if f.is_("bone_lesion_biopsy", *_CLONAL_BIOPSY) and f.is_("bone_lesion_type", "none"):
        refuse(
            ("bone_lesion_biopsy", "bone_lesion_type"),
            "{bone_lesion_biopsy} shows clonal cells but {bone_lesion_type} is "
            "{bone_lesion_type=none} (allowed: the lesion's type, or {bone_lesion_biopsy} "
            "{bone_lesion_biopsy=not_done} or {bone_lesion_biopsy=unknown})",
        )
    sex = f.get("sex")
    for key, applies_to in SEX_SPECIFIC_KEYS.items():
        if sex is not None and sex != applies_to and f.is_(key, "yes"):
            refuse(
                (key, "sex"),
                f"{{{key}}} is {{{key}=yes}} for a patient whose {{sex}} is {{sex={sex}}} "
                f"(allowed: {{{key}=not_applicable}})",
            )
    problems += _vegf_problems(f)
    return problems


def _vegf_problems(f: Findings) -> list[Problem]:
    """A VEGF figure needs its unit, and in pg/mL lies within what any assay reports (9.6)."""
    problems = []
    unit = f.get("vegf_unit")
    for key in ("vegf_value", "vegf_lab_uln"):
        value = f.number(key)
        if value is None:
            continue
        if unit is None:
            what = "a VEGF value" if key == "vegf_value" else "a laboratory limit of VEGF"
            problems.append(
                Problem(
                    (key, "vegf_unit"),
                    f"{what} needs its {{vegf_unit}} (allowed: "
                    f"{_one_of('vegf_unit', FINDINGS['vegf_unit'].choices)})",
                )
            )
            continue
        in_pg_ml = _in_pg_ml(f, value)
        limits = (
            f"allowed: {t.VEGF_LEAST_PG_ML:g} to {t.VEGF_MOST_PG_ML:,} pg/mL, or "
            f"{t.VEGF_LEAST_PG_ML / t.VEGF_NG_ML_TO_PG_ML:g} to "
            f"{t.VEGF_MOST_PG_ML / t.VEGF_NG_ML_TO_PG_ML:g} ng/mL"
        )
        shown = f"{{{key}}} {value:g} {{vegf_unit={unit}}}"
        if in_pg_ml < t.VEGF_LEAST_PG_ML:
            slip = " Was it ng/mL?" if unit != "ng/mL" else ""
            problems.append(
                Problem(
                    (key, "vegf_unit"),
                    f"{shown} is below every assay's detection limit.{slip} An undetectable "
                    f"VEGF is entered as the laboratory's detection limit ({limits})",
                )
            )
        elif in_pg_ml > t.VEGF_MOST_PG_ML:
            slip = " Was it pg/mL?" if unit == "ng/mL" else " Check the unit."
            problems.append(
                Problem(
                    (key, "vegf_unit"),
                    f"{shown} is above any VEGF an assay reports.{slip} ({limits})",
                )
            )
    return problems
