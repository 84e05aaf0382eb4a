"""The live verdict: a step's current inputs evaluated over the saved findings, nothing saved."""

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Assessment, AssessmentEvent
from tests.assessment_helpers import make_assessment, step_post_data
from tests.criteria.vignettes import VIGNETTES

pytestmark = pytest.mark.django_db

V23 = next(v for v in VIGNETTES if v["id"] == "V23")  # indeterminate on a borderline VEGF


@pytest.fixture
def signed_in(physician):
    client = Client()
    client.force_login(physician)
    return client


@pytest.fixture
def v23(physician):
    return make_assessment(physician, patient_reference="MRN-V23", **V23["findings"])


def live(client, assessment, slug, **changes):
    page = reverse("assessment:step", args=[assessment.pk, slug])
    data = step_post_data(client, page, **changes)
    return client.post(reverse("assessment:live", args=[assessment.pk, slug]), data)


def test_it_evaluates_the_steps_inputs_over_the_saved_findings(signed_in, v23):
    response = live(signed_in, v23, "other", vegf_value="2500")

    assert response.status_code == 200
    answer = response.json()
    assert answer["primary"] == {"result": "meets", "label": "Meets"}
    assert [(s["key"], s["result"]) for s in answer["sets"]] == [
        ("dispenzieri_updated_2007_imwg2014", "meets"),
        ("japan_mhlw_2015", "definite"),
        ("dispenzieri_2003", "meets"),
        ("bardwick_1980_acronym", "meets"),
    ]
    assert answer["missing"] == 0
    assert answer["problems"] == []


def test_it_saves_nothing(signed_in, v23):
    events = AssessmentEvent.objects.count()

    live(signed_in, v23, "other", vegf_value="2500")

    saved = Assessment.objects.get(pk=v23.pk)
    assert (saved.vegf_value, saved.primary_verdict, saved.version) == (
        1200,
        "indeterminate",
        v23.version,
    )
    assert AssessmentEvent.objects.count() == events


def test_it_counts_the_missing_items(signed_in, physician):
    empty = make_assessment(physician, patient_reference="MRN-EMPTY")

    answer = live(signed_in, empty, "neuropathy", pn_present="yes").json()

    assert answer["primary"]["result"] == "indeterminate"
    assert answer["missing"] > 0


def test_it_shows_the_engines_message_for_contradictory_inputs(signed_in, physician):
    case = make_assessment(physician, patient_reference="MRN-C", lymphadenopathy="no")

    answer = live(signed_in, case, "organomegaly", lymph_node_histology="reactive").json()

    assert "primary" not in answer
    assert answer["problems"] == [
        "Lymph node histology is recorded but lymphadenopathy is No (allowed: lymphadenopathy "
        "Yes, or lymph node histology Not done or Not assessed)"
    ]


def test_it_applies_the_sex_as_a_save_would(signed_in, physician):
    # Amenorrhoea recorded "no" becomes not applicable for a man: the same result as a save.
    case = make_assessment(physician, patient_reference="MRN-S", endo_amenorrhea="no")

    answer = live(signed_in, case, "patient", sex="male").json()

    assert answer["problems"] == []


def test_a_new_assessment_has_one_too(signed_in):
    data = step_post_data(signed_in, reverse("assessment:new"), age_years="15")

    answer = signed_in.post(reverse("assessment:new_live"), data).json()

    assert answer["primary"]["result"] == "indeterminate"
    assert not Assessment.objects.exists()


def test_it_rejects_another_physician(v23, other_physician):
    client = Client()
    client.force_login(other_physician)

    response = client.post(reverse("assessment:live", args=[v23.pk, "other"]), {})

    assert response.status_code == 404


def test_it_needs_the_pages_csrf_token(physician, v23):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(physician)
    page = reverse("assessment:step", args=[v23.pk, "other"])
    data = step_post_data(browser, page)
    data.pop("csrfmiddlewaretoken", None)

    response = browser.post(reverse("assessment:live", args=[v23.pk, "other"]), data)

    assert response.status_code == 403


def test_it_answers_only_posts(signed_in, v23):
    assert signed_in.get(reverse("assessment:live", args=[v23.pk, "other"])).status_code == 405


def test_an_unknown_step_is_a_404(signed_in, v23):
    response = signed_in.post(reverse("assessment:live", args=[v23.pk, "nowhere"]), {})

    assert response.status_code == 404


def test_the_step_page_shows_the_saved_verdict_before_any_script_runs(signed_in, v23):
    page = signed_in.get(reverse("assessment:step", args=[v23.pk, "other"])).content.decode()

    assert 'data-live="primary" data-result="indeterminate">Indeterminate</strong>' in page
    assert f'data-live-url="{reverse("assessment:live", args=[v23.pk, "other"])}"' in page
