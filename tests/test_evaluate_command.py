"""`manage.py evaluate`: contract JSON on stdout; bad input on stderr with exit status 2."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from .criteria.vignettes import VIGNETTES, VIGNETTES_PATH

REPO = Path(__file__).resolve().parents[1]


def run_evaluate(argument, stdin="", **env):
    return subprocess.run(
        [sys.executable, "manage.py", "evaluate", argument],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **env},
        timeout=60,
    )


def test_it_reproduces_every_shared_vignette():
    out = StringIO()
    call_command("evaluate", str(VIGNETTES_PATH), stdout=out)
    evaluations = json.loads(out.getvalue())
    assert [e["id"] for e in evaluations] == [v["id"] for v in VIGNETTES]
    for vignette, evaluation in zip(VIGNETTES, evaluations, strict=True):
        for key, expected in vignette["expected_outcomes"].items():
            result = evaluation["criteria_sets"][key]
            assert result["result"] == expected["result"]
            assert result["could_upgrade_to"] == expected.get("could_upgrade_to")
            assert set(result["missing"]) == set(expected["missing"])
        assert {w["id"] for w in evaluation["warnings"]} == {
            w["id"] for w in vignette["expected_warnings"]
        }


def test_it_reads_one_findings_object_from_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", StringIO('{"pn_present": "no"}'))
    out = StringIO()
    call_command("evaluate", "-", stdout=out)
    evaluation = json.loads(out.getvalue())
    assert evaluation["id"] is None
    assert evaluation["criteria_sets"]["dispenzieri_2003"]["result"] == "does_not_meet"
    assert [w["id"] for w in evaluation["warnings"]] == ["W_NO_PN"]


def test_it_refuses_a_list_with_a_bad_case_naming_the_case_and_the_keys():
    cases = [{"pn_present": "yes"}, {"id": "P7", "findings": {"vegf_value": 300, "sex": "x"}}]
    finished = run_evaluate("-", json.dumps(cases))
    assert finished.returncode == 2
    assert finished.stdout == ""
    assert "case 1 (id P7): sex: 'x' is not allowed (allowed: male, female, unknown)" in (
        finished.stderr
    )
    assert (
        "case 1 (id P7): vegf_value, vegf_unit: a VEGF value needs its vegf_unit" in finished.stderr
    )
    assert "case 0" not in finished.stderr
    assert "Traceback" not in finished.stderr


@pytest.mark.parametrize(
    ("argument", "stdin", "says"),
    [
        ("-", "{not json", "not valid JSON"),
        ("-", '"pn_present"', "must be a JSON object"),
        ("-", '{"vegf_value": 300}', "a VEGF value needs its vegf_unit"),
        ("no-such-file.json", "", "cannot be read"),
    ],
)
def test_it_explains_bad_input_with_exit_status_2(argument, stdin, says):
    finished = run_evaluate(argument, stdin)
    assert finished.returncode == 2
    assert finished.stdout == ""
    assert says in finished.stderr
    assert "Traceback" not in finished.stderr


def test_it_needs_no_database():
    unreachable = "postgres://postgres@127.0.0.1:1/nowhere"
    finished = run_evaluate(str(VIGNETTES_PATH), DATABASE_URL=unreachable)
    assert finished.returncode == 0, finished.stderr
    assert len(json.loads(finished.stdout)) == len(VIGNETTES)
