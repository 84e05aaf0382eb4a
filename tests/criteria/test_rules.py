"""Each rule and threshold at its edges (criteria.md 9.2, 9.3, 9.5)."""

import pytest

from assessment.criteria import evaluate
from assessment.criteria.findings import ENDOCRINE_KEYS

UPDATED = "dispenzieri_updated_2007_imwg2014"
JAPAN = "japan_mhlw_2015"


def item(name, **findings):
    return evaluate(findings).derived_items[name].value


def warnings(**findings):
    return {warning.id for warning in evaluate(findings).warnings}


@pytest.mark.parametrize(
    ("value", "unit", "sample", "uln", "dispenzieri", "japan"),
    [
        # Plasma: the normal range ends at 96.2 (Mayo), the cut-off is 200 pg/mL (9.2).
        (96.2, "pg/mL", "plasma", None, "no", "unknown"),
        (96.3, "pg/mL", "plasma", None, "unknown", "unknown"),
        (199, "pg/mL", "plasma", None, "unknown", "unknown"),
        (200, "pg/mL", "plasma", None, "yes", "unknown"),
        (5000, "pg/mL", "plasma", None, "yes", "unknown"),
        (150, "pg/mL", "plasma", 150, "no", "unknown"),
        (150, "pg/mL", "plasma", 96, "unknown", "unknown"),
        (80, "pg/mL", "plasma", 60, "no", "unknown"),
        # A laboratory limit above the cut-off never overrides it.
        (250, "pg/mL", "plasma", 300, "yes", "unknown"),
        # Serum: normal below 1000, the cut-off is 1920 pg/mL.
        (999, "pg/mL", "serum", None, "no", "no"),
        (1000, "pg/mL", "serum", None, "unknown", "yes"),
        (1919, "pg/mL", "serum", None, "unknown", "yes"),
        (1920, "pg/mL", "serum", None, "yes", "yes"),
        (1200, "pg/mL", "serum", 1200, "no", "yes"),
        (1200, "pg/mL", "serum", 1100, "unknown", "yes"),
        # Sample unknown: elevated above both cut-offs, normal only below both.
        (96.2, "pg/mL", None, None, "no", "unknown"),
        (150, "pg/mL", None, None, "unknown", "unknown"),
        (150, "pg/mL", None, 160, "no", "unknown"),
        (199, "pg/mL", None, 200, "no", "unknown"),
        (200, "pg/mL", None, 250, "unknown", "unknown"),
        (1919, "pg/mL", None, None, "unknown", "unknown"),
        (1920, "pg/mL", None, None, "yes", "unknown"),
        # Units: ng/L is pg/mL; ng/mL × 1000, the laboratory limit in the same unit.
        (1920, "ng/L", "serum", None, "yes", "yes"),
        (0.0962, "ng/mL", "plasma", None, "no", "unknown"),
        (0.199, "ng/mL", "plasma", None, "unknown", "unknown"),
        (0.2, "ng/mL", "plasma", None, "yes", "unknown"),
        (0.15, "ng/mL", "plasma", 0.16, "no", "unknown"),
        (0.999, "ng/mL", "serum", None, "no", "no"),
        (1.919, "ng/mL", "serum", None, "unknown", "yes"),
        (1.92, "ng/mL", "serum", None, "yes", "yes"),
    ],
)
def test_vegf_cut_offs_depend_on_sample_unit_and_laboratory_limit(
    value, unit, sample, uln, dispenzieri, japan
):
    findings = {"vegf_value": value, "vegf_unit": unit, "vegf_sample": sample, "vegf_lab_uln": uln}
    assert item("vegf_elevated_dispenzieri", **findings) == dispenzieri
    assert item("vegf_elevated_japan", **findings) == japan


def test_a_borderline_vegf_leaves_the_updated_criteria_open():
    """V23's finding: VEGF as the only candidate other major criterion (revision 2)."""
    borderline = {"vegf_value": 150, "vegf_unit": "pg/mL", "vegf_sample": "plasma"}
    case = {
        **FULL_POEMS,
        "bone_lesion_type": "none",
        "bone_imaging": "ct_or_pet_ct",
        "lymphadenopathy": "no",
        **borderline,
    }
    updated = evaluate(case).criteria_sets[UPDATED]
    assert (updated.result, updated.missing) == ("indeterminate", ("vegf_elevated_dispenzieri",))
    normal = evaluate({**case, "vegf_value": 90}).criteria_sets[UPDATED]
    assert normal.result == "does_not_meet"


