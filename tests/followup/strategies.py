"""Random valid follow-up inputs, and the same inputs with unknowns filled in."""

import datetime

from hypothesis import strategies as st

from assessment.criteria import FINDINGS
from followup.engine import STAGING, VISIT, FollowUpError, Kind, parse_input

BASELINE_CRITERIA_KEYS = (
    "age_years",
    "pulmonary_hypertension",
    "pleural_effusion",
    "bm_clonality",
    "bone_imaging",
    "bone_lesion_type",
    "heavy_chain",
    "light_chain",
    "serum_ife",
    "urine_ife",
    "spep_mspike",
    "sflc_ratio",
    "sflc_kappa_mg_l",
    "sflc_lambda_mg_l",
    "mspike_g_dl",
    "vegf_value",
    "vegf_unit",
    "vegf_sample",
    "vegf_multiple_of_uln",
    "vegf_qualitative",
)
NUMBERS = {
    "age_years": [18, 45, 50, 51, 70],
    "sflc_ratio": [0.5, 1.1, 8],
    "sflc_kappa_mg_l": [10, 40],
    "sflc_lambda_mg_l": [20, 90],
    "mspike_g_dl": [0, 0.2, 1.5],
    "vegf_value": [90, 450, 850, 1000, 4800],
    "vegf_multiple_of_uln": [2, 8],
    "bone_lesion_count": [0, 1, 3, 4, 12],
    "onls_arm_baseline": [0, 2, 5],
    "onls_leg_baseline": [0, 4, 7],
    "egfr_ml_min_1_73m2": [24, 30, 90],
    "albumin_g_dl": [2.9, 3.6],
    "echo_spap_mmhg": [30, 49, 50, 58],
    "dlco_percent_predicted": [60, 90],
    "months_since_treatment_start": [0, 3, 5.9, 6, 12, 24],
    "age_at_asct_years": [48, 50, 51, 66],
    "vegf_lab_uln": [100, 500, 1000],
    "onls_arm": [0, 1, 5],
    "onls_leg": [0, 3, 7],
}
TEXTS = {"vegf_assay": ["Quantikine ELISA, lab A", "quantikine  elisa, LAB a", "ECL, lab B"]}


def _spec(key, fields):
    if key in fields:
        return fields[key]
    finding = FINDINGS[key]
    return (Kind.NUMBER, ()) if finding.kind == "number" else (Kind.CHOICE, finding.choices)


BASELINE_SPECS = {
    **{key: _spec(key, {}) for key in BASELINE_CRITERIA_KEYS},
    **{field.key: (field.kind, field.choices) for field in STAGING},
}
VISIT_SPECS = {field.key: (field.kind, field.choices) for field in VISIT if field.key != "note"}


def value_of(key, spec):
    kind, choices = spec
    if kind in (Kind.NUMBER, Kind.INTEGER):
        return st.sampled_from(NUMBERS[key])
    if kind is Kind.TEXT:
        return st.sampled_from(TEXTS[key])
    if kind is Kind.TREATMENTS:
        return st.one_of(
            st.just(["none"]),
            st.lists(st.sampled_from(choices[1:]), min_size=1, max_size=3, unique=True),
        )
    return st.sampled_from(choices)


def make_valid(raw, changeable=None):
    """Drop a named key of every problem (of `changeable`, if given) until none is left."""
    raw = {"baseline": dict(raw["baseline"]), "visits": [dict(v) for v in raw["visits"]]}
    while True:
        try:
            parse_input(raw)
            return raw
        except FollowUpError as error:
            for problem in error.problems:
                where = raw["baseline"] if problem.visit is None else raw["visits"][problem.visit]
                place = ("baseline",) if problem.visit is None else ("visit", problem.visit)
                keys = [
                    k
                    for k in problem.keys
                    if k != "visit_date" and (changeable is None or (place, k) in changeable)
                ]
                if keys:
                    where.pop(keys[0], None)
                    continue
                # The contradiction is with a value that was there before: undo every fill.
                for fill_place, key in changeable:
                    target = (
                        raw["baseline"]
                        if fill_place == ("baseline",)
                        else (raw["visits"][fill_place[1]])
                    )
                    target.pop(key, None)


@st.composite
def follow_up_inputs(draw):
    # Each key known half the time: enough unknowns left to fill in.
    baseline = {
        k: draw(value_of(k, spec)) for k, spec in BASELINE_SPECS.items() if draw(st.booleans())
    }
    visits, day = [], datetime.date(2026, 1, 1)
    for _ in range(draw(st.integers(0, 3))):
        day += datetime.timedelta(days=draw(st.integers(1, 200)))
        visit = {
            k: draw(value_of(k, spec))
            for k, spec in VISIT_SPECS.items()
            if k != "visit_date" and draw(st.booleans())
        }
        visits.append({**visit, "visit_date": day.isoformat()})
    return make_valid({"baseline": baseline, "visits": visits})


# Not covered by monotonicity (followup.md 1.2): the assay annotation, and a visit's VEGF value
# (an absent measurement, not an unknown finding); visit dates are required, never unknown.
EXCEPTIONS = {"vegf_assay", "visit_date"}


def domain(key, spec):
    """Every value a fill-in tries for `key`."""
    kind, choices = spec
    if kind in (Kind.NUMBER, Kind.INTEGER):
        return NUMBERS[key]
    if kind is Kind.TREATMENTS:
        return [["none"], ["asct"], ["bevacizumab"], ["radiation", "lenalidomide"]]
    return list(choices)


def single_fills(raw):
    """The input with one unknown input filled in, for every unknown and value that stays
    valid: monotone single steps make any sequence of fill-ins monotone."""
    places = [(None, k, BASELINE_SPECS[k]) for k in BASELINE_SPECS if k not in raw["baseline"]]
    places += [
        (i, k, VISIT_SPECS[k])
        for i, visit in enumerate(raw["visits"])
        for k in VISIT_SPECS
        if k not in visit and k != "vegf_value"
    ]
    for visit, key, spec in places:
        if key in EXCEPTIONS:
            continue
        for value in domain(key, spec):
            filled = {"baseline": dict(raw["baseline"]), "visits": [dict(v) for v in raw["visits"]]}
            (filled["baseline"] if visit is None else filled["visits"][visit])[key] = value
            try:
                parse_input(filled)
            except FollowUpError:
                continue
            yield f"{key}={value} on {'baseline' if visit is None else f'visit {visit}'}", filled
