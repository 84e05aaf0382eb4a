"""The JSON API, /api/v1/: evaluation, the caller's assessments, tokens, errors, the document."""

import datetime
import io
import json

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_openapi
from pypdf import PdfReader

from api import tokens
from api.models import ApiToken, ApiTokenEvent
from api.schemas import EvaluationOut
from assessment import services
from assessment.criteria import evaluate_document
from assessment.models import AccessEvent, Assessment, AssessmentEvent
from assessment.steps import STEPS
from followup.engine import evaluate as evaluate_follow_up
from followup.models import FollowUpVisit
from followup.services import add_visit
from tests.assessment_helpers import make_assessment

from .criteria.vignettes import VIGNETTES
from .followup.cases import CASES as FOLLOW_UP_CASES

pytestmark = pytest.mark.django_db

V01 = next(v for v in VIGNETTES if v["id"] == "V01")


def token_of(owner, scope=ApiToken.Scope.READ_WRITE, days=30, name="registry script"):
    return tokens.create_token(owner, name, scope, days)


def caller(text):
    """A client that sends `text` as its bearer token, and no cookie."""
    return Client(headers={"Authorization": f"Bearer {text}"})


@pytest.fixture
def api(physician):
    return caller(token_of(physician)[1])


def post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body
    for entry in body["errors"]:
        assert isinstance(entry["keys"], list) and isinstance(entry["message"], str), entry
    return body["errors"]


def complete(owner):
    assessment = make_assessment(owner, **V01["findings"])
    assessment.completed_steps = [step.slug for step in STEPS]
    return services.record(assessment)


# Evaluation


def test_evaluate_gives_the_contract_output_for_every_vignette(api):
    response = post(api, "/api/v1/evaluate", VIGNETTES)

    assert response.status_code == 200
    evaluations = response.json()
    # The same serialisation as `manage.py evaluate`, through JSON.
    assert evaluations == json.loads(json.dumps(evaluate_document(VIGNETTES)))
    for vignette, evaluation in zip(VIGNETTES, evaluations, strict=True):
        assert evaluation["id"] == vignette["id"]
        for key, expected in vignette["expected_outcomes"].items():
            result = evaluation["criteria_sets"][key]
            assert result["result"] == expected["result"]
            assert result["could_upgrade_to"] == expected.get("could_upgrade_to")
            assert set(result["missing"]) == set(expected["missing"])
        assert {w["id"] for w in evaluation["warnings"]} == {
            w["id"] for w in vignette["expected_warnings"]
        }


def test_the_documented_evaluation_schema_holds_every_vignettes_output():
    for evaluation in evaluate_document(VIGNETTES):
        EvaluationOut.model_validate(evaluation)


def test_evaluate_takes_one_findings_object_and_stores_nothing(api):
    response = post(api, "/api/v1/evaluate", V01["findings"])

    assert response.status_code == 200
    assert response.json()["id"] is None
    assert set(response.json()["criteria_sets"]) == {
        "bardwick_1980_acronym",
        "dispenzieri_2003",
        "dispenzieri_updated_2007_imwg2014",
        "japan_mhlw_2015",
    }
    assert not Assessment.objects.exists()


def test_evaluate_refuses_invalid_findings_naming_the_engines_keys(api):
    response = post(
        api,
        "/api/v1/evaluate",
        [{"pn_present": "maybe"}, {"id": "X", "findings": {"no_such_finding": "yes"}}],
    )

    errors = assert_error_shape(response, 400)
    assert errors[0]["keys"] == ["pn_present"] and errors[0]["case"] == 0
    assert "allowed" in errors[0]["message"]
    assert errors[1] == {**errors[1], "keys": ["no_such_finding"], "case": 1, "id": "X"}


def test_a_method_an_endpoint_does_not_take_is_a_405_in_the_same_shape(api):
    response = api.get("/api/v1/evaluate")

    assert_error_shape(response, 405)
    assert response["Allow"] == "POST"


def test_evaluate_refuses_a_body_that_is_not_json(api):
    response = api.post("/api/v1/evaluate", b"{not json", content_type="application/json")

    assert_error_shape(response, 400)


# Tokens


