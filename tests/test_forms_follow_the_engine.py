"""One validation, no second opinion: the forms refuse exactly what the engine refuses.

Findings are drawn from the engine's catalogue (every key, the edges of every threshold, the
sex-dependent keys). What the engine accepts is posted through the step forms, a step at a
time as a physician would, and through the admin's change form: it is saved and read back
equal. What the engine refuses is refused, each problem beside the fields the engine names, in
the screen's words, and nothing is saved.

The app records the other sex's items as "not applicable" (their fields are disabled once the
sex is known), so the findings drawn for a known sex hold exactly that for them; a sex that
contradicts one of them is refused by the engine, tested in test_assessment_steps.py.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assessment import services
from assessment.admin import STEP_FIELDS
from assessment.criteria import CATALOGUE, FINDINGS, FindingsError
from assessment.criteria.findings import SEX_SPECIFIC_KEYS, Kind
from assessment.models import Assessment
from assessment.steps import STEPS
from assessment.wording import problem_text, say
from followup.engine import parse_baseline as parse_findings
from followup.engine import staging_problems
from tests.assessment_helpers import make_assessment, make_physician
from tests.criteria.strategies import NUMBERS, valid_findings

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


def as_the_app_records(findings: dict) -> dict:
    """The other sex's items as the app records them once the sex is known: not applicable."""
    sex = findings.get("sex")
    if sex is None:
        return findings
    other = {key: "not_applicable" for key, applies in SEX_SPECIFIC_KEYS.items() if applies != sex}
    return {**findings, **other}


def without_staging_contradictions(findings):
    """Unknown the first key of each staging contradiction (followup.md 3.3) until none is left."""
    findings = dict(findings)
    while problems := staging_problems(findings):
        for problem in problems:
            findings.pop(problem.keys[0], None)
    return findings


def accepted_findings():
    return valid_findings().map(without_staging_contradictions).map(as_the_app_records)


# Reports a physician enters that an earlier form refused (revision 2's issue).
REPORTS = [
    {"vegf_value": 150.0, "vegf_unit": "pg/mL"},
    {"vegf_qualitative": "elevated", "vegf_sample": "serum"},
    {
        "vegf_multiple_of_uln": 3.0,
        "vegf_sample": "plasma",
        "vegf_lab_uln": 96.2,
        "vegf_unit": "pg/mL",
    },
    {"sex": "male", "endo_gynecomastia": "not_applicable", "endo_amenorrhea": "not_applicable"},
]


def with_reports(test):
    for report in REPORTS:
        test = example(findings=report)(test)
    return test


# Refused findings: any value of the right shape or not (negative, implausible, unit slips,
# unknown choices), in combinations that contradict each other.
def _any_value(finding):
    if finding.kind is Kind.TEXT:
        return st.sampled_from(["ECL, lab B", "x" * (finding.longest + 1)])
    if finding.kind is Kind.NUMBER:
        low, high, edges = NUMBERS[finding.key]
        return st.one_of(
            st.sampled_from([*edges, -1, 0, high * 1.01, 0.001, 200_000]),
            st.floats(-10, high * 2, allow_nan=False),
            st.sampled_from(["lots", "1,5", "nan"]),
        )
    return st.one_of(st.sampled_from(finding.choices), st.sampled_from(["maybe", "Yes", " "]))


@st.composite
def refused_findings(draw):
    keys = draw(st.lists(st.sampled_from(CATALOGUE), unique=True, min_size=1, max_size=14))
    raw = as_the_app_records({finding.key: draw(_any_value(finding)) for finding in keys})
    try:
        parse_findings(raw)
    except FindingsError:
        return raw
    assume(False)


