"""Random input never breaks the app: fuzzing the step pages, the search, and `manage.py evaluate`.

For every step, random posts (text with unicode and NUL bytes, very long text, huge, negative
and non-finite numbers, wrong types, unknown choices, missing and extra fields, a wrong or
missing version) to a saved assessment: never a 5xx. A refusal (4xx) changes nothing; a save
(302) stores exactly the values the form accepted, and the engine accepts what is stored.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assessment import services
from assessment.criteria import FINDINGS, DocumentError, evaluate_document
from assessment.criteria.findings import SEX_SPECIFIC_KEYS
from assessment.forms import FORMS
from assessment.models import Assessment
from assessment.steps import STEPS
from tests.assessment_helpers import make_assessment, make_physician

REPO = Path(__file__).resolve().parents[1]

# Set by every save, whatever was posted.
RECOMPUTED = {
    "version",
    "primary_verdict",
    "japan_result",
    "criteria_version",
    "warning_ids",
    "status",
    "completed_steps",
    "updated_at",
}

FUZZ = settings(
    max_examples=80,
    deadline=None,
    # The assessment is set up once per test and carried from example to example on purpose:
    # each example starts from whatever the earlier ones saved.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a browser could send (no lone surrogates, which cannot be encoded at all).
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)
nasty_text = st.one_of(
    text,
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=8).map(
        lambda s: s + "\x00" + s
    ),
    st.sampled_from(["", " ", "\x00", "NaN", "nan", "inf", "-inf", "Infinity", "1e309", "-0"]),
    st.sampled_from(["1,5", " 12 ", "0x10", "1_000", "½", "١٢", "null", "None", "[]", "{}"]),
    st.integers(min_value=1000, max_value=20000).map(lambda n: "x" * n),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(str),
    st.sampled_from(["2025-02-30", "0000-01-01", "10000-01-01", "2025-13-01", "31/12/2025"]),
)


def field_value(name):
    """A value for one field: mostly its own choices or plausible numbers, often garbage."""
    field = Assessment._meta.get_field(name)
    own = (
        st.sampled_from([value for value, _ in field.choices])
        if field.choices
        else st.floats(min_value=0, max_value=200, allow_nan=False).map(lambda x: f"{x:.3g}")
    )
    single = st.one_of(own, own, own, nasty_text)
    # A list is a field sent several times (a wrong type for every one of them).
    return st.one_of(single, st.lists(single, min_size=2, max_size=3))


def step_post(step):
    """A post of the step, as changes to what the page shows: a few fields changed (often to
    garbage), some left out, extra fields, and the version and action."""
    changes = st.lists(st.sampled_from(step.fields), unique=True, max_size=3).flatmap(
        lambda names: st.fixed_dictionaries({name: field_value(name) for name in names})
    )
    some_fields = st.lists(st.sampled_from(step.fields), max_size=2)
    missing = st.one_of(st.just(()), st.just(()), some_fields)
    extras = st.dictionaries(
        st.sampled_from(["id", "owner", "status", "signed_at", "completed_steps", "zzz", "\x00"]),
        nasty_text,
        max_size=2,
    )
    version = st.one_of(
        st.just("current"),
        st.just("current"),
        st.just("current"),
        st.just("missing"),
        st.just("stale"),
        nasty_text,
    )
    action = st.sampled_from(["continue", "draft", "back", "", "\x00", "summary"])
    return st.tuples(changes, missing, extras, version, action)


def shown(value) -> str:
    """A stored value as the page's form sends it back."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def row(assessment):
    return Assessment.objects.values().get(pk=assessment.pk)


@pytest.fixture
def signed_in(db):
    physician = make_physician("fuzz")
    browser = Client()
    browser.force_login(physician)
    return physician, browser


def encode(data):
    """Form-encode `data` (a list value is a field sent several times)."""
    return urlencode(data, doseq=True)


