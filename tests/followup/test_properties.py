"""followup.md 1.2: filling in an unknown input only resolves unknown or undetermined outputs,
with the two documented exceptions (a recorded assay; the nadir over recorded values)."""

from hypothesis import HealthCheck, given, settings

from followup.engine import evaluate

from .strategies import follow_up_inputs, single_fills

UNDECIDED = {"unknown", "undetermined", "incomplete"}


def decided_outputs(output):
    """Every three-valued output by where it is, nadir excepted (followup.md 1.2)."""
    found = {f"factor {k}": v for k, v in output["prognostic_factors"].items()}
    found["extent"] = output["disease_extent"]["value"]
    for entry in output["baseline_workup"]:
        found[f"workup {entry['item']}"] = "done" if entry["status"] == "done" else "unknown"
    for key, value in (output["post_asct_flags"] or {}).items():
        found[f"after transplant {key}"] = value
    for index, visit in enumerate(output["visits"]):
        where = f"visit {index}"
        found[f"{where} before 6 months"] = visit["before_6_months"]
        found[f"{where} bevacizumab"] = visit["bevacizumab_since_baseline"]
        found[f"{where} onls"] = visit["onls"]["direction"]
        found[f"{where} ife"] = visit["ife_status"]
        if visit["vegf"]:
            found[f"{where} comparable"] = visit["vegf"]["vs_baseline"]["comparable"]
            found[f"{where} within range"] = visit["vegf"]["within_lab_range"]["value"]
            for entry in visit["vegf"]["vs_earlier_visits"]:
                found[f"{where} vs {entry['visit_date']}"] = entry["comparable"]
    return found


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(follow_up_inputs())
def test_filling_in_an_unknown_input_only_resolves_undecided_outputs(before):
    was = decided_outputs(evaluate(before))
    for fill, after in single_fills(before):
        now = decided_outputs(evaluate(after))
        for where, value in was.items():
            if value not in UNDECIDED and where in now:
                assert now[where] == value, f"{where} after {fill}"


def _with_assays(first, second):
    baseline = {"vegf_value": 4800, "vegf_unit": "pg/mL", "vegf_sample": "serum"}
    visit = {
        "visit_date": "2026-07-01",
        "bevacizumab_since_baseline": "no",
        "vegf_value": 850,
        "vegf_unit": "pg/mL",
        "vegf_sample": "serum",
    }
    baseline |= {"vegf_assay": first} if first else {}
    visit |= {"vegf_assay": second} if second else {}
    return evaluate({"baseline": baseline, "visits": [visit]})["visits"][0]["vegf"]


def test_an_unrecorded_assay_does_not_block_the_comparison_but_is_shown():
    vegf = _with_assays(None, "Quantikine ELISA")
    assert vegf["vs_baseline"]["comparable"] == "yes"
    assert vegf["vs_baseline"]["reasons"] == ["assay_not_recorded"]


def test_recording_two_different_assays_later_turns_comparable_into_not_comparable():
    vegf = _with_assays("ECL, lab B", "Quantikine ELISA")
    assert vegf["vs_baseline"] == {
        "comparable": "no",
        "reasons": ["assay_differs"],
        "percent_change": None,
    }


def test_a_vegf_entered_for_an_earlier_visit_recomputes_the_nadir():
    baseline = {"vegf_value": 4800, "vegf_unit": "pg/mL", "vegf_sample": "serum"}
    serum = {"vegf_unit": "pg/mL", "vegf_sample": "serum", "bevacizumab_since_baseline": "no"}
    first = {"visit_date": "2026-04-01", **serum}
    second = {"visit_date": "2026-10-01", "vegf_value": 1200, **serum}
    nadir = evaluate({"baseline": baseline, "visits": [first, second]})["visits"][1]["vegf"]
    assert nadir["vs_nadir"]["nadir_from"] == "baseline"
    first["vegf_value"] = 600
    nadir = evaluate({"baseline": baseline, "visits": [first, second]})["visits"][1]["vegf"]
    assert nadir["vs_nadir"] == {
        "status": "determined",
        "nadir_pg_ml": 600.0,
        "nadir_from": "2026-04-01",
        "percent_change": 100.0,
    }
