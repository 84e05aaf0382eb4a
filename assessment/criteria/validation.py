"""Reading findings: every problem named with its keys, never a traceback (criteria.md 9.1, 9.6)."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass

from . import thresholds as t
from .findings import FINDINGS, SEX_SPECIFIC_KEYS, UNKNOWN, Kind
from .logic import NO, YES, Tri
from .logic import UNKNOWN as UNKNOWN_STATUS

Value = str | float


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the findings are refused; `keys` are the findings to correct."""

    keys: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"{', '.join(self.keys)}: {self.message}"


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


def vegf_pg_ml(findings: Findings) -> float | None:
    """The VEGF value in pg/mL (= ng/L); ng/mL × 1000 (1.8)."""
    value = findings.number("vegf_value")
    if value is None:
        return None
    if findings.get("vegf_unit") == "ng/mL":
        # Rounded: 1.001 ng/mL is 1001 pg/mL, not 1000.9999999999999.
        return round(value * t.VEGF_NG_ML_TO_PG_ML, 6)
    return value


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
            problem = _number_problem(finding.maximum, value)
            if problem:
                problems.append(Problem((key,), problem))
            else:
                values[key] = float(value)
        elif value in finding.choices:
            values[key] = value
        else:
            allowed = ", ".join((*finding.choices, UNKNOWN))
            problems.append(Problem((key,), f"{value!r} is not allowed (allowed: {allowed})"))
    findings = Findings(values)
    problems += contradictions(findings)
    if problems:
        raise FindingsError(problems)
    return findings


def _not_a_finding(key: str) -> str:
    close = difflib.get_close_matches(key, FINDINGS, n=1)
    hint = f"did you mean {close[0]}?" if close else "see criteria.md section 4"
    return f"is not a finding (allowed: the finding keys; {hint})"


def _number_problem(maximum: float | None, value: object) -> str:
    limit = f"0 to {maximum:g}" if maximum is not None else "a number of 0 or more"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"{value!r} is not a number (allowed: {limit}, or unknown)"
    if value < 0:
        return f"{value:g} is negative (allowed: {limit})"
    if maximum is not None and value > maximum:
        return f"{value:g} is implausible (allowed: {limit})"
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
            "a node histology is recorded but lymphadenopathy is no "
            "(allowed: lymphadenopathy yes, or histology not_done or unknown)",
        )
    platelets = f.number("platelets_10e9_l")
    if platelets is not None:
        limit = t.THROMBOCYTOSIS.value
        if f.is_("thrombocytosis_reported", "yes") and platelets <= limit:
            refuse(
                ("thrombocytosis_reported", "platelets_10e9_l"),
                f"thrombocytosis reported with platelets {platelets:g} ≤ {limit:g} ×10⁹/L "
                f"(allowed: platelets > {limit:g}, or thrombocytosis no or unknown)",
            )
        if f.is_("thrombocytosis_reported", "no") and platelets > limit:
            refuse(
                ("thrombocytosis_reported", "platelets_10e9_l"),
                f"thrombocytosis reported absent with platelets {platelets:g} > {limit:g} ×10⁹/L "
                f"(allowed: platelets ≤ {limit:g}, or thrombocytosis yes or unknown)",
            )
    hemoglobin = f.number("hemoglobin_g_dl")
    if hemoglobin is not None:
        sex = f.get("sex")
        normal, raised = normal_hb_limit(sex), polycythemia_limit(sex)
        hb_keys = ("erythrocytosis_reported", "hemoglobin_g_dl") + (("sex",) if sex else ())
        if f.is_("erythrocytosis_reported", "yes") and hemoglobin <= normal:
            refuse(
                hb_keys,
                f"erythrocytosis reported with Hb {hemoglobin:g} ≤ {normal:g} g/dL "
                f"(allowed: Hb > {normal:g}, or erythrocytosis no or unknown)",
            )
        if f.is_("erythrocytosis_reported", "no") and hemoglobin > raised:
            refuse(
                hb_keys,
                f"erythrocytosis reported absent with Hb {hemoglobin:g} > {raised:g} g/dL "
                f"(allowed: Hb ≤ {raised:g}, or erythrocytosis yes or unknown)",
            )
    if f.is_("spep_mspike", "detected") and f.is_("serum_ife", "negative"):
        refuse(
            ("spep_mspike", "serum_ife"),
            "an M-spike on SPEP with a negative serum immunofixation "
            "(allowed: serum_ife positive, not_done or unknown; or re-check the SPEP)",
        )
    if (
        f.is_("clone_reported_method_unspecified", "yes")
        and f.is_("serum_ife", "negative")
        and f.is_("urine_ife", "negative")
        and f.is_("bm_clonality", "no_clonal_plasma_cells")
    ):
        refuse(
            ("clone_reported_method_unspecified", "serum_ife", "urine_ife", "bm_clonality"),
            "a clone is reported while serum and urine immunofixation and the marrow are all "
            "negative (allowed: record the test that showed the clone)",
        )
    if f.is_("bone_lesion_biopsy", *_CLONAL_BIOPSY) and f.is_("bone_lesion_type", "none"):
        refuse(
            ("bone_lesion_biopsy", "bone_lesion_type"),
            "a bone lesion biopsy is recorded but no bone lesion "
            "(allowed: the lesion's type, or biopsy not_done or unknown)",
        )
    sex = f.get("sex")
    for key, applies_to in SEX_SPECIFIC_KEYS.items():
        if sex is not None and sex != applies_to and f.is_(key, "yes"):
            refuse((key, "sex"), f"recorded for a {sex} patient (allowed: not_applicable)")
    if f.number("vegf_value") is not None and f.get("vegf_unit") is None:
        refuse(
            ("vegf_value", "vegf_unit"),
            "a VEGF value needs its unit (allowed: pg/mL, ng/L, ng/mL)",
        )
    return problems