def test_it_refuses_a_request_without_a_token_or_session():
    response = post(Client(), "/api/v1/evaluate", {})

    errors = assert_error_shape(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"
    assert errors[0]["keys"] == []


def test_only_a_hash_and_a_prefix_of_the_token_are_stored(physician):
    token, text = token_of(physician)

    stored = ApiToken.objects.get(pk=token.pk)
    assert text.startswith(f"poems_{stored.prefix}_")
    assert text not in {getattr(stored, f.attname) for f in ApiToken._meta.fields}
    assert len(stored.secret_sha256) == 64


def test_it_refuses_a_revoked_token(physician):
    token, text = token_of(physician)
    tokens.revoke_token(token)

    assert_error_shape(caller(text).get("/api/v1/assessments"), 401)


def test_it_refuses_an_expired_token(physician):
    token, text = token_of(physician)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())

    assert_error_shape(caller(text).get("/api/v1/assessments"), 401)


def test_it_refuses_the_token_of_a_deactivated_physician(physician):
    _, text = token_of(physician)
    physician.is_active = False
    physician.save()

    assert_error_shape(caller(text).get("/api/v1/assessments"), 401)


def test_it_refuses_a_token_that_is_one_character_off(physician):
    _, text = token_of(physician)
    wrong = text[:-1] + ("A" if text[-1] != "A" else "B")

    assert_error_shape(caller(wrong).get("/api/v1/assessments"), 401)


def test_a_read_token_reads_but_cannot_write(physician):
    assessment = make_assessment(physician)
    reader = caller(token_of(physician, ApiToken.Scope.READ)[1])

    read = reader.get(f"/api/v1/assessments/{assessment.pk}")
    created = post(reader, "/api/v1/assessments", {"patient_reference": "MRN-2"})
    changed = patch(
        reader,
        f"/api/v1/assessments/{assessment.pk}/findings",
        {"version": assessment.version, "findings": {"pn_present": "yes"}},
    )

    assert read.status_code == 200
    assert_error_shape(created, 403)
    assert_error_shape(changed, 403)
    assert Assessment.objects.count() == 1
    assessment.refresh_from_db()
    assert assessment.pn_present == "unknown"


# Assessments


def test_it_lists_only_the_token_owners_assessments(api, physician, other_physician):
    mine = make_assessment(physician, patient_reference="MRN-MINE")
    make_assessment(other_physician, patient_reference="MRN-THEIRS")

    response = api.get("/api/v1/assessments")

    assert response.status_code == 200
    assert [a["id"] for a in response.json()] == [str(mine.pk)]


def test_it_refuses_a_page_past_its_bounds_naming_the_parameter(api):
    errors = assert_error_shape(api.get("/api/v1/assessments?offset=-1&limit=1000"), 422)

    assert [e["keys"] for e in errors] == [["offset"], ["limit"]]


