"""The guided assessment: one page per step, saved with Save and continue / Back / Save draft."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessment.models import Assessment
from assessment.steps import STEPS, STEPS_BY_SLUG
from tests.assessment_helpers import make_assessment, step_post_data

pytestmark = pytest.mark.django_db

# For each step, one change it accepts on its own: (field, value posted, value stored).
A_VALID_CHANGE = {
    "patient": ("age_years", "61", 61.0),
    "neuropathy": ("pn_present", "yes", "yes"),
    "organomegaly": ("hepatomegaly", "yes", "yes"),
    "endocrine": ("endo_hypogonadism", "yes", "yes"),
    "monoclonal": ("serum_ife", "positive", "positive"),
    "bone": ("bone_imaging", "ct_or_pet_ct", "ct_or_pet_ct"),
    "skin": ("skin_hyperpigmentation", "yes", "yes"),
    "other": ("papilledema", "yes", "yes"),
    "staging": ("egfr_ml_min_1_73m2", "85", 85.0),
}
EVERY_STEP = [pytest.param(step, id=step.slug) for step in STEPS]


def step_url(assessment, slug):
    return reverse("assessment:step", args=[assessment.pk, slug])


def summary_url(assessment):
    return reverse("assessment:summary", args=[assessment.pk])


def reloaded(assessment):
    return Assessment.objects.get(pk=assessment.pk)


class _Selected(HTMLParser):
    """The values a browser would show as chosen for one field: checked radios, selected options."""

    def __init__(self, name):
        super().__init__()
        self.name, self.in_select, self.values = name, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == self.name:
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.values.append(attrs["value"])
            else:
                self.values.append(attrs.get("value", ""))
        elif tag == "select":
            self.in_select = attrs.get("name") == self.name
        elif tag == "option" and self.in_select and "selected" in attrs:
            self.values.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self.in_select = False


def shown_value(response, name):
    parser = _Selected(name)
    parser.feed(response.content.decode())
    assert len(parser.values) == 1, (name, parser.values)
    return parser.values[0]


def field_is_disabled(response, name):
    class Inputs(HTMLParser):
        disabled = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag in ("input", "select") and attrs.get("name") == name:
                self.disabled.append("disabled" in attrs)

    parser = Inputs()
    parser.feed(response.content.decode())
    return bool(parser.disabled) and all(parser.disabled)


def state_of(response, slug):
    return dict((step.slug, state) for step, state in response.context["steps"])[slug]


@pytest.fixture
def assessment(physician):
    return make_assessment(physician, patient_reference="MRN-4711", sex="male")


@pytest.fixture
def signed_in(client, physician):
    client.force_login(physician)
    return client


def test_every_step_has_a_valid_change_here():
    assert set(A_VALID_CHANGE) == set(STEPS_BY_SLUG)


# Every step


@pytest.mark.parametrize("step", EVERY_STEP)
def test_it_shows_each_step_with_its_title_and_guidance(signed_in, assessment, step):
    response = signed_in.get(step_url(assessment, step.slug))

    assert response.status_code == 200
    assert response.context["step"] == step
    assert escape(step.title).encode() in response.content
    assert escape(step.guidance).encode() in response.content
    assert b"MRN-4711" in response.content


@pytest.mark.parametrize("step", EVERY_STEP)
def test_it_saves_each_step_and_goes_to_the_next(signed_in, assessment, step):
    field, posted, stored = A_VALID_CHANGE[step.slug]
    url = step_url(assessment, step.slug)
    data = step_post_data(signed_in, url, **{field: posted}, action="continue")

    response = signed_in.post(url, data)

    following = STEPS[STEPS.index(step) + 1] if step != STEPS[-1] else None
    expected = step_url(assessment, following.slug) if following else summary_url(assessment)
    assert response.status_code == 302
    assert response.url == expected
    saved = reloaded(assessment)
    assert getattr(saved, field) == stored
    assert saved.patient_reference == "MRN-4711"
    assert saved.version == assessment.version + 1
    assert step.slug in saved.completed_steps


@pytest.mark.parametrize("step", EVERY_STEP)
def test_it_hides_each_step_from_another_physician(signed_in, assessment, other_physician, step):
    field, posted, _ = A_VALID_CHANGE[step.slug]
    url = step_url(assessment, step.slug)
    data = step_post_data(signed_in, url, **{field: posted}, action="continue")
    intruder = Client()
    intruder.force_login(other_physician)

    assert intruder.get(url).status_code == 404
    assert intruder.post(url, data).status_code == 404

    saved = reloaded(assessment)
    assert getattr(saved, field) == getattr(assessment, field)
    assert saved.version == assessment.version
    assert saved.completed_steps == []


def test_it_refuses_an_unknown_step(signed_in, assessment):
    url = step_url(assessment, "kidneys")

    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"action": "continue"}).status_code == 404


def test_it_refuses_an_assessment_that_does_not_exist(signed_in):
    url = reverse("assessment:step", args=["5a1d4a5e-0000-4000-8000-000000000000", "patient"])

    assert signed_in.get(url).status_code == 404


# A new assessment


def test_opening_a_new_assessment_creates_nothing(signed_in):
    response = signed_in.get(reverse("assessment:new"))

    assert response.status_code == 200
    assert response.context["step"] == STEPS[0]
    assert escape(STEPS[0].guidance).encode() in response.content
    assert not Assessment.objects.exists()


def test_it_creates_an_assessment_for_the_physician_and_goes_to_neuropathy(signed_in, physician):
    url = reverse("assessment:new")
    data = step_post_data(signed_in, url, patient_reference="MRN-0042", action="continue")

    response = signed_in.post(url, data)

    created = Assessment.objects.get()
    assert created.owner == physician
    assert created.patient_reference == "MRN-0042"
    assert created.assessment_date == data["assessment_date"]
    assert created.completed_steps == ["patient"]
    assert created.status == Assessment.Status.DRAFT
    assert response.status_code == 302
    assert response.url == step_url(created, "neuropathy")


def test_it_refuses_a_new_assessment_without_a_patient_reference(signed_in):
    url = reverse("assessment:new")
    data = step_post_data(signed_in, url, patient_reference="", age_years="44", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 400
    assert "patient_reference" in response.context["form"].errors
    assert b"This field is required." in response.content
    assert shown_value(response, "age_years") == "44"
    assert not Assessment.objects.exists()


def test_it_refuses_a_new_assessment_without_a_date(signed_in):
    url = reverse("assessment:new")
    data = step_post_data(
        signed_in, url, patient_reference="MRN-0042", assessment_date="", action="continue"
    )

    response = signed_in.post(url, data)

    assert response.status_code == 400
    assert "assessment_date" in response.context["form"].errors
    assert not Assessment.objects.exists()


# What is refused is shown, with what was typed


def test_it_keeps_what_was_typed_when_findings_contradict_each_other(signed_in, physician):
    assessment = make_assessment(physician, lymphadenopathy="yes", hepatomegaly="no")
    url = step_url(assessment, "organomegaly")
    data = step_post_data(
        signed_in,
        url,
        hepatomegaly="yes",
        lymphadenopathy="no",
        lymph_node_histology="reactive",
        action="continue",
    )

    response = signed_in.post(url, data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "lymphadenopathy" in errors
    assert "lymph_node_histology" in errors
    assert b"Nothing on this page was saved" in response.content
    assert shown_value(response, "hepatomegaly") == "yes"
    assert shown_value(response, "lymphadenopathy") == "no"
    assert shown_value(response, "lymph_node_histology") == "reactive"
    saved = reloaded(assessment)
    assert (saved.hepatomegaly, saved.lymphadenopathy, saved.lymph_node_histology) == (
        "no",
        "yes",
        "unknown",
    )
    assert saved.version == assessment.version


def test_it_keeps_what_was_typed_when_a_value_is_refused(signed_in, physician):
    assessment = make_assessment(physician, platelets_10e9_l=300)
    url = step_url(assessment, "other")
    data = step_post_data(
        signed_in,
        url,
        platelets_10e9_l="lots",
        hemoglobin_g_dl="17.2",
        papilledema="yes",
        action="continue",
    )

    response = signed_in.post(url, data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["platelets_10e9_l"]
    assert errors["platelets_10e9_l"] == [
        "'lots' is not a number (allowed: 0 to 5000, or left empty)"
    ]
    assert b'id="id_platelets_10e9_l_error"' in response.content
    assert shown_value(response, "platelets_10e9_l") == "lots"
    assert shown_value(response, "hemoglobin_g_dl") == "17.2"
    assert shown_value(response, "papilledema") == "yes"
    saved = reloaded(assessment)
    assert (saved.platelets_10e9_l, saved.hemoglobin_g_dl, saved.papilledema) == (
        300,
        None,
        "unknown",
    )


def test_it_marks_a_refused_radio_group_for_sight_and_for_screen_readers(signed_in, assessment):
    url = step_url(assessment, "monoclonal")
    data = step_post_data(signed_in, url, serum_ife="bogus", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 400

    class Group(HTMLParser):
        describedby, radios, error_text, in_error = None, [], "", False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "fieldset" and "id_serum_ife_error" in attrs.get("aria-describedby", ""):
                self.describedby = attrs["aria-describedby"].split()
            elif tag == "input" and attrs.get("name") == "serum_ife":
                self.radios.append(attrs)
            elif attrs.get("id") == "id_serum_ife_error":
                self.in_error = True

        def handle_data(self, data):
            if self.in_error:
                self.error_text += data

        def handle_endtag(self, tag):
            if tag == "div":
                self.in_error = False

    group = Group()
    group.feed(response.content.decode())
    assert group.describedby == ["id_serum_ife_helptext", "id_serum_ife_error"]
    assert [radio["value"] for radio in group.radios] == [
        "unknown",
        "positive",
        "negative",
        "not_done",
    ]
    assert all("is-invalid" in radio["class"].split() for radio in group.radios)
    assert all(radio.get("aria-invalid") == "true" for radio in group.radios)
    assert "'bogus' is not allowed (allowed: Positive, Negative, Not done, Not assessed)" in (
        group.error_text
    )


def test_it_refuses_a_value_beyond_the_plausible_range(signed_in, assessment):
    url = step_url(assessment, "patient")
    data = step_post_data(signed_in, url, age_years="430", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 400
    assert "age_years" in response.context["form"].errors
    assert reloaded(assessment).age_years is None


def test_it_asks_for_the_unit_of_a_vegf_value(signed_in, assessment):
    url = step_url(assessment, "other")
    data = step_post_data(signed_in, url, vegf_value="350", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["vegf_unit"] == ["A VEGF value needs its VEGF unit (allowed: pg/mL, ng/L, ng/mL)"]
    assert list(errors) == ["vegf_value", "vegf_unit"]
    assert shown_value(response, "vegf_value") == "350"
    assert reloaded(assessment).vegf_value is None


def test_it_accepts_a_vegf_value_whose_sample_the_report_does_not_state(signed_in, assessment):
    url = step_url(assessment, "other")
    data = step_post_data(signed_in, url, vegf_value="350", vegf_unit="pg/mL", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 302
    saved = reloaded(assessment)
    assert (saved.vegf_value, saved.vegf_sample) == (350, "unknown")
    assert "W_VEGF_SAMPLE_UNKNOWN" in saved.warning_ids


def test_it_accepts_a_qualitative_vegf_with_its_sample(signed_in, assessment):
    url = step_url(assessment, "other")
    data = step_post_data(
        signed_in, url, vegf_qualitative="elevated", vegf_sample="serum", action="continue"
    )

    response = signed_in.post(url, data)

    assert response.status_code == 302
    saved = reloaded(assessment)
    assert (saved.vegf_qualitative, saved.vegf_sample, saved.vegf_value) == (
        "elevated",
        "serum",
        None,
    )
    assert "W_VEGF_QUALITATIVE_ONLY" in saved.warning_ids


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        (
            {"vegf_value": "0.35", "vegf_unit": "pg/mL"},
            "vegf_value",
            "VEGF 0.35 pg/mL is below every assay's detection limit. Was it ng/mL?",
        ),
        ({"sflc_ratio": "0"}, "sflc_ratio", "0 is not a possible serum FLC ratio (κ/λ)"),
        ({"mspike_g_dl": "30"}, "mspike_g_dl", "30 is implausible: was it g/L?"),
    ],
)
def test_it_refuses_a_unit_slip_naming_it_in_the_screens_words(
    signed_in, assessment, changes, field, says
):
    step = "monoclonal" if field in ("sflc_ratio", "mspike_g_dl") else "other"
    url = step_url(assessment, step)

    response = signed_in.post(url, step_post_data(signed_in, url, action="continue", **changes))

    assert response.status_code == 400
    [error] = response.context["form"].errors[field]
    assert error.startswith(says), error
    assert getattr(reloaded(assessment), field) is None


def test_its_messages_use_the_screens_words_not_the_engines_codes(signed_in, physician):
    assessment = make_assessment(physician, lymphadenopathy="no")
    url = step_url(assessment, "organomegaly")
    data = step_post_data(signed_in, url, lymph_node_histology="reactive", action="continue")

    response = signed_in.post(url, data)

    [error] = response.context["form"].errors["lymph_node_histology"]
    assert error == (
        "Lymph node histology is recorded but lymphadenopathy is No (allowed: lymphadenopathy "
        "Yes, or lymph node histology Not done or Not assessed)"
    )


def test_it_shows_every_vegf_input_at_once(signed_in, assessment):
    response = signed_in.get(step_url(assessment, "other"))

    page = response.content.decode()
    for name in (
        "vegf_value",
        "vegf_unit",
        "vegf_sample",
        "vegf_lab_uln",
        "vegf_multiple_of_uln",
        "vegf_qualitative",
    ):
        assert f'id="div_id_{name}"' in page
        assert f'<div id="div_id_{name}" class="mb-3" hidden' not in page
    assert "<legend>VEGF</legend>" in page.replace('<legend class="">', "<legend>")


def test_it_keeps_a_not_applicable_the_physician_chose_for_this_sex(signed_in, assessment):
    url = step_url(assessment, "endocrine")
    data = step_post_data(signed_in, url, endo_gynecomastia="not_applicable", action="continue")

    assert signed_in.post(url, data).status_code == 302
    assert reloaded(assessment).endo_gynecomastia == "not_applicable"
    patient = step_url(assessment, "patient")
    signed_in.post(patient, step_post_data(signed_in, patient, age_years="50", action="continue"))
    assert reloaded(assessment).endo_gynecomastia == "not_applicable"


def test_it_accepts_a_vegf_value_with_its_unit_and_sample(signed_in, assessment):
    url = step_url(assessment, "other")
    data = step_post_data(
        signed_in, url, vegf_value="350", vegf_unit="pg/mL", vegf_sample="plasma", action="draft"
    )

    response = signed_in.post(url, data)

    assert response.status_code == 302
    saved = reloaded(assessment)
    assert (saved.vegf_value, saved.vegf_unit, saved.vegf_sample) == (350, "pg/mL", "plasma")


def test_it_disables_amenorrhea_for_a_male_patient(signed_in, assessment):
    url = step_url(assessment, "endocrine")

    response = signed_in.get(url)

    assert field_is_disabled(response, "endo_amenorrhea")
    assert not field_is_disabled(response, "endo_gynecomastia")
    assert shown_value(response, "endo_amenorrhea") == "not_applicable"


def test_it_saves_amenorrhea_as_not_applicable_for_a_male_patient(signed_in, assessment):
    url = step_url(assessment, "endocrine")
    data = step_post_data(signed_in, url, endo_gynecomastia="yes", action="continue")
    data["endo_amenorrhea"] = "yes"  # a tampered post: the page sends nothing for it

    response = signed_in.post(url, data)

    assert response.status_code == 302
    saved = reloaded(assessment)
    assert saved.endo_amenorrhea == "not_applicable"
    assert saved.endo_gynecomastia == "yes"


def test_it_makes_the_other_sexs_unrecorded_items_not_applicable_when_the_sex_is_changed(
    signed_in, physician
):
    assessment = make_assessment(physician, sex="female", endo_amenorrhea="no")
    url = step_url(assessment, "patient")
    data = step_post_data(signed_in, url, sex="male", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    saved = reloaded(assessment)
    assert saved.sex == "male"
    assert saved.endo_amenorrhea == "not_applicable"


def test_it_refuses_a_sex_change_that_contradicts_a_recorded_finding(signed_in, physician):
    # A recorded "yes" is never silently discarded: the physician corrects it first.
    assessment = make_assessment(physician, sex="female", endo_amenorrhea="yes")
    url = step_url(assessment, "patient")
    data = step_post_data(signed_in, url, sex="male", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 400
    [error] = response.context["form"].errors["sex"]
    assert "amenorrhoea" in error and "Endocrine" in error
    saved = reloaded(assessment)
    assert (saved.sex, saved.endo_amenorrhea) == ("female", "yes")


def test_it_reopens_this_sexs_items_when_the_sex_is_changed(signed_in, assessment):
    url = step_url(assessment, "patient")
    data = step_post_data(signed_in, url, sex="female", action="continue")

    response = signed_in.post(url, data)

    assert response.status_code == 302
    saved = reloaded(assessment)
    assert saved.endo_amenorrhea == "unknown"
    assert saved.endo_gynecomastia == "not_applicable"


# The buttons


def test_save_draft_stays_on_the_step_and_shows_it_in_progress(signed_in, assessment):
    url = step_url(assessment, "neuropathy")
    data = step_post_data(signed_in, url, pn_present="yes", action="draft")

    response = signed_in.post(url, data, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert state_of(response, "neuropathy") == "in progress"
    assert b"in progress" in response.content
    saved = reloaded(assessment)
    assert saved.pn_present == "yes"
    assert "neuropathy" not in saved.completed_steps


def test_save_draft_leaves_a_completed_step_complete(signed_in, assessment):
    url = step_url(assessment, "neuropathy")
    signed_in.post(url, step_post_data(signed_in, url, pn_present="yes", action="continue"))

    response = signed_in.post(
        url, step_post_data(signed_in, url, pn_painful="yes", action="draft"), follow=True
    )

    assert response.redirect_chain == [(url, 302)]
    assert state_of(response, "neuropathy") == "complete"
    saved = reloaded(assessment)
    assert saved.pn_painful == "yes"
    assert saved.completed_steps == ["neuropathy"]


def test_an_untouched_step_is_not_started(signed_in, assessment):
    response = signed_in.get(step_url(assessment, "skin"))

    assert state_of(response, "skin") == "not started"


def test_back_saves_and_goes_to_the_previous_step(signed_in, assessment):
    url = step_url(assessment, "bone")
    data = step_post_data(signed_in, url, bone_imaging="mri", action="back")

    response = signed_in.post(url, data)

    assert response.status_code == 302
    assert response.url == step_url(assessment, "monoclonal")
    saved = reloaded(assessment)
    assert saved.bone_imaging == "mri"
    assert "bone" not in saved.completed_steps


def test_back_on_the_first_step_saves_and_stays_there(signed_in, assessment):
    url = step_url(assessment, "patient")
    data = step_post_data(signed_in, url, age_years="61", action="back")

    response = signed_in.post(url, data)

    assert response.status_code == 302
    assert response.url == url
    assert reloaded(assessment).age_years == 61


def test_the_first_step_has_no_back_button(signed_in, assessment):
    first = signed_in.get(step_url(assessment, "patient"))
    second = signed_in.get(step_url(assessment, "neuropathy"))

    assert b'value="back"' not in first.content
    assert b'value="back"' in second.content


def test_continue_marks_the_step_complete(signed_in, assessment):
    url = step_url(assessment, "skin")

    response = signed_in.post(url, step_post_data(signed_in, url, action="continue"), follow=True)

    assert reloaded(assessment).completed_steps == ["skin"]
    assert state_of(response, "skin") == "complete"


def test_it_is_complete_once_every_step_is_saved_with_continue(signed_in, assessment):
    response = None
    for step in STEPS:
        assert reloaded(assessment).status == Assessment.Status.DRAFT
        url = step_url(assessment, step.slug)
        response = signed_in.post(url, step_post_data(signed_in, url, action="continue"))
        assert response.status_code == 302

    assert response.url == summary_url(assessment)
    saved = reloaded(assessment)
    assert saved.completed_steps == [step.slug for step in STEPS]
    assert saved.status == Assessment.Status.COMPLETE


def test_it_keeps_the_steps_in_order_whatever_order_they_are_completed_in(signed_in, assessment):
    for slug in ("skin", "patient", "bone"):
        url = step_url(assessment, slug)
        signed_in.post(url, step_post_data(signed_in, url, action="continue"))

    assert reloaded(assessment).completed_steps == ["patient", "bone", "skin"]


def test_it_recomputes_the_verdict_on_every_save(signed_in, physician):
    assessment = make_assessment(physician, pn_present="yes")
    assert assessment.primary_verdict == "indeterminate"
    url = step_url(assessment, "neuropathy")

    signed_in.post(url, step_post_data(signed_in, url, pn_present="no", action="continue"))

    assert reloaded(assessment).primary_verdict == "does_not_meet"


# Two tabs


def test_it_refuses_a_save_from_a_page_opened_before_another_save(signed_in, assessment):
    url = step_url(assessment, "organomegaly")
    first_tab = step_post_data(signed_in, url, splenomegaly="no", action="continue")
    second_tab = step_post_data(signed_in, url, splenomegaly="yes", action="continue")
    assert signed_in.post(url, second_tab).status_code == 302

    response = signed_in.post(url, first_tab)

    # Refused with what changed, keeping what this tab typed (more in test_concurrency.py).
    assert response.status_code == 409
    assert b"changed since you opened it" in response.content
    saved = reloaded(assessment)
    assert saved.splenomegaly == "yes"
    assert saved.version == assessment.version + 1
    assert shown_value(response, "splenomegaly") == "no"
    assert int(response.context["form"]["version"].value()) == saved.version


# CSRF and signing in


def test_it_refuses_a_post_without_a_csrf_token(physician, assessment):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(physician)
    url = step_url(assessment, "neuropathy")
    data = step_post_data(browser, url, pn_present="yes", action="continue")
    data.pop("csrfmiddlewaretoken", None)

    response = browser.post(url, data)

    assert response.status_code == 403
    saved = reloaded(assessment)
    assert saved.pn_present == "unknown"
    assert saved.version == assessment.version


def test_it_refuses_a_new_assessment_without_a_csrf_token(physician):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(physician)
    url = reverse("assessment:new")
    data = step_post_data(browser, url, patient_reference="MRN-0042", action="continue")

    response = browser.post(url, data)

    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_it_accepts_a_post_with_the_pages_csrf_token(physician, assessment):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(physician)
    url = step_url(assessment, "neuropathy")
    data = step_post_data(browser, url, pn_present="yes", action="continue")
    page = browser.get(url)
    data["csrfmiddlewaretoken"] = page.context["csrf_token"]

    assert browser.post(url, data).status_code == 302
    assert reloaded(assessment).pn_present == "yes"


@pytest.mark.parametrize("step", EVERY_STEP)
def test_it_sends_an_anonymous_visitor_to_sign_in_from_each_step(client, assessment, step):
    url = step_url(assessment, step.slug)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_an_anonymous_post_saves_nothing(client, physician, assessment):
    signed_in = Client()
    signed_in.force_login(physician)
    url = step_url(assessment, "neuropathy")
    data = step_post_data(signed_in, url, pn_present="yes", action="continue")

    response = client.post(url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert reloaded(assessment).version == assessment.version


# Queries


@pytest.mark.parametrize("step", EVERY_STEP)
def test_a_step_page_costs_the_same_queries_however_many_assessments(
    signed_in, physician, assessment, step
):
    url = step_url(assessment, step.slug)
    signed_in.get(url)

    with CaptureQueriesContext(connection) as with_one:
        assert signed_in.get(url).status_code == 200
    for number in range(49):
        make_assessment(physician, patient_reference=f"MRN-{number:04}")
    with CaptureQueriesContext(connection) as with_fifty:
        assert signed_in.get(url).status_code == 200

    assert Assessment.objects.filter(owner=physician).count() == 50
    assert len(with_fifty) == len(with_one)


def test_the_new_assessment_page_costs_the_same_queries_however_many_assessments(
    signed_in, physician
):
    url = reverse("assessment:new")
    make_assessment(physician)
    signed_in.get(url)

    with CaptureQueriesContext(connection) as with_one:
        signed_in.get(url)
    for number in range(49):
        make_assessment(physician, patient_reference=f"MRN-{number:04}")
    with CaptureQueriesContext(connection) as with_fifty:
        signed_in.get(url)

    assert len(with_fifty) == len(with_one)


def test_the_date_defaults_to_today(signed_in):
    response = signed_in.get(reverse("assessment:new"))

    assert response.context["form"]["assessment_date"].value() == timezone.localdate()


def test_a_not_applicable_the_sex_sets_by_itself_is_no_progress(signed_in, physician):
    assessment = make_assessment(physician, sex="male")
    assert assessment.endo_amenorrhea == "not_applicable"

    response = signed_in.get(step_url(assessment, "patient"))

    assert state_of(response, "endocrine") == "not started"


def test_long_steps_have_sub_headings_and_no_required_markers(signed_in, assessment):
    page = signed_in.get(step_url(assessment, "other")).content.decode()

    legends = re.findall(r"<legend[^>]*>\s*([^<]+?)\s*</legend>", page)
    for heading in (
        "Papilloedema and volume overload",
        "Blood counts",
        "VEGF",
        "Amyloid and organ involvement",
        "Other tests",
    ):
        assert heading in legends
    assert "asteriskField" not in page
    assert "Every finding starts as “Not assessed”" in page
