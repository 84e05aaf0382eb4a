"""Invalid findings are refused as a whole, each problem naming its keys (criteria.md 9.6)."""

import pytest

from assessment.criteria import FindingsError, evaluate


def problems(findings):
    with pytest.raises(FindingsError) as refused:
        evaluate(findings)
    return [(problem.keys, problem.message) for problem in refused.value.problems]


@pytest.mark.parametrize(
    ("findings", "key", "says"),
    [
        (
            {"pn_presnet": "yes"},
            "pn_presnet",
            "is not a finding (allowed: the finding keys; did you mean pn_present?)",
        ),
        ({"colour": "blue"}, "colour", "see criteria.md section 4"),
        ({"pn_present": "maybe"}, "pn_present", "allowed: yes, no, unknown"),
        ({"pn_present": "not_applicable"}, "pn_present", "allowed: yes, no, unknown"),
        ({"endo_amenorrhea": "not_applicable"}, None, None),
        ({"csf_protein_elevated": "not_done"}, None, None),
        ({"sex": "M"}, "sex", "allowed: male, female, unknown"),
        ({"heavy_chain": "igg"}, "heavy_chain", "allowed: IgG, IgA, IgM"),
        ({"age_years": -1}, "age_years", "negative"),
        ({"age_years": 121}, "age_years", "implausible (allowed: 0 to 120, or unknown)"),
        ({"age_years": 120}, None, None),
        ({"bm_plasma_cell_percent": 100.5}, "bm_plasma_cell_percent", "implausible"),
        ({"hemoglobin_g_dl": 31}, "hemoglobin_g_dl", "implausible"),
        ({"platelets_10e9_l": 5001}, "platelets_10e9_l", "implausible"),
        ({"platelets_10e9_l": "560"}, "platelets_10e9_l", "not a number"),
        ({"platelets_10e9_l": True}, "platelets_10e9_l", "not a number"),
        ({"platelets_10e9_l": float("nan")}, "platelets_10e9_l", "not a number"),
        ({"vegf_value": [1]}, "vegf_value", "not a number"),
        ({"mspike_g_dl": -0.1}, "mspike_g_dl", "negative"),
        ({"pn_present": None, "sex": "unknown", "age_years": "unknown"}, None, None),
    ],
)
def test_it_refuses_values_outside_their_type(findings, key, says):
    if key is None:
        evaluate(findings)
        return
    [(keys, message)] = problems(findings)
    assert keys == (key,)
    assert says in message


@pytest.mark.parametrize(
    ("findings", "keys"),
    [
        (
            {"lymph_node_histology": "reactive", "lymphadenopathy": "no"},
            ("lymph_node_histology", "lymphadenopathy"),
        ),
        (
            {"thrombocytosis_reported": "yes", "platelets_10e9_l": 450},
            ("thrombocytosis_reported", "platelets_10e9_l"),
        ),
        (
            {"thrombocytosis_reported": "no", "platelets_10e9_l": 451},
            ("thrombocytosis_reported", "platelets_10e9_l"),
        ),
        (
            {"erythrocytosis_reported": "yes", "hemoglobin_g_dl": 16.5, "sex": "male"},
            ("erythrocytosis_reported", "hemoglobin_g_dl", "sex"),
        ),
        (
            {"erythrocytosis_reported": "no", "hemoglobin_g_dl": 16.1, "sex": "female"},
            ("erythrocytosis_reported", "hemoglobin_g_dl", "sex"),
        ),
        (
            {"erythrocytosis_reported": "no", "hemoglobin_g_dl": 16.6},
            ("erythrocytosis_reported", "hemoglobin_g_dl"),
        ),
        ({"spep_mspike": "detected", "serum_ife": "negative"}, ("spep_mspike", "serum_ife")),
        (
            {
                "clone_reported_method_unspecified": "yes",
                "serum_ife": "negative",
                "urine_ife": "negative",
                "bm_clonality": "no_clonal_plasma_cells",
            },
            ("clone_reported_method_unspecified", "serum_ife", "urine_ife", "bm_clonality"),
        ),
        (
            {"bone_lesion_biopsy": "clonal_plasma_cells_lambda", "bone_lesion_type": "none"},
            ("bone_lesion_biopsy", "bone_lesion_type"),
        ),
        ({"endo_amenorrhea": "yes", "sex": "male"}, ("endo_amenorrhea", "sex")),
        ({"endo_gynecomastia": "yes", "sex": "female"}, ("endo_gynecomastia", "sex")),
        (
            {"endo_erectile_dysfunction": "yes", "sex": "female"},
            ("endo_erectile_dysfunction", "sex"),
        ),
        ({"vegf_value": 450}, ("vegf_value", "vegf_unit")),
        ({"vegf_lab_uln": 96}, ("vegf_lab_uln", "vegf_unit")),
    ],
)
def test_it_refuses_each_contradiction_naming_its_keys(findings, keys):
    [(named, message)] = problems(findings)
    assert named == keys
    assert "allowed:" in message