def test_it_creates_an_assessment_evaluated_by_the_engine(api, physician):
    response = post(
        api,
        "/api/v1/assessments",
        {"patient_reference": "MRN-NEW", "findings": V01["findings"], "complete": True},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assessment = Assessment.objects.get(pk=body["id"])
    assert assessment.owner == physician and assessment.status == "complete"
    assert body["version"] == 1
    assert body["primary_verdict"] == services.evaluate_assessment(assessment).primary.result
    assert body["findings"] == services.findings_of(assessment)


def test_it_refuses_to_create_an_assessment_with_invalid_findings_and_saves_nothing(api):
    response = post(
        api,
        "/api/v1/assessments",
        {"patient_reference": "MRN-X", "findings": {"platelets_10e9_l": "many"}},
    )

    errors = assert_error_shape(response, 400)
    assert errors[0]["keys"] == ["platelets_10e9_l"]
    assert not Assessment.objects.exists()


def test_it_refuses_a_patient_reference_with_a_line_break(api):
    response = post(api, "/api/v1/assessments", {"patient_reference": "MRN\n1"})

    errors = assert_error_shape(response, 422)
    assert errors[0]["keys"] == ["patient_reference"]


def test_it_updates_findings_and_bumps_the_version(api, physician):
    assessment = make_assessment(physician)
    read = assessment.version

    response = patch(
        api,
        f"/api/v1/assessments/{assessment.pk}/findings",
        {"version": read, "findings": {"pn_present": "yes", "platelets_10e9_l": 520}},
    )

    assert response.status_code == 200, response.content
    assessment.refresh_from_db()
    assert (assessment.pn_present, assessment.platelets_10e9_l) == ("yes", 520.0)
    assert response.json()["version"] == assessment.version == read + 1


def test_a_stale_version_is_a_409_and_saves_nothing(api, physician):
    assessment = make_assessment(physician)
    services.save_findings(assessment, {"pn_present": "no"}, seen_version=assessment.version)

    response = patch(
        api,
        f"/api/v1/assessments/{assessment.pk}/findings",
        {"version": assessment.version, "findings": {"pn_present": "yes"}},
    )

    errors = assert_error_shape(response, 409)
    assert errors[0]["keys"] == ["version"]
    assessment.refresh_from_db()
    assert assessment.pn_present == "no"


def test_a_signed_assessment_refuses_changes(api, physician):
    assessment = services.sign(complete(physician), physician)

    response = patch(
        api,
        f"/api/v1/assessments/{assessment.pk}/findings",
        {"version": assessment.version, "findings": {"pn_present": "no"}},
    )

    assert_error_shape(response, 403)
    assessment.refresh_from_db()
    assert assessment.pn_present == "yes"


def test_another_physicians_assessment_is_a_404_on_every_endpoint(api, other_physician):
    theirs = make_assessment(other_physician)
    base = f"/api/v1/assessments/{theirs.pk}"

    responses = [
        api.get(base),
        api.get(f"{base}/evaluation"),
        api.get(f"{base}/pdf"),
        api.get(f"{base}/course"),
        patch(
            api, f"{base}/findings", {"version": theirs.version, "findings": {"pn_present": "no"}}
        ),
    ]

    for response in responses:
        assert_error_shape(response, 404)
    before = theirs.version
    theirs.refresh_from_db()
    assert theirs.version == before and theirs.pn_present == "unknown"
    assert not AccessEvent.objects.exists()


def test_the_evaluation_of_an_assessment_is_the_contract_output(api, physician):
    assessment = complete(physician)

    response = api.get(f"/api/v1/assessments/{assessment.pk}/evaluation")

    assert response.status_code == 200
    expected = services.evaluate_assessment(assessment).as_contract()
    assert response.json() == json.loads(json.dumps(expected))


def test_it_downloads_the_pdf_and_records_the_access(api, physician):
    assessment = complete(physician)

    response = api.get(f"/api/v1/assessments/{assessment.pk}/pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert assessment.patient_reference in text
    assert AccessEvent.objects.filter(assessment=assessment, kind="pdf", user=physician).exists()


def test_every_write_names_the_token_in_the_audit_trail(physician):
    token, text = token_of(physician, name="EHR bridge")

    response = post(caller(text), "/api/v1/assessments", {"patient_reference": "MRN-AUDIT"})

    event = AssessmentEvent.objects.get(pgh_obj_id=response.json()["id"])
    metadata = event.pgh_context.metadata
    assert metadata["api_token"] == str(token) and metadata["api_token_id"] == token.pk
    assert metadata["user"] == physician.pk


# The browser's session


def test_the_session_reads_and_its_writes_need_the_csrf_token(physician):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(physician)

    read = browser.get("/api/v1/assessments")
    write = post(browser, "/api/v1/assessments", {"patient_reference": "MRN-S"})

    assert read.status_code == 200
    assert_error_shape(write, 403)
    assert not Assessment.objects.exists()


# Throttling


@override_settings(API_RATE="3/min")
def test_it_throttles_a_physician_past_the_rate(physician):
    client = caller(token_of(physician)[1])

    statuses = [client.get("/api/v1/assessments").status_code for _ in range(4)]
    # Another token of the same physician shares the count.
    other = caller(token_of(physician, name="second")[1]).get("/api/v1/assessments")

    assert statuses == [200, 200, 200, 429]
    assert_error_shape(other, 429)
    assert int(other["Retry-After"]) > 0


# Bad input


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=JSON | st.dictionaries(st.sampled_from(sorted(V01["findings"])), JSON, max_size=5))
def test_no_json_body_makes_a_500(api, physician, body):
    assessment = Assessment.objects.filter(owner=physician).first() or make_assessment(physician)
    text = json.dumps(body)

    responses = [
        api.post("/api/v1/evaluate", text, content_type="application/json"),
        api.post("/api/v1/assessments", text, content_type="application/json"),
        api.patch(
            f"/api/v1/assessments/{assessment.pk}/findings", text, content_type="application/json"
        ),
        post(api, "/api/v1/assessments", {"patient_reference": "MRN-F", "findings": body}),
        patch(
            api, f"/api/v1/assessments/{assessment.pk}/findings", {"version": 1, "findings": body}
        ),
    ]

    for response in responses:
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert_error_shape(response, response.status_code)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_no_raw_body_makes_a_500(api, raw):
    for url in ("/api/v1/evaluate", "/api/v1/assessments"):
        response = api.post(url, raw, content_type="application/json")
        assert response.status_code < 500, response.content


def test_an_integer_past_any_float_is_refused_not_a_500(api):
    response = post(api, "/api/v1/evaluate", {"platelets_10e9_l": 10**400})

    errors = assert_error_shape(response, 400)
    assert errors[0]["keys"] == ["platelets_10e9_l"] and "too large" in errors[0]["message"]


def test_a_huge_body_is_refused_not_read(api):
    body = json.dumps([{"pn_present": "yes"}] * 200_000)

    response = api.post("/api/v1/evaluate", body, content_type="application/json")

    assert_error_shape(response, 413)


def test_a_deeply_nested_body_is_refused(api):
    response = api.post("/api/v1/evaluate", "[" * 100_000, content_type="application/json")

    assert_error_shape(response, 400)


# The document


def test_the_openapi_document_is_valid_openapi_3(physician):
    browser = Client()
    browser.force_login(physician)

    document = browser.get("/api/v1/openapi.json").json()

    validate_openapi(document)
    assert document["openapi"].startswith("3.")
    assert {"/api/v1/evaluate", "/api/v1/assessments"} <= set(document["paths"])


def test_the_docs_page_loads_its_assets_from_this_site(physician):
    browser = Client()
    browser.force_login(physician)

    page = browser.get("/api/v1/docs").content.decode()

    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "http" not in page.split("<body", 1)[1].split("swagger-settings")[0]


# The admin


def test_an_admin_with_the_change_permission_revokes_a_token(physician, admin_client):
    token, text = token_of(physician)

    response = admin_client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    assert tokens.token_for(text) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_staff_without_the_change_permission_cannot_revoke_a_token(physician, client):
    from django.contrib.auth.models import Permission

    token, text = token_of(physician)
    staff = physician.__class__.objects.create_user("viewer", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename="view_apitoken"))
    client.force_login(staff)

    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})

    assert tokens.token_for(text) == token


