"""Properties that hold for any valid findings (criteria.md 9.3, 9.4; contract.md)."""

import json
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.criteria import CRITERIA_SETS, FINDINGS, evaluate, parse_findings
from assessment.criteria.derived import derive_items
from assessment.criteria.red_flags import _NONSPECIFIC_ITEMS, _NONSPECIFIC_NORMAL, RED_FLAGS

from .strategies import filled_in, make_valid, valid_findings, value_of

SET_RESULTS = {"meets", "does_not_meet", "indeterminate"}
JAPAN_RESULTS = {
    "definite",
    "probable",
    "possible",
    "does_not_meet",
    "indeterminate",
    "excluded_meets_myeloma_criteria",
}
JAPAN_RANK = {"does_not_meet": 0, "possible": 1, "probable": 2, "definite": 3}
ROLES = {"item", "mandatory", "other_major", "major", "minor"}
STATUSES = {"yes", "no", "unknown"}
DERIVED = {
    "polyneuropathy", "clonal_pcd", "m_protein_by_ife", "organomegaly", "castleman",
    "sclerotic_bone_lesion", "vegf_elevated_dispenzieri", "vegf_elevated_japan", "edema_2003",
    "extravascular_volume_overload", "endocrinopathy_any", "endocrinopathy_updated",
    "skin_changes_2003", "skin_changes_updated", "skin_changes_any", "papilledema",
    "thrombocytosis_or_polycythemia",
}  # fmt: skip
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(valid_findings())
def test_any_valid_findings_give_the_contracts_shape(findings):
    output = json.loads(json.dumps(evaluate(findings, "case-1").as_contract()))
    assert output["id"] == "case-1"
    assert output["criteria_version"]
    assert output["primary_set"] == "dispenzieri_updated_2007_imwg2014"
    assert set(output["derived_items"]) == DERIVED
    assert set(output["derived_items"].values()) <= STATUSES
    assert list(output["criteria_sets"]) == [s.key for s in CRITERIA_SETS]
    for key, result in output["criteria_sets"].items():
        allowed = JAPAN_RESULTS if key == "japan_mhlw_2015" else SET_RESULTS
        assert result["result"] in allowed
        assert result["could_upgrade_to"] in (None, "definite", "probable")
        if result["could_upgrade_to"]:
            assert result["result"] in ("probable", "possible")
        assert result["title"] and result["sources"]
        for item in result["items"]:
            assert item["role"] in ROLES and item["status"] in STATUSES and item["findings"]
        unknown = [item["id"] for item in result["items"] if item["status"] == "unknown"]
        assert result["missing"] == [item for item in unknown if item in result["missing"]]
    ids = [warning["id"] for warning in output["warnings"]]
    assert len(ids) == len(set(ids))
    assert set(ids) <= {flag.id for flag in RED_FLAGS}
    for warning in output["warnings"]:
        assert warning["severity"] in ("high", "caution", "info") and warning["findings"]
    every_missing = {m for s in output["criteria_sets"].values() for m in s["missing"]}
    assert {entry["item"] for entry in output["workup"]} == every_missing


@SETTINGS
@given(st.data())
def test_filling_in_unknown_findings_never_flips_a_determinate_result(data):
    findings = data.draw(valid_findings())
    more = data.draw(filled_in(findings))
    before, after = evaluate(findings), evaluate(more)
    for key, item in before.derived_items.items():
        if item.value != "unknown":
            assert after.derived_items[key] == item, key
    for key, result in before.criteria_sets.items():
        now = after.criteria_sets[key].result
        if key != "japan_mhlw_2015":
            if result.result != "indeterminate":
                assert now == result.result, key
        elif now != "excluded_meets_myeloma_criteria" and result.result in JAPAN_RANK:
            assert now in JAPAN_RANK and JAPAN_RANK[now] >= JAPAN_RANK[result.result]


@SETTINGS
@given(st.data())
def test_an_unknown_finding_never_makes_an_item_met(data):
    findings = data.draw(valid_findings())
    forgotten = data.draw(st.lists(st.sampled_from(sorted(findings) or ["pn_present"])))
    # Forgetting a unit makes its value invalid; forget the value too.
    fewer = make_valid({key: value for key, value in findings.items() if key not in forgotten})
    complete, partial = evaluate(findings), evaluate(fewer)
    for key, item in partial.derived_items.items():
        if item.value == "yes":
            assert complete.derived_items[key].value == "yes", key
    for key, result in partial.criteria_sets.items():
        if result.result == "meets":
            assert complete.criteria_sets[key].result == "meets", key


def test_nothing_is_met_when_nothing_is_known():
    evaluation = evaluate({})
    assert "yes" not in {status.value for status in evaluation.derived_items.values()}
    assert {s.result for s in evaluation.criteria_sets.values()} == {"indeterminate"}


