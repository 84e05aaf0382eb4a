"""`manage.py followup`: output JSON on stdout; bad input on stderr with exit status 2."""

import json
import os
import subprocess
import sys
from io import StringIO

from django.core.management import call_command

from tests.test_evaluate_command import REPO

from .cases import CASES, CASES_PATH


def run_followup(*arguments, stdin=""):
    return subprocess.run(
        [sys.executable, "manage.py", "followup", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=dict(os.environ),
        timeout=60,
    )


def test_it_reproduces_the_eight_shared_cases_with_check():
    out = StringIO()
    call_command("followup", str(CASES_PATH), check=True, stdout=out)
    assert out.getvalue().splitlines()[-1] == "8/8 cases reproduced"


def test_it_evaluates_the_valid_cases_as_a_list():
    valid = [case for case in CASES if case["expected_outputs"]["valid"]]
    process = run_followup("-", stdin=json.dumps(valid))
    assert process.returncode == 0, process.stderr
    outputs = json.loads(process.stdout)
    assert [o["id"] for o in outputs] == [c["id"] for c in valid]
    assert all(o["spec_version"] == "followup-1" for o in outputs)


def test_it_refuses_an_invalid_case_on_stderr_with_status_2_and_nothing_on_stdout():
    process = run_followup(str(CASES_PATH))
    assert process.returncode == 2
    assert process.stdout == ""
    assert "case 7 (id FU08): X_LESION_COUNT_VS_TYPE bone_lesion_count, bone_lesion_type" in (
        process.stderr
    )
    assert "X_FDG_WITHOUT_PET fdg_avid_lesions, staging_imaging" in process.stderr


def test_it_refuses_a_file_that_is_not_json_with_status_2():
    process = run_followup("-", stdin="{not json")
    assert process.returncode == 2
    assert "not valid JSON" in process.stderr


def test_check_exits_1_when_a_case_differs(tmp_path):
    case = json.loads(json.dumps(CASES[0]))
    case["expected_outputs"]["prognostic_factors"]["age_over_50"] = "no"
    path = tmp_path / "cases.json"
    path.write_text(json.dumps([case]))
    process = run_followup(str(path), "--check")
    assert process.returncode == 1
    assert "FU01: differs" in process.stdout
    assert "prognostic_factors.age_over_50: 'yes' ≠ 'no'" in process.stdout