# The account page


def test_the_account_page_shows_a_new_token_once_and_audits_it_without_its_hash(client, physician):
    client.force_login(physician)

    created = client.post(
        "/account/tokens/", {"name": "Registry", "scope": "read", "days": "30"}
    ).content.decode()
    token = ApiToken.objects.get(owner=physician)
    text = created.split('id="new-token-text"')[0].rsplit('value="', 1)[1].split('"')[0]
    later = client.get("/account/").content.decode()

    assert tokens.token_for(text) == token and not token.can_write
    assert text not in later and f"poems_{token.prefix}_" in later
    event = ApiTokenEvent.objects.get(pgh_obj=token)
    assert event.pgh_context.metadata["user"] == physician.pk
    assert not hasattr(event, "secret_sha256")
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)


def test_the_account_page_refuses_a_token_without_a_name(client, physician):
    client.force_login(physician)

    response = client.post("/account/tokens/", {"name": "", "scope": "read", "days": "30"})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


# Follow-up


def test_the_course_gives_the_recorded_visits_and_the_follow_up_engines_figures(api, physician):
    baseline = next(case for case in FOLLOW_UP_CASES if case["id"] == "FU04")["inputs"]
    assessment = make_assessment(physician, **baseline["baseline"])
    for visit in baseline["visits"]:
        add_visit(FollowUpVisit(assessment=assessment, **visit_fields(visit)))

    response = api.get(f"/api/v1/assessments/{assessment.pk}/course")

    assert response.status_code == 200, response.content
    body = response.json()
    assert [visit["visit_date"] for visit in body["visits"]] == [
        visit["visit_date"] for visit in baseline["visits"]
    ]
    expected = evaluate_follow_up(
        {"baseline": services.findings_of(assessment), "visits": baseline["visits"]},
        str(assessment.pk),
    )
    assert body["course"] == json.loads(json.dumps(expected))


def test_a_course_the_follow_up_engine_refuses_is_a_409_naming_the_keys(api, physician):
    # Stored as an older form let it through: a pressure from an echo recorded as not done.
    assessment = make_assessment(physician, echo_done="no", echo_spap_mmhg=40)

    response = api.get(f"/api/v1/assessments/{assessment.pk}/course")

    [error] = assert_error_shape(response, 409)
    assert set(error["keys"]) == {"echo_done", "echo_spap_mmhg"}


def visit_fields(visit: dict) -> dict:
    """A follow-up case's visit as the model's fields."""
    return visit | {"visit_date": datetime.date.fromisoformat(visit["visit_date"])}
