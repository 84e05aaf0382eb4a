"""Random valid findings for property tests."""

from hypothesis import strategies as st

from assessment.criteria import CATALOGUE, FindingsError, parse_findings
from assessment.criteria.findings import Kind

# Plausible ranges, with the edges of every threshold drawn often.
NUMBERS = {
    "age_years": (0, 120, [17, 18, 120]),
    "mspike_g_dl": (0, 15, [2.9, 3, 15]),
    "sflc_kappa_mg_l": (0, 100_000, [100_000]),
    "sflc_lambda_mg_l": (0, 100_000, [100_000]),
    "sflc_ratio": (0.001, 200, [0.001, 0.01, 0.1, 10, 100]),
    "bm_plasma_cell_percent": (0, 100, [9, 10, 60, 100]),
    "platelets_10e9_l": (0, 5000, [149, 150, 450, 451, 5000]),
    "hemoglobin_g_dl": (3, 30, [9.9, 10, 12, 13, 16.0, 16.3, 16.5, 16.6, 30]),
    # In pg/mL or ng/L; the same numbers in ng/mL are 1000 times larger (and 0.0962 is 96.2).
    "vegf_value": (
        0.005,
        100_000,
        [0.0962, 0.199, 0.2, 1.92, 5, 96.2, 96.3, 199, 200, 999, 1000, 1919, 1920, 100_000],
    ),
    "vegf_lab_uln": (0.005, 100_000, [0.0962, 0.2, 5, 60, 96.2, 150, 200, 1000, 1920]),
    "vegf_multiple_of_uln": (0, 20, [3, 4]),
    # followup.md 3.1, the staging keys the criteria ignore.
    "bone_lesion_count": (0, 1000, [0, 1, 3, 4]),
    "onls_arm_baseline": (0, 5, [0, 5]),
    "onls_leg_baseline": (0, 7, [0, 7]),
    "egfr_ml_min_1_73m2": (1, 200, [29.9, 30]),
    "albumin_g_dl": (0.5, 7, [3.2]),
    "echo_spap_mmhg": (10, 200, [49, 50]),
    "dlco_percent_predicted": (1, 200, [60]),
}


def value_of(finding):
    if finding.kind is Kind.TEXT:
        return st.sampled_from(["Quantikine ELISA, lab A", "ECL, lab B"])
    if finding.kind is Kind.NUMBER:
        low, high, edges = NUMBERS[finding.key]
        drawn = st.integers(low, high) if finding.whole else st.floats(low, high, allow_nan=False)
        return st.one_of(st.sampled_from(edges), drawn) if edges else drawn
    return st.sampled_from(finding.choices)


def known_or_not(finding):
    return st.one_of(st.none(), value_of(finding))


def make_valid(raw, changeable=None):
    """Set to unknown the first key of every contradiction until none is left."""
    raw = dict(raw)
    while True:
        try:
            parse_findings(raw)
            return raw
        except FindingsError as error:
            for problem in error.problems:
                keys = [k for k in problem.keys if changeable is None or k in changeable]
                raw.pop(keys[0], None)


@st.composite
def valid_findings(draw):
    """Half-filled cases, and sparse ones with many unknown items."""
    if draw(st.booleans()):
        raw = {finding.key: draw(known_or_not(finding)) for finding in CATALOGUE}
    else:
        known = draw(st.lists(st.sampled_from(CATALOGUE), unique=True, max_size=25))
        raw = {finding.key: draw(value_of(finding)) for finding in known}
    return make_valid({key: value for key, value in raw.items() if value is not None})


@st.composite
def filled_in(draw, findings, keys=None):
    """The same findings with some unknown ones (of `keys`, or any) filled in, still valid."""
    unknown = [f for f in CATALOGUE if f.key not in findings and (keys is None or f.key in keys)]
    chosen = draw(st.lists(st.sampled_from(unknown), unique=True)) if unknown else []
    added = {f.key: draw(value_of(f)) for f in chosen}
    return make_valid({**findings, **added}, changeable=set(added))