@pytest.mark.parametrize(
    "findings",
    [{}, {"vegf_qualitative": "elevated"}, {"vegf_multiple_of_uln": 8, "vegf_sample": "serum"}],
)
def test_vegf_without_a_value_is_unknown(findings):
    assert item("vegf_elevated_dispenzieri", **findings) == "unknown"
    assert item("vegf_elevated_japan", **findings) == "unknown"


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"platelets_10e9_l": 450, "hemoglobin_g_dl": 14, "sex": "male"}, "no"),
        ({"platelets_10e9_l": 451, "hemoglobin_g_dl": 14, "sex": "male"}, "yes"),
        ({"platelets_10e9_l": 451}, "yes"),
        ({"platelets_10e9_l": 450}, "unknown"),
        ({"platelets_10e9_l": 300, "hemoglobin_g_dl": 16.5, "sex": "male"}, "no"),
        ({"platelets_10e9_l": 300, "hemoglobin_g_dl": 16.6, "sex": "male"}, "yes"),
        ({"platelets_10e9_l": 300, "hemoglobin_g_dl": 16.0, "sex": "female"}, "no"),
        ({"platelets_10e9_l": 300, "hemoglobin_g_dl": 16.1, "sex": "female"}, "yes"),
        ({"platelets_10e9_l": 300, "hemoglobin_g_dl": 16.0}, "no"),
        ({"platelets_10e9_l": 300, "hemoglobin_g_dl": 16.3}, "unknown"),
        ({"platelets_10e9_l": 300, "hemoglobin_g_dl": 16.6}, "yes"),
        ({"thrombocytosis_reported": "yes"}, "yes"),
        ({"thrombocytosis_reported": "no", "erythrocytosis_reported": "no"}, "no"),
        ({"thrombocytosis_reported": "no", "erythrocytosis_reported": "unknown"}, "unknown"),
    ],
)
def test_thrombocytosis_or_polycythemia_thresholds(findings, expected):
    assert item("thrombocytosis_or_polycythemia", **findings) == expected


ALL_ENDOCRINE_NO = dict.fromkeys(ENDOCRINE_KEYS, "no")


@pytest.mark.parametrize(
    ("changes", "any_axis", "updated"),
    [
        ({}, "no", "no"),
        ({"endo_diabetes_or_glucose_intolerance": "yes"}, "yes", "no"),
        ({"endo_hypothyroidism": "yes"}, "yes", "no"),
        ({"endo_hyperthyroidism": "yes"}, "yes", "no"),
        (
            {"endo_hypothyroidism": "yes", "endo_diabetes_or_glucose_intolerance": "yes"},
            "yes",
            "no",
        ),
        ({"endo_other_unspecified": "yes"}, "yes", "unknown"),
        ({"endo_other_unspecified": "unknown"}, "unknown", "unknown"),
        ({"endo_hypogonadism": "yes"}, "yes", "yes"),
        ({"endo_amenorrhea": "not_applicable"}, "no", "no"),
        ({"endo_adrenal_insufficiency": "unknown"}, "unknown", "unknown"),
    ],
)
def test_diabetes_and_thyroid_alone_do_not_count_for_the_updated_criteria(
    changes, any_axis, updated
):
    findings = {**ALL_ENDOCRINE_NO, **changes}
    assert item("endocrinopathy_any", **findings) == any_axis
    assert item("endocrinopathy_updated", **findings) == updated


def test_diabetes_or_thyroid_alone_raises_its_warning():
    assert "W_ENDO_DM_THYROID_ONLY" in warnings(endo_hypothyroidism="yes")
    assert "W_ENDO_DM_THYROID_ONLY" not in warnings(
        endo_hypothyroidism="yes", endo_hypogonadism="yes"
    )


