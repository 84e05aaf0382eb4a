"""Every shared follow-up case is reproduced exactly (followup.md 11's comparison)."""

import copy

import pytest

from followup.engine import check_case
from followup.engine.cases import differences

from .cases import CASES


def test_the_eight_shared_cases_are_there():
    assert [case["id"] for case in CASES] == [f"FU0{n}" for n in range(1, 9)]


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES])
def test_it_reproduces_each_shared_case(case):
    assert check_case(case) == []


def test_the_comparison_notices_a_changed_figure():
    case = copy.deepcopy(next(c for c in CASES if c["id"] == "FU04"))
    case["expected_outputs"]["visits"][0]["vegf"]["vs_baseline"]["percent_change"] = -82.2
    assert check_case(case) == ["visits[0].vegf.vs_baseline.percent_change: -82.3 ≠ -82.2"]


def test_the_comparison_reads_reasons_as_sets_and_numbers_by_value():
    assert differences({"reasons": ["b", "a"], "n": -50}, {"reasons": ["a", "b"], "n": -50.0}) == []
    assert differences({"steps": ["b", "a"]}, {"steps": ["a", "b"]}) != []
