"""A valid follow-up input in, the outputs of followup.md sections 4 to 9 out.

Arithmetic, comparability and sourced informational flags only: nothing here names a response
category, a treatment choice or a risk group (followup.md 10).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from .validation import FollowUpInput, Value, Visit, parse_input, vegf_pg_ml
from .version import SPEC_VERSION

YES, NO, UNKNOWN = "yes", "no", "unknown"
_EXACT = Context(prec=50)
_TENTH = Decimal("0.1")


def _tri(condition: bool | None) -> str:
    return UNKNOWN if condition is None else (YES if condition else NO)


def _rounded(value: Decimal) -> float:
    """One decimal place, halves away from zero (followup.md 7.3: −12.25 → −12.3)."""
    return float(value.quantize(_TENTH, rounding=ROUND_HALF_UP))


def _percent_change(value: Decimal, reference: Decimal) -> float:
    return _rounded(_EXACT.divide(_EXACT.multiply(value - reference, 100), reference))


# 4. Prognostic factor flags


def prognostic_factors(b: Mapping[str, Value]) -> dict[str, str]:
    age, egfr, spap = b.get("age_years"), b.get("egfr_ml_min_1_73m2"), b.get("echo_spap_mmhg")
    ph = b.get("pulmonary_hypertension")
    if (spap is not None and spap >= 50) or ph == "yes":
        pulmonary = YES
    elif spap is not None and spap < 50 and ph == "no":
        pulmonary = NO
    else:
        pulmonary = UNKNOWN
    effusion = b.get("pleural_effusion")
    return {
        "age_over_50": _tri(None if age is None else age > 50),
        "pulmonary_hypertension": pulmonary,
        "pleural_effusion": effusion if effusion in (YES, NO) else UNKNOWN,
        "egfr_below_30": _tri(None if egfr is None else egfr < 30),
        "low_albumin": "not_computed",
    }


# 5. Disease extent


def marrow_state(b: Mapping[str, Value]) -> str:
    clonality, done = b.get("bm_clonality"), b.get("marrow_biopsy_done")
    if clonality in ("lambda_restricted", "kappa_restricted"):
        return "clonal"
    if clonality == "no_clonal_plasma_cells":
        return "negative"
    if clonality == "not_done" or done == NO:
        return "not_done"
    if done == YES:
        return "result_missing"
    return "not_recorded"


def whole_body_imaging(b: Mapping[str, Value]) -> str:
    imaging = b.get("staging_imaging")
    if imaging is None:
        return UNKNOWN
    return NO if imaging == "plain_films_or_none" else YES


_MARROW_REASONS = {
    "not_done": "marrow_not_done",
    "result_missing": "marrow_result_not_recorded",
    "not_recorded": "marrow_not_recorded",
}


def disease_extent(b: Mapping[str, Value]) -> dict[str, Any]:
    marrow, imaging, count = marrow_state(b), whole_body_imaging(b), b.get("bone_lesion_count")
    disseminated = [
        reason
        for reason, holds in (
            ("clonal_plasma_cells_in_marrow", marrow == "clonal"),
            ("more_than_3_lesions", count is not None and count > 3),
        )
        if holds
    ]
    if disseminated:
        return {"value": "disseminated", "reasons": disseminated}
    if marrow == "negative" and imaging == YES and count is not None and 1 <= count <= 3:
        return {"value": "localized", "reasons": []}
    reasons = [_MARROW_REASONS[marrow]] if marrow in _MARROW_REASONS else []
    if imaging == NO:
        reasons.append("no_whole_body_imaging")
    elif imaging == UNKNOWN:
        reasons.append("whole_body_imaging_not_recorded")
    if count is None:
        reasons.append("lesion_count_not_recorded")
    elif count == 0:
        reasons.append("no_bone_lesion_counted")
    return {"value": "undetermined", "reasons": reasons}


# 6. Baseline work-up checklist

WORKUP_ITEMS = (
    "marrow_biopsy",
    "whole_body_imaging",
    "echocardiogram",
    "lung_function_dlco",
    "egfr",
    "urine_protein_24h",
    "serum_albumin",
    "vegf",
    "serum_ife",
    "urine_ife",
    "serum_flc",
)


def _workup_reason(item: str, b: Mapping[str, Value]) -> str | None:
    """None when the item is done, else why it is missing."""
    has = b.get
    if item == "marrow_biopsy":
        if has("marrow_biopsy_done") == YES or has("bm_clonality") not in (None, "not_done"):
            return None
        not_done = has("marrow_biopsy_done") == NO or has("bm_clonality") == "not_done"
    elif item == "whole_body_imaging":
        imaging = whole_body_imaging(b)
        if imaging == YES:
            return None
        not_done = imaging == NO
    elif item in ("echocardiogram", "lung_function_dlco"):
        done, value = (
            ("echo_done", "echo_spap_mmhg")
            if item == "echocardiogram"
            else ("pft_dlco_done", "dlco_percent_predicted")
        )
        if has(done) == YES or has(value) is not None:
            return None
        not_done = has(done) == NO
    elif item == "urine_protein_24h":
        if has("urine_protein_24h_measured") == YES:
            return None
        not_done = has("urine_protein_24h_measured") == NO
    elif item in ("serum_ife", "urine_ife"):
        if has(item) in ("positive", "negative"):
            return None
        not_done = has(item) == "not_done"
    elif item == "vegf":
        if has("vegf_value") is not None:
            return None
        if has("vegf_multiple_of_uln") is not None or has("vegf_qualitative") is not None:
            return "no_numeric_value"
        not_done = False
    else:
        key = {"egfr": "egfr_ml_min_1_73m2", "serum_albumin": "albumin_g_dl"}.get(item)
        if key is not None:
            given = has(key) is not None
        else:
            given = has("sflc_ratio") is not None or (
                has("sflc_kappa_mg_l") is not None and has("sflc_lambda_mg_l") is not None
            )
        if given:
            return None
        not_done = False
    return "not_done" if not_done else "not_recorded"


def baseline_workup(b: Mapping[str, Value]) -> list[dict[str, Any]]:
    checklist = []
    for item in WORKUP_ITEMS:
        reason = _workup_reason(item, b)
        checklist.append(
            {"item": item, "status": "done" if reason is None else "missing", "reason": reason}
        )
    return checklist


# 7. Visits


def bevacizumab_effective(visits: tuple[Visit, ...]) -> list[str]:
    """7.1 for each visit: yes from the first mention on; no when this or a later visit says
    no (a later "none since baseline" covers the earlier period); else unknown."""
    effective, mentioned = [], False
    for visit in visits:
        mentioned |= visit.lists("bevacizumab") or visit.get("bevacizumab_since_baseline") == YES
        effective.append(YES if mentioned else UNKNOWN)
    denied = False
    for index in reversed(range(len(visits))):
        denied |= visits[index].get("bevacizumab_since_baseline") == NO
        if denied and effective[index] == UNKNOWN:
            effective[index] = NO
    return effective


def _assay(values: Mapping[str, Value]) -> str | None:
    assay = values.get("vegf_assay")
    return " ".join(assay.split()).casefold() if assay is not None else None


def comparability(
    earlier: Mapping[str, Value], later: Mapping[str, Value], bevacizumab: str, *, baseline: bool
) -> dict[str, Any]:
    """7.2: may `later`'s VEGF be set against `earlier`'s? Each reason that holds, in order."""
    samples = (earlier.get("vegf_sample"), later.get("vegf_sample"))
    assays = (_assay(earlier), _assay(later))
    checks = (
        ("baseline_value_not_recorded", baseline and earlier.get("vegf_value") is None, UNKNOWN),
        ("sample_differs", None not in samples and samples[0] != samples[1], NO),
        ("assay_differs", None not in assays and assays[0] != assays[1], NO),
        ("bevacizumab", bevacizumab == YES, NO),
        ("sample_not_recorded", None in samples, UNKNOWN),
        ("bevacizumab_not_recorded", bevacizumab == UNKNOWN, UNKNOWN),
        ("assay_not_recorded", None in assays, None),
    )
    reasons = [code for code, holds, _ in checks if holds]
    effects = {effect for _, holds, effect in checks if holds}
    comparable = NO if NO in effects else UNKNOWN if UNKNOWN in effects else YES
    return {"comparable": comparable, "reasons": reasons}


def _nadir(value: Decimal, earlier: list[tuple[str, Decimal, str]]) -> dict[str, Any]:
    """7.3 over the earlier values (from, pg/mL, comparability), baseline first."""
    comparable = [(source, v) for source, v, status in earlier if status == YES]
    questionable = [v for _, v, status in earlier if status == UNKNOWN]
    undetermined = {"nadir_pg_ml": None, "nadir_from": None, "percent_change": None}
    if not comparable:
        return {"status": UNKNOWN if questionable else "none", **undetermined}
    lowest = min(v for _, v in comparable)
    if any(v < lowest for v in questionable):
        return {"status": UNKNOWN, **undetermined}
    return {
        "status": "determined",
        "nadir_pg_ml": _rounded(lowest),
        "nadir_from": next(source for source, v in comparable if v == lowest),
        "percent_change": _percent_change(value, lowest),
    }


def _vegf(
    b: Mapping[str, Value], visits: tuple[Visit, ...], index: int, bevacizumab: str
) -> dict[str, Any] | None:
    visit = visits[index]
    value = vegf_pg_ml(visit.values)
    if value is None:
        return None
    vs_baseline = comparability(b, visit.values, bevacizumab, baseline=True)
    baseline_value = vegf_pg_ml(b)
    vs_baseline["percent_change"] = (
        _percent_change(value, baseline_value) if vs_baseline["comparable"] == YES else None
    )
    earlier = []
    if baseline_value is not None:
        earlier.append(("baseline", baseline_value, vs_baseline["comparable"]))
    vs_earlier = []
    for before in visits[:index]:
        before_value = vegf_pg_ml(before.values)
        if before_value is None:
            continue
        pair = comparability(before.values, visit.values, bevacizumab, baseline=False)
        vs_earlier.append({"visit_date": before.date.isoformat(), **pair})
        earlier.append((before.date.isoformat(), before_value, pair["comparable"]))
    limit = vegf_pg_ml(visit.values, "vegf_lab_uln")
    range_reasons = [
        code
        for code, holds in (
            ("bevacizumab", bevacizumab == YES),
            ("bevacizumab_not_recorded", bevacizumab == UNKNOWN),
            ("lab_limit_not_recorded", limit is None),
        )
        if holds
    ]
    within = UNKNOWN if range_reasons else _tri(value <= limit)
    return {
        "value_pg_ml": _rounded(value),
        "vs_baseline": vs_baseline,
        "vs_earlier_visits": vs_earlier,
        "vs_nadir": _nadir(value, earlier),
        "within_lab_range": {"value": within, "reasons": range_reasons},
    }


def _sum(values: Mapping[str, Value], arm: str, leg: str) -> int | None:
    if values.get(arm) is None or values.get(leg) is None:
        return None
    return values[arm] + values[leg]


def onls(b: Mapping[str, Value], visit: Visit) -> dict[str, Any]:
    total = _sum(visit.values, "onls_arm", "onls_leg")
    baseline_total = _sum(b, "onls_arm_baseline", "onls_leg_baseline")
    change = None if total is None or baseline_total is None else total - baseline_total
    if change is None:
        direction = UNKNOWN
    else:
        direction = "improved" if change < 0 else "worse" if change > 0 else "unchanged"
    return {
        "total": total,
        "baseline_total": baseline_total,
        "change": change,
        "direction": direction,
    }


def ife_status(visit: Visit) -> str:
    tests = (visit.get("serum_ife"), visit.get("urine_ife"))
    if "positive" in tests:
        return "either_positive"
    return "both_negative" if tests == ("negative", "negative") else "incomplete"


def _before_6_months(visit: Visit) -> str:
    months = visit.get("months_since_treatment_start")
    return _tri(None if months is None else months < 6)


def evaluate_visits(b: Mapping[str, Value], visits: tuple[Visit, ...]) -> list[dict[str, Any]]:
    outputs = []
    for index, (visit, bevacizumab) in enumerate(
        zip(visits, bevacizumab_effective(visits), strict=True)
    ):
        vegf = _vegf(b, visits, index, bevacizumab)
        before = _before_6_months(visit)
        course = onls(b, visit)
        notes = [
            note
            for note, holds in (
                ("N_VEGF_EARLY", vegf is not None and before == YES),
                ("N_VEGF_BEVACIZUMAB", vegf is not None and bevacizumab == YES),
                ("N_ONLS_SLOW", course["total"] is not None),
            )
            if holds
        ]
        outputs.append(
            {
                "visit_date": visit.date.isoformat(),
                "months_since_treatment_start": visit.get("months_since_treatment_start"),
                "before_6_months": before,
                "bevacizumab_since_baseline": bevacizumab,
                "vegf": vegf,
                "onls": course,
                "ife_status": ife_status(visit),
                "notes": notes,
            }
        )
    return outputs


# 8. Post-transplant progression factors


def post_asct_flags(b: Mapping[str, Value], visits: tuple[Visit, ...]) -> dict[str, str] | None:
    transplants = [visit for visit in visits if visit.lists("asct")]
    if not transplants:
        return None
    heavy, light = b.get("heavy_chain"), b.get("light_chain")
    if heavy == "IgG" and light == "lambda":
        igg_lambda = YES
    elif heavy in ("IgA", "IgM", "IgD", "light_chain_only") or light == "kappa":
        igg_lambda = NO
    else:
        igg_lambda = UNKNOWN
    fdg = b.get("fdg_avid_lesions")
    age, baseline_age = transplants[0].get("age_at_asct_years"), b.get("age_years")
    if age is not None:
        young = _tri(age <= 50)
    else:
        # The transplant follows the baseline: older than 50 then, older than 50 at it.
        young = NO if baseline_age is not None and baseline_age > 50 else UNKNOWN
    return {
        "igg_lambda": igg_lambda,
        "fdg_avid_lesions_at_baseline": fdg if fdg in (YES, NO) else UNKNOWN,
        "age_50_or_younger_at_asct": young,
    }


# The whole evaluation


def evaluate_input(parsed: FollowUpInput, case_id: Any = None) -> dict[str, Any]:
    """The output object of followup.md 11."""
    b, visits = parsed.baseline, parsed.visits
    after_transplant = post_asct_flags(b, visits)
    notes = ["N_NO_RISK_SCORE", "N_ALBUMIN_NO_CUTOFF", "N_EXTENT_INFORMATIONAL"]
    notes += ["N_M_PROTEIN_NOT_COMPUTED"] * bool(visits)
    notes += ["N_CRH_NOT_COMPUTED"] * (after_transplant is not None)
    return {
        "id": case_id,
        "spec_version": SPEC_VERSION,
        "valid": True,
        "prognostic_factors": prognostic_factors(b),
        "albumin_g_dl": b.get("albumin_g_dl"),
        "disease_extent": disease_extent(b),
        "baseline_workup": baseline_workup(b),
        "post_asct_flags": after_transplant,
        "visits": evaluate_visits(b, visits),
        "notes": notes,
    }


def evaluate(raw: object, case_id: Any = None) -> dict[str, Any]:
    """Validate `{"baseline", "visits"}` and evaluate it; raises FollowUpError."""
    return evaluate_input(parse_input(raw), case_id)