CLONE_CLOSED = {
    "serum_ife": "negative",
    "urine_ife": "negative",
    "bm_clonality": "no_clonal_plasma_cells",
    "bone_lesion_biopsy": "not_done",
}


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"serum_ife": "positive"}, "yes"),
        ({"urine_ife": "positive"}, "yes"),
        ({"spep_mspike": "detected"}, "yes"),
        ({"bm_clonality": "kappa_restricted"}, "yes"),
        ({"bone_lesion_biopsy": "clonal_plasma_cells_unspecified"}, "yes"),
        ({"clone_reported_method_unspecified": "yes"}, "yes"),
        (CLONE_CLOSED, "no"),
        ({**CLONE_CLOSED, "bone_lesion_biopsy": "no_clonal_cells"}, "no"),
        ({**CLONE_CLOSED, "bone_lesion_biopsy": None}, "unknown"),
        (
            {
                **CLONE_CLOSED,
                "bone_lesion_biopsy": None,
                "bone_lesion_type": "none",
                "bone_imaging": "ct_or_pet_ct",
            },
            "no",
        ),
        ({**CLONE_CLOSED, "urine_ife": "not_done"}, "unknown"),
        ({"serum_ife": "negative", "bm_clonality": "no_clonal_plasma_cells"}, "unknown"),
    ],
)
def test_a_clone_is_absent_only_when_every_route_is_closed(findings, expected):
    assert item("clonal_pcd", **findings) == expected


@pytest.mark.parametrize(
    ("lesion", "imaging", "expected"),
    [
        ("sclerotic", None, "yes"),
        ("mixed_sclerotic_lytic", "skeletal_survey_only", "yes"),
        ("lytic_with_sclerotic_rim", "ct_or_pet_ct", "yes"),
        ("purely_lytic", "ct_or_pet_ct", "no"),
        ("none", "ct_or_pet_ct", "no"),
        ("none", "skeletal_survey_only", "unknown"),
        ("none", "mri", "unknown"),
        ("lytic_sclerosis_not_described", "ct_or_pet_ct", "unknown"),
        (None, "none", "unknown"),
    ],
)
def test_only_ct_or_pet_ct_rules_out_a_sclerotic_lesion(lesion, imaging, expected):
    assert item("sclerotic_bone_lesion", bone_lesion_type=lesion, bone_imaging=imaging) == expected


def test_a_negative_plain_survey_asks_for_ct():
    assert "W_XRAY_ONLY_BONE_SURVEY" in warnings(
        bone_imaging="skeletal_survey_only", bone_lesion_type="none"
    )


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"lymph_node_histology": "castleman_hyaline_vascular"}, "yes"),
        ({"lymph_node_histology": "reactive"}, "no"),
        ({"lymphadenopathy": "no"}, "no"),
        ({"lymphadenopathy": "yes", "lymph_node_histology": "not_done"}, "unknown"),
    ],
)
def test_castleman_disease_from_node_histology(findings, expected):
    assert item("castleman", **findings) == expected


POEMS_WITHOUT_CLONE_ROUTE = {
    "pn_present": "yes",
    "lymphadenopathy": "yes",
    "lymph_node_histology": "castleman_plasma_cell",
    "splenomegaly": "yes",
}


def test_castleman_disease_without_a_clone_is_the_castleman_variant():
    found = warnings(**POEMS_WITHOUT_CLONE_ROUTE, **CLONE_CLOSED)
    assert "W_CASTLEMAN_VARIANT" in found
    assert "W_NAMING_CASTLEMAN_VARIANT" not in found
    result = evaluate({**POEMS_WITHOUT_CLONE_ROUTE, **CLONE_CLOSED}).criteria_sets[UPDATED]
    assert result.result == "does_not_meet"


def test_castleman_disease_with_a_clone_is_poems_with_castleman_disease():
    findings = {**POEMS_WITHOUT_CLONE_ROUTE, "serum_ife": "positive", "light_chain": "lambda"}
    assert "W_NAMING_CASTLEMAN_VARIANT" in warnings(**findings)
    assert "W_CASTLEMAN_VARIANT" not in warnings(**findings)
    assert evaluate(findings).criteria_sets[UPDATED].result == "meets"


