"""Every refusal of followup.md 3.3, each with its ID and the keys to correct; nothing is
computed from a refused input."""

import pytest

from followup.engine import FollowUpError, evaluate, parse_input

VISIT = {"visit_date": "2026-03-01"}


def refused(raw):
    with pytest.raises(FollowUpError) as error:
        evaluate(raw)
    return {(problem.id, problem.keys, problem.visit) for problem in error.value.problems}


CASES = {
    "X_STRUCTURE": ({"visits": []}, ("baseline",), None),
    "X_UNKNOWN_KEY": ({"baseline": {"lesion_count": 2}}, ("lesion_count",), None),
    "X_ENUM": ({"baseline": {"staging_imaging": "mri"}}, ("staging_imaging",), None),
    "X_NUMBER": ({"baseline": {"bone_lesion_count": "two"}}, ("bone_lesion_count",), None),
    "X_RANGE": ({"baseline": {"albumin_g_dl": 35}}, ("albumin_g_dl",), None),
    "X_UNIT_MISSING": (
        {"baseline": {}, "visits": [{**VISIT, "vegf_value": 850}]},
        ("vegf_value", "vegf_unit"),
        0,
    ),
    "X_VISIT_DATE": (
        {"baseline": {}, "visits": [{"visit_date": "2026-02-30"}]},
        ("visit_date",),
        0,
    ),
    "X_MONTHS_ORDER": (
        {
            "baseline": {},
            "visits": [
                {**VISIT, "months_since_treatment_start": 6},
                {"visit_date": "2026-06-01", "months_since_treatment_start": 3},
            ],
        },
        ("months_since_treatment_start",),
        1,
    ),
    "X_TREATMENT_LIST": (
        {"baseline": {}, "visits": [{**VISIT, "treatment_since_last_visit": ["none", "asct"]}]},
        ("treatment_since_last_visit",),
        0,
    ),
    "X_ECHO_NOT_DONE": (
        {"baseline": {"echo_done": "no", "echo_spap_mmhg": 40}},
        ("echo_spap_mmhg", "echo_done"),
        None,
    ),
    "X_DLCO_NOT_DONE": (
        {"baseline": {"pft_dlco_done": "no", "dlco_percent_predicted": 60}},
        ("dlco_percent_predicted", "pft_dlco_done"),
        None,
    ),
    "X_PH_CONTRADICTS_SPAP": (
        {"baseline": {"pulmonary_hypertension": "no", "echo_spap_mmhg": 50}},
        ("pulmonary_hypertension", "echo_spap_mmhg"),
        None,
    ),
    "X_MARROW_CONTRADICTION": (
        {"baseline": {"marrow_biopsy_done": "yes", "bm_clonality": "not_done"}},
        ("marrow_biopsy_done", "bm_clonality"),
        None,
    ),
    "X_LESION_COUNT_VS_TYPE": (
        {"baseline": {"bone_lesion_count": 2, "bone_lesion_type": "none"}},
        ("bone_lesion_count", "bone_lesion_type"),
        None,
    ),
    "X_LESION_COUNT_WITHOUT_WHOLE_BODY_IMAGING": (
        {"baseline": {"bone_lesion_count": 2, "staging_imaging": "plain_films_or_none"}},
        ("bone_lesion_count", "staging_imaging"),
        None,
    ),
    "X_FDG_WITHOUT_PET": (
        {"baseline": {"fdg_avid_lesions": "no", "staging_imaging": "plain_films_or_none"}},
        ("fdg_avid_lesions", "staging_imaging"),
        None,
    ),
    "X_STAGING_VS_BONE_IMAGING": (
        {"baseline": {"staging_imaging": "fdg_pet_ct", "bone_imaging": "mri"}},
        ("staging_imaging", "bone_imaging"),
        None,
    ),
    "X_BEVACIZUMAB_SEQUENCE": (
        {
            "baseline": {},
            "visits": [
                {**VISIT, "treatment_since_last_visit": ["bevacizumab"]},
                {"visit_date": "2026-06-01", "bevacizumab_since_baseline": "no"},
            ],
        },
        ("bevacizumab_since_baseline", "treatment_since_last_visit"),
        1,
    ),
    "X_AGE_AT_ASCT": (
        {
            "baseline": {"age_years": 60},
            "visits": [{**VISIT, "treatment_since_last_visit": ["asct"], "age_at_asct_years": 55}],
        },
        ("age_at_asct_years",),
        0,
    ),
    "X_MSPIKE_IFE": (
        {"baseline": {}, "visits": [{**VISIT, "mspike_g_dl": 0.2, "serum_ife": "negative"}]},
        ("mspike_g_dl", "serum_ife"),
        0,
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_it_refuses_each_invalid_input_with_its_id_and_keys(code):
    raw, keys, visit = CASES[code]
    assert (code, keys, visit) in refused(raw)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("bone_lesion_count", 2.5),  # a count is a whole number
        ("onls_arm_baseline", 6),
        ("onls_leg_baseline", 8),
        ("egfr_ml_min_1_73m2", 0),
        ("echo_spap_mmhg", 9),
        ("dlco_percent_predicted", 201),
        ("age_years", 121),
        ("sflc_ratio", 0),
        ("mspike_g_dl", 16),
    ],
)
def test_it_refuses_a_baseline_number_outside_its_plausible_range(key, value):
    assert ("X_RANGE", (key,), None) in refused({"baseline": {key: value}})


def test_it_refuses_a_vegf_below_what_any_assay_reports_after_conversion():
    visit = {**VISIT, "vegf_value": 0.004, "vegf_unit": "ng/mL"}  # 4 pg/mL
    assert ("X_RANGE", ("vegf_value", "vegf_unit"), 0) in refused(
        {"baseline": {}, "visits": [visit]}
    )


def test_a_boolean_is_not_a_number_and_an_empty_text_is_not_an_assay():
    problems = refused({"baseline": {"bone_lesion_count": True, "vegf_assay": "  "}})
    assert {
        ("X_NUMBER", ("bone_lesion_count",), None),
        ("X_ENUM", ("vegf_assay",), None),
    } <= problems


def test_it_lists_every_problem_at_once():
    raw = {
        "baseline": {"echo_done": "no", "echo_spap_mmhg": 40, "staging_imaging": "x"},
        "visits": [{"visit_date": "2026-13-01"}, "not a visit"],
    }
    codes = {code for code, _, _ in refused(raw)}
    assert codes == {"X_ECHO_NOT_DONE", "X_ENUM", "X_VISIT_DATE", "X_STRUCTURE"}


def test_a_baseline_contradiction_of_the_criteria_is_refused_too():
    raw = {"baseline": {"spep_mspike": "detected", "serum_ife": "negative"}}
    assert ("X_CRITERIA", ("spep_mspike", "serum_ife"), None) in refused(raw)


def test_a_valid_input_is_read_with_its_integers_and_dates():
    parsed = parse_input({"baseline": {"bone_lesion_count": 3.0}, "visits": [VISIT]})
    assert parsed.baseline["bone_lesion_count"] == 3
    assert parsed.visits[0].date.isoformat() == "2026-03-01"