def _reference_results(criteria, statuses, excluded):
    """criteria.md 9.3 read literally: every yes/no assignment of the set's unknown items."""
    unknown = [i for i in criteria.item_ids if statuses[i] == "unknown"]
    results = {}
    for values in product((True, False), repeat=len(unknown)):
        present = {i: statuses[i] == "yes" for i in criteria.item_ids} | dict(
            zip(unknown, values, strict=True)
        )
        results[values] = _literal_rule(criteria.key, present, excluded)
    return unknown, results


def _literal_rule(key, item, excluded):
    minors = [item[i] for i in _MINORS[key]]
    if key == "bardwick_1980_acronym":
        return "meets" if sum(item.values()) >= 3 else "does_not_meet"
    if key == "dispenzieri_2003":
        met = item["polyneuropathy"] and item["clonal_pcd"] and any(minors)
        return "meets" if met else "does_not_meet"
    if key == "dispenzieri_updated_2007_imwg2014":
        major = (
            item["castleman"] or item["sclerotic_bone_lesion"] or item["vegf_elevated_dispenzieri"]
        )
        met = item["polyneuropathy"] and item["clonal_pcd"] and major and any(minors)
        return "meets" if met else "does_not_meet"
    if excluded:
        return "excluded_meets_myeloma_criteria"
    pn, vegf = item["polyneuropathy"], item["vegf_elevated_japan"]
    if pn and vegf and item["m_protein_by_ife"] and any(minors):
        return "definite"
    if pn and vegf and any(minors):
        return "probable"
    return "possible" if pn and sum(minors) >= 2 else "does_not_meet"


_MINORS = {
    s.key: [i for g in s.groups if g.role in ("minor", "item") for i in g.items]
    for s in CRITERIA_SETS
}


@settings(max_examples=120, deadline=None)
@given(valid_findings())
def test_missing_items_are_exactly_those_whose_value_could_change_the_result(findings):
    evaluation = evaluate(findings)
    statuses = {key: value.value for key, value in evaluation.derived_items.items()}
    for criteria in CRITERIA_SETS:
        result = evaluation.criteria_sets[criteria.key]
        excluded = result.exclusion is not None and result.exclusion.status.value == "yes"
        unknown, results = _reference_results(criteria, statuses, excluded)
        expected_missing = [
            x
            for n, x in enumerate(unknown)
            if any(
                results[values] != results[values[:n] + (False,) + values[n + 1 :]]
                for values in results
                if values[n]
            )
        ]
        assert list(result.missing) == expected_missing, criteria.key
        outcomes = set(results.values())
        if criteria.key != "japan_mhlw_2015":
            expected = outcomes.pop() if len(outcomes) == 1 else "indeterminate"
            assert result.result == expected
        elif not excluded:
            low = min(outcomes, key=JAPAN_RANK.get)
            high = max(outcomes, key=JAPAN_RANK.get)
            if low != "does_not_meet":
                assert (result.result, result.could_upgrade_to) == (
                    low,
                    None if low == high else high,
                )
            else:
                assert result.result == ("does_not_meet" if high == low else "indeterminate")


@SETTINGS
@given(valid_findings())
def test_normal_non_specific_findings_change_only_the_items_they_feed(findings):
    parsed = parse_findings(findings)
    before, after = derive_items(parsed), derive_items(parsed.replace(_NONSPECIFIC_NORMAL))
    changed = {key for key in before if before[key] != after[key]}
    assert changed <= set(_NONSPECIFIC_ITEMS)


VEGF_KEYS = ("vegf_value", "vegf_unit", "vegf_sample", "vegf_lab_uln")


@st.composite
def vegf_findings(draw):
    """The VEGF inputs alone (value, unit, sample, laboratory limit), each maybe unknown."""
    raw = {key: draw(st.one_of(st.none(), value_of(FINDINGS[key]))) for key in VEGF_KEYS}
    return make_valid({key: value for key, value in raw.items() if value is not None})


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_filling_in_a_vegf_input_only_ever_resolves_the_vegf_items(data):
    """9.2: the sample or the laboratory limit can only resolve an unknown VEGF item, and a
    value (with its unit) only an unknown one; a determinate item never flips."""
    findings = data.draw(vegf_findings())
    more = data.draw(filled_in(findings, keys=VEGF_KEYS))
    before, after = evaluate(findings), evaluate(more)
    for item in ("vegf_elevated_dispenzieri", "vegf_elevated_japan"):
        if before.derived_items[item].value != "unknown":
            assert after.derived_items[item] == before.derived_items[item], (item, more)
    primary = before.criteria_sets["dispenzieri_updated_2007_imwg2014"].result
    if primary != "indeterminate":
        assert after.criteria_sets["dispenzieri_updated_2007_imwg2014"].result == primary