def test_castleman_disease_with_an_unknown_clone_raises_neither_castleman_warning():
    found = warnings(**POEMS_WITHOUT_CLONE_ROUTE)
    assert not found & {"W_CASTLEMAN_VARIANT", "W_NAMING_CASTLEMAN_VARIANT"}


FULL_POEMS = {
    "pn_present": "yes",
    "serum_ife": "positive",
    "light_chain": "lambda",
    "bone_lesion_type": "sclerotic",
    "skin_hyperpigmentation": "yes",
}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "meets"),
        ({"pn_present": "no"}, "does_not_meet"),
        ({"pn_present": None}, "indeterminate"),
        ({"skin_hyperpigmentation": None}, "indeterminate"),
        ({"bone_lesion_type": "purely_lytic"}, "indeterminate"),
    ],
)
def test_updated_criteria_need_both_mandatory_one_other_major_and_one_minor(changes, expected):
    assert evaluate({**FULL_POEMS, **changes}).criteria_sets[UPDATED].result == expected


SERUM_VEGF = {"vegf_value": 1500, "vegf_unit": "pg/mL", "vegf_sample": "serum"}


@pytest.mark.parametrize(
    ("findings", "result", "upgrade"),
    [
        ({**FULL_POEMS, **SERUM_VEGF}, "definite", None),
        (
            {**FULL_POEMS, **SERUM_VEGF, "serum_ife": None, "spep_mspike": "detected"},
            "probable",
            "definite",
        ),
        (
            {
                **FULL_POEMS,
                **SERUM_VEGF,
                "serum_ife": "negative",
                "urine_ife": "negative",
                "light_chain": None,
            },
            "probable",
            None,
        ),
        (
            {"pn_present": "yes", "bone_lesion_type": "sclerotic", "papilledema": "yes"},
            "possible",
            "definite",
        ),
        ({"pn_present": "yes", "bone_lesion_type": "sclerotic"}, "indeterminate", None),
        ({"pn_present": "no"}, "does_not_meet", None),
    ],
)
def test_japanese_categories(findings, result, upgrade):
    japan = evaluate(findings).criteria_sets[JAPAN]
    assert (japan.result, japan.could_upgrade_to) == (result, upgrade)


def test_a_case_meeting_myeloma_criteria_is_excluded_from_the_japanese_set():
    findings = {**FULL_POEMS, **SERUM_VEGF, "bm_plasma_cell_percent": 12, "hypercalcemia": "yes"}
    japan = evaluate(findings).criteria_sets[JAPAN]
    assert japan.result == "excluded_meets_myeloma_criteria"
    assert japan.missing == ()
    assert japan.exclusion.status.value == "yes"


def test_marrow_plasma_cells_alone_do_not_exclude_from_the_japanese_set():
    findings = {**FULL_POEMS, **SERUM_VEGF, "bm_plasma_cell_percent": 12, "hypercalcemia": "no"}
    assert evaluate(findings).criteria_sets[JAPAN].result == "definite"


