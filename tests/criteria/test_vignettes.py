"""Every shared vignette is reproduced: each set's result, its missing items, the warnings."""

import pytest

from assessment.criteria import CRITERIA_SETS, evaluate

from .vignettes import VIGNETTES

CASES = [pytest.param(vignette, id=vignette["id"]) for vignette in VIGNETTES]


def test_the_shared_vignettes_are_there():
    assert len(VIGNETTES) >= 14


@pytest.mark.parametrize("vignette", CASES)
def test_it_reproduces_each_sets_result(vignette):
    evaluation = evaluate(vignette["findings"], vignette["id"])
    for key, expected in vignette["expected_outcomes"].items():
        result = evaluation.criteria_sets[key]
        assert (result.result, result.could_upgrade_to) == (
            expected["result"],
            expected.get("could_upgrade_to"),
        ), key


@pytest.mark.parametrize("vignette", CASES)
def test_it_names_the_missing_items_in_item_order(vignette):
    evaluation = evaluate(vignette["findings"])
    for key, expected in vignette["expected_outcomes"].items():
        result = evaluation.criteria_sets[key]
        assert set(result.missing) == set(expected["missing"]), key
        item_order = [item.id for item in result.items]
        assert list(result.missing) == sorted(result.missing, key=item_order.index)


@pytest.mark.parametrize("vignette", CASES)
def test_it_raises_exactly_the_expected_warnings(vignette):
    evaluation = evaluate(vignette["findings"])
    assert {w.id for w in evaluation.warnings} == {w["id"] for w in vignette["expected_warnings"]}


@pytest.mark.parametrize("vignette", CASES)
def test_it_derives_the_items_of_the_vignette(vignette):
    evaluation = evaluate(vignette["findings"])
    assert {k: v.value for k, v in evaluation.derived_items.items()} == vignette["derived_items"]


@pytest.mark.parametrize("vignette", CASES)
def test_it_suggests_a_workup_for_every_missing_item_primary_set_first(vignette):
    evaluation = evaluate(vignette["findings"])
    primary = list(evaluation.primary.missing)
    every_missing = {item for s in evaluation.criteria_sets.values() for item in s.missing}
    workup = [entry.item for entry in evaluation.workup]
    assert set(workup) == every_missing
    assert len(workup) == len(set(workup))
    assert workup[: len(primary)] == primary
    assert all(entry.tests for entry in evaluation.workup)


def test_it_evaluates_the_four_sets_of_the_contract():
    assert [s.key for s in CRITERIA_SETS] == [
        "bardwick_1980_acronym",
        "dispenzieri_2003",
        "dispenzieri_updated_2007_imwg2014",
        "japan_mhlw_2015",
    ]