def posted(value) -> str:
    """A finding's value as the page's form sends it: numbers as typed, unknown as nothing."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def form_value(name, findings):
    if name in findings:
        return posted(findings[name])
    return "" if FINDINGS[name].kind in (Kind.NUMBER, Kind.TEXT) else "unknown"


def other_field(assessment, name) -> str:
    """The patient reference and the date, as the page shows them."""
    value = getattr(assessment, name)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def step_data(assessment, step, findings):
    """What a browser posts from a step: every enabled field (disabled ones are not sent)."""
    disabled = services.not_applicable_for_sex(assessment)
    data = {"version": str(assessment.version), "action": "continue"}
    for name in step.fields:
        if name not in FINDINGS:
            data[name] = other_field(assessment, name)
        elif name not in disabled:
            data[name] = form_value(name, findings)
    return data


def prefix(findings, steps):
    """The findings of the given steps only: what has been posted so far."""
    names = {name for step in steps for name in step.fields}
    return {key: value for key, value in findings.items() if key in names}


@pytest.fixture
def physician_browser(db):
    physician = make_physician("property")
    browser = Client()
    browser.force_login(physician)
    return physician, browser


def post(browser, url, data):
    return browser.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def assert_refused_as_the_engine_says(response, findings, fields):
    """A 400 (or the admin's page again), each engine problem beside the fields it names."""
    form = response.context.get("form") or response.context["adminform"].form
    with pytest.raises(FindingsError) as refused:
        parse_findings(findings)
    for problem in refused.value.problems:
        here = [key for key in problem.keys if key in fields]
        text = problem_text(problem)
        if not here:
            assert any(text in error for error in form.non_field_errors()), text
        for key in here:
            assert any(error.startswith(text) for error in form.errors[key]), (key, text)
            for elsewhere in set(problem.keys) - set(fields):
                assert any(say(elsewhere, None) in error for error in form.errors[key])
    findings_named = {key for problem in refused.value.problems for key in problem.keys}
    assert set(form.errors) - {"__all__"} <= findings_named


def test_whatever_the_engine_accepts_can_be_entered_step_by_step(physician_browser):
    physician, browser = physician_browser

    @PROPERTY
    @with_reports
    @given(findings=accepted_findings())
    def check(findings):
        assessment = make_assessment(physician, patient_reference="MRN-PROP")
        for step in STEPS:
            url = reverse("assessment:step", args=[assessment.pk, step.slug])
            response = post(browser, url, step_data(assessment, step, findings))
            assert response.status_code == 302, (step.slug, response.context["form"].errors)
            assessment.refresh_from_db()

        assert services.findings_of(assessment) == parse_findings(findings).known()
        assert assessment.status == Assessment.Status.COMPLETE

    check()


def test_whatever_the_engine_refuses_is_refused_at_the_step_that_completes_it(
    physician_browser,
):
    physician, browser = physician_browser

    @PROPERTY
    @given(findings=refused_findings())
    def check(findings):
        assessment = make_assessment(physician, patient_reference="MRN-PROP")
        for number, step in enumerate(STEPS, start=1):
            so_far = prefix(findings, STEPS[:number])
            url = reverse("assessment:step", args=[assessment.pk, step.slug])
            before = Assessment.objects.values().get(pk=assessment.pk)
            response = post(browser, url, step_data(assessment, step, findings))
            try:
                parse_findings(so_far)
            except FindingsError:
                assert response.status_code == 400
                assert_refused_as_the_engine_says(response, so_far, step.fields)
                assert Assessment.objects.values().get(pk=assessment.pk) == before
                return
            assert response.status_code == 302
            assessment.refresh_from_db()
        raise AssertionError("the engine refused the findings but no step did")

    check()


def admin_data(assessment, findings):
    """What a browser posts from the admin's change page of a case not yet signed."""
    data = {"version": str(assessment.version), "review_status": "unreviewed"}
    for name in STEP_FIELDS:
        if name in FINDINGS:
            data[name] = form_value(name, findings)
        else:
            data[name] = other_field(assessment, name)
    return data


@pytest.fixture
def admin_browser(admin_user):
    browser = Client()
    browser.force_login(admin_user)
    return admin_user, browser


def test_the_admin_saves_whatever_the_engine_accepts(admin_browser, physician):
    _, browser = admin_browser

    @PROPERTY
    @with_reports
    @given(findings=accepted_findings())
    def check(findings):
        assessment = make_assessment(physician, patient_reference="MRN-ADMIN")
        url = reverse("admin:assessment_assessment_change", args=[assessment.pk])

        response = post(browser, url, admin_data(assessment, findings))

        assert response.status_code == 302, response.context["adminform"].form.errors
        assessment.refresh_from_db()
        assert services.findings_of(assessment) == parse_findings(findings).known()

    check()


def test_the_admin_refuses_whatever_the_engine_refuses(admin_browser, physician):
    _, browser = admin_browser

    @PROPERTY
    @given(findings=refused_findings())
    def check(findings):
        assessment = make_assessment(physician, patient_reference="MRN-ADMIN")
        url = reverse("admin:assessment_assessment_change", args=[assessment.pk])
        before = Assessment.objects.values().get(pk=assessment.pk)

        response = post(browser, url, admin_data(assessment, findings))

        assert response.status_code == 200
        assert_refused_as_the_engine_says(response, findings, STEP_FIELDS)
        assert Assessment.objects.values().get(pk=assessment.pk) == before

    check()