@pytest.mark.parametrize(
    "findings",
    [
        {"erythrocytosis_reported": "yes", "hemoglobin_g_dl": 16.3},
        {"erythrocytosis_reported": "no", "hemoglobin_g_dl": 16.3},
        {"thrombocytosis_reported": "yes", "platelets_10e9_l": 451},
        {"lymph_node_histology": "not_done", "lymphadenopathy": "no"},
        {"vegf_multiple_of_uln": 4},
    ],
)
def test_it_accepts_findings_that_agree(findings):
    evaluate(findings)


@pytest.mark.parametrize(
    ("findings", "keys", "says"),
    [
        ({"vegf_value": 0.35, "vegf_unit": "pg/mL"}, ("vegf_value", "vegf_unit"), "Was it ng/mL?"),
        ({"vegf_value": 4.9, "vegf_unit": "ng/L"}, ("vegf_value", "vegf_unit"), "Was it ng/mL?"),
        ({"vegf_value": 0, "vegf_unit": "pg/mL"}, ("vegf_value", "vegf_unit"), "detection limit"),
        ({"vegf_value": 0.004, "vegf_unit": "ng/mL"}, ("vegf_value", "vegf_unit"), "detection"),
        ({"vegf_value": 150, "vegf_unit": "ng/mL"}, ("vegf_value", "vegf_unit"), "Was it pg/mL?"),
        ({"vegf_value": 100_001, "vegf_unit": "pg/mL"}, ("vegf_value", "vegf_unit"), "unit"),
        ({"vegf_lab_uln": 0.1, "vegf_unit": "pg/mL"}, ("vegf_lab_uln", "vegf_unit"), "ng/mL?"),
        ({"mspike_g_dl": 30}, ("mspike_g_dl",), "was it g/L?"),
        ({"mspike_g_dl": 15.1}, ("mspike_g_dl",), "implausible"),
        ({"sflc_ratio": 0}, ("sflc_ratio",), "not a possible sflc_ratio"),
        ({"sflc_kappa_mg_l": 100_001}, ("sflc_kappa_mg_l",), "implausible"),
        ({"sflc_lambda_mg_l": 100_001}, ("sflc_lambda_mg_l",), "implausible"),
    ],
)
def test_it_refuses_numbers_that_are_usually_unit_slips_naming_the_slip(findings, keys, says):
    [(named, message)] = problems(findings)
    assert named == keys
    assert says in message


@pytest.mark.parametrize(
    "findings",
    [
        {"vegf_value": 5, "vegf_unit": "pg/mL"},
        {"vegf_value": 100_000, "vegf_unit": "pg/mL"},
        {"vegf_value": 0.35, "vegf_unit": "ng/mL"},
        {"vegf_value": 100, "vegf_unit": "ng/mL"},
        {"vegf_value": 150, "vegf_unit": "pg/mL", "vegf_lab_uln": 96.2},
        {"mspike_g_dl": 15},
        {"sflc_ratio": 0.001},
        {"sflc_kappa_mg_l": 100_000, "sflc_lambda_mg_l": 0},
    ],
)
def test_it_accepts_numbers_at_the_edges_of_plausibility(findings):
    evaluate(findings)


def test_a_message_can_be_put_in_a_forms_words():
    [problem] = evaluate_refused({"lymph_node_histology": "reactive", "lymphadenopathy": "no"})
    words = {"lymphadenopathy": "Lymphadenopathy", "lymph_node_histology": "Node histology"}
    labels = {"no": "No", "yes": "Yes", "not_done": "Not done", "unknown": "Not assessed"}
    said = problem.render(lambda key, value: words[key] if value is None else labels[value])
    assert said == (
        "Node histology is recorded but Lymphadenopathy is No (allowed: Lymphadenopathy Yes, or "
        "Node histology Not done or Not assessed)"
    )
    assert problem.message == (
        "lymph_node_histology is recorded but lymphadenopathy is no (allowed: lymphadenopathy "
        "yes, or lymph_node_histology not_done or unknown)"
    )


def test_typed_text_is_never_read_as_a_placeholder():
    [problem] = evaluate_refused({"pn_present": "{sex} }{"})
    assert problem.render(lambda key, value: "LABEL").startswith("'{sex} }{' is not allowed")


def evaluate_refused(findings):
    with pytest.raises(FindingsError) as refused:
        evaluate(findings)
    return refused.value.problems


def test_it_lists_every_problem_at_once():
    found = problems({"pn_present": "maybe", "age_years": -3, "colour": "blue"})
    assert [keys for keys, _ in found] == [("pn_present",), ("age_years",), ("colour",)]


def test_it_refuses_findings_that_are_not_an_object():
    assert problems(["pn_present"]) == [(("findings",), "must be a JSON object of finding keys")]