def test_renal_insufficiency_is_not_a_myeloma_red_flag():
    assert "W_MYELOMA" not in warnings(**FULL_POEMS, renal_insufficiency="yes")


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ({"age_years": 17}, {"W_PEDIATRIC"}),
        ({"age_years": 18}, set()),
        ({"hemoglobin_g_dl": 12.9, "sex": "male"}, {"W_CYTOPENIA"}),
        ({"hemoglobin_g_dl": 12.5, "sex": "female"}, set()),
        ({"hemoglobin_g_dl": 11.9}, {"W_CYTOPENIA"}),
        ({"platelets_10e9_l": 149}, {"W_CYTOPENIA"}),
        ({"platelets_10e9_l": 150}, set()),
        ({"vegf_value": 300, "vegf_unit": "pg/mL"}, {"W_VEGF_SAMPLE_UNKNOWN"}),
        ({"vegf_qualitative": "elevated"}, {"W_VEGF_QUALITATIVE_ONLY"}),
        ({"vegf_multiple_of_uln": 4, "vegf_qualitative": "elevated"}, {"W_VEGF_MULTIPLE_OF_ULN"}),
        ({"vegf_value": 999, "vegf_unit": "pg/mL", "vegf_sample": "serum"}, set()),
        (
            {"vegf_value": 1000, "vegf_unit": "pg/mL", "vegf_sample": "serum"},
            {"W_VEGF_BORDERLINE", "W_VEGF_CONFOUNDERS"},
        ),
        ({"vegf_value": 96.2, "vegf_unit": "pg/mL", "vegf_sample": "plasma"}, set()),
        (
            {"vegf_value": 96.3, "vegf_unit": "pg/mL", "vegf_sample": "plasma"},
            {"W_VEGF_BORDERLINE"},
        ),
        (
            {"vegf_value": 200, "vegf_unit": "pg/mL", "vegf_sample": "plasma"},
            {"W_VEGF_CONFOUNDERS"},
        ),
        ({"vegf_value": 150, "vegf_unit": "pg/mL"}, {"W_VEGF_SAMPLE_UNKNOWN"}),
        (
            {"vegf_value": 150, "vegf_unit": "pg/mL", "vegf_sample": "plasma", "vegf_lab_uln": 150},
            set(),
        ),
        (
            {"vegf_value": 80, "vegf_unit": "pg/mL", "vegf_sample": "plasma", "vegf_lab_uln": 60},
            {"W_VEGF_ABOVE_LAB_ULN"},
        ),
        (
            {"vegf_value": 900, "vegf_unit": "pg/mL", "vegf_sample": "serum", "vegf_lab_uln": 800},
            {"W_VEGF_ABOVE_LAB_ULN"},
        ),
        (
            {"vegf_value": 80, "vegf_unit": "pg/mL", "vegf_lab_uln": 60},
            {"W_VEGF_ABOVE_LAB_ULN", "W_VEGF_SAMPLE_UNKNOWN"},
        ),
        (
            {"vegf_value": 150, "vegf_unit": "pg/mL", "vegf_sample": "plasma", "vegf_lab_uln": 96},
            {"W_VEGF_BORDERLINE"},
        ),
        ({"phrenic_nerve_palsy": "yes"}, {"W_PHRENIC_RESPIRATORY"}),
        ({"heavy_chain": "IgM"}, {"W_IGM"}),
        ({"heavy_chain": "IgM", "anti_mag": "positive"}, {"W_IGM", "W_ANTI_MAG"}),
        ({"mspike_g_dl": 3}, {"W_MYELOMA"}),
        ({"mspike_g_dl": 2.9}, set()),
        ({"sflc_ratio": 0.09}, {"W_AL_AMYLOIDOSIS"}),
        ({"sflc_ratio": 0.01}, {"W_MYELOMA"}),
        (
            {"spep_mspike": "not_detected", "serum_ife": "positive"},
            {"W_SPEP_NEGATIVE_IFE_POSITIVE"},
        ),
        ({"serum_ife": "not_done"}, {"W_IFE_NOT_DONE"}),
    ],
)
def test_warning_triggers_at_their_edges(findings, expected):
    assert warnings(**findings) - warnings() == expected


def test_an_empty_case_has_insufficient_data():
    assert warnings() == {"W_INSUFFICIENT_DATA"}


def test_warnings_come_most_severe_first_with_their_sources():
    evaluation = evaluate({"light_chain": "kappa", "pn_present": "no", "age_years": 15})
    assert [(w.id, w.severity.value) for w in evaluation.warnings] == [
        ("W_NO_PN", "high"),
        ("W_KAPPA", "caution"),
        ("W_PEDIATRIC", "info"),
    ]
    for warning in evaluation.warnings:
        assert warning.sources and warning.message and warning.findings


def test_each_item_names_the_findings_that_decided_it():
    evaluation = evaluate({"pn_present": "yes", "hepatomegaly": "yes", "splenomegaly": "no"})
    items = {item.id: item for item in evaluation.primary.items}
    assert items["polyneuropathy"].findings == ("pn_present",)
    assert items["organomegaly"].findings == ("hepatomegaly",)
    assert items["papilledema"].findings == ("papilledema",)