@pytest.mark.parametrize("step", [pytest.param(step, id=step.slug) for step in STEPS])
def test_random_posts_to_a_step_never_break_it(signed_in, step):
    physician, browser = signed_in
    assessment = make_assessment(physician, patient_reference="MRN-FUZZ", sex="female")
    url = reverse("assessment:step", args=[assessment.pk, step.slug])

    @FUZZ
    @given(post=step_post(step))
    def check(post):
        changes, missing, extras, version, action = post
        before = row(assessment)
        data = {name: shown(before[name]) for name in step.fields if name not in missing}
        data = {**extras, **data, **changes, "action": action}
        if version == "current":
            data["version"] = str(before["version"])
        elif version == "stale":
            data["version"] = str(before["version"] - 1)
        elif version != "missing":
            data["version"] = version
        body = encode(data)
        # What the view's form will make of the post, judged against the row as it is now.
        form = FORMS[step.slug](
            QueryDict(body), instance=Assessment.objects.get(pk=assessment.pk), step=step
        )
        valid = form.is_valid()

        response = browser.post(url, body, content_type="application/x-www-form-urlencoded")

        assert response.status_code < 500
        event(f"status {response.status_code}")
        after = row(assessment)
        if response.status_code != 302:
            assert response.status_code in (400, 409), response.status_code
            assert after == before
            if not valid:
                assert response.status_code == 400
            return
        assert valid
        assert form.cleaned_data["version"] == before["version"]
        assert after["version"] == before["version"] + 1
        sex = after["sex"]
        for name, value in before.items():
            if name in RECOMPUTED:
                continue
            if name in SEX_SPECIFIC_KEYS:
                applies = sex == "unknown" or SEX_SPECIFIC_KEYS[name] == sex
                assert (after[name] == "not_applicable") == (not applies), name
                if not applies:
                    continue
            # A "not applicable" that only the previous sex made is reopened; one chosen stays.
            made_by_sex = before["sex"] != "unknown" and SEX_SPECIFIC_KEYS.get(name) not in (
                None,
                before["sex"],
            )
            if name in step.fields and not form.fields[name].disabled:
                assert after[name] == form.cleaned_data[name], name
            elif made_by_sex and value == "not_applicable":
                assert after[name] == "unknown", name
            else:
                assert after[name] == value, name
        services.evaluate_assessment(Assessment.objects.get(pk=assessment.pk))

    check()


def test_a_nul_in_the_patient_reference_is_refused_with_an_error(signed_in):
    physician, browser = signed_in
    assessment = make_assessment(physician, patient_reference="MRN-NUL")
    url = reverse("assessment:step", args=[assessment.pk, "patient"])
    data = {
        "patient_reference": "MRN\x00-1",
        "assessment_date": "2025-03-14",
        "sex": "unknown",
        "version": str(assessment.version),
        "action": "continue",
    }

    response = browser.post(url, data)

    assert response.status_code == 400
    assert (
        "Null characters are not allowed." in response.context["form"].errors["patient_reference"]
    )
    assert Assessment.objects.get(pk=assessment.pk).patient_reference == "MRN-NUL"


def test_a_nul_in_a_new_assessments_reference_is_refused(signed_in):
    _, browser = signed_in
    data = {"patient_reference": "\x00", "assessment_date": "2025-03-14", "action": "continue"}

    response = browser.post(reverse("assessment:new"), data)

    assert response.status_code == 400
    assert not Assessment.objects.exists()


@FUZZ
@given(query=nasty_text)
def test_any_search_answers(signed_in, query):
    _, browser = signed_in

    response = browser.get(reverse("assessment:list"), {"q": query, "page": query})

    assert response.status_code == 200


def test_a_withdrawal_reason_with_a_nul_is_refused(signed_in):
    physician, browser = signed_in
    assessment = make_assessment(physician)
    url = reverse("assessment:withdraw", args=[assessment.pk])

    response = browser.post(url, {"reason": "entered\x00twice"}, follow=True)

    assert response.status_code == 200
    assert b"NUL character" in response.content
    assert Assessment.objects.get(pk=assessment.pk).withdrawn_at is None


# The criteria engine's document input, as `manage.py evaluate` reads it

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
finding_value = st.one_of(
    json_values,
    st.sampled_from(["yes", "no", "unknown", "positive", "negative", "lambda", "pg/mL"]),
    st.floats(min_value=-10, max_value=5000),
)
findings = st.dictionaries(st.sampled_from(sorted(FINDINGS)), finding_value, max_size=12)
documents = st.one_of(
    json_values,
    findings,
    st.fixed_dictionaries({"id": json_values, "findings": findings}),
    st.lists(st.one_of(findings, st.fixed_dictionaries({"findings": findings})), max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(document=documents)
def test_evaluate_document_returns_or_refuses(document):
    try:
        result = evaluate_document(document)
    except DocumentError as error:
        assert error.lines
    else:
        assert isinstance(result, list if isinstance(document, list) else dict)
        json.dumps(result)


@pytest.mark.parametrize(
    "stdin",
    [
        pytest.param("[" * 100_000, id="nested-too-deeply"),
        pytest.param('{"pn_present": NaN, "age_years": Infinity}', id="nan-and-infinity"),
        pytest.param('{"age_years": 1e999, "vegf_value": -1}', id="huge-and-negative"),
        pytest.param('{"id": "\\udc80", "findings": {"x\\u0000": 1}}', id="surrogate-and-nul"),
        pytest.param('[{"findings": []}, 3, "yes", null]', id="wrong-types"),
        pytest.param("\x00\x01 not json", id="not-json"),
        pytest.param('{"pn_present": "yes"}', id="valid"),
    ],
)
def test_the_evaluate_command_exits_0_or_2_without_a_traceback(stdin):
    completed = subprocess.run(
        [sys.executable, "manage.py", "evaluate", "-"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=os.environ,
        timeout=60,
    )

    assert completed.returncode in (0, 2), completed.stderr[-2000:]
    assert "Traceback" not in completed.stderr
    if completed.returncode == 0:
        json.loads(completed.stdout)
    else:
        assert completed.stdout == ""
