"""The guided assessment in a real browser, as a physician uses it.

Every control is found the way a user finds it: by its label, its role or its visible text. The
vignette test is driven by the step definitions, so a finding added to a step is filled in here
without touching this file.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessment.models import NOT_ASSESSED, Assessment
from assessment.services import record
from assessment.steps import STEPS, STEPS_BY_SLUG, Step
from tests.criteria.vignettes import VIGNETTES

VIGNETTES_BY_ID = {vignette["id"]: vignette for vignette in VIGNETTES}
PRIMARY = "dispenzieri_updated_2007_imwg2014"
VERDICT_WORDS = {
    "meets": "Meets",
    "does_not_meet": "Does not meet",
    "indeterminate": "Indeterminate:",
}
STEP_FIELDS = {name for step in STEPS for name in step.fields}


# --- What a physician does ------------------------------------------------------------------


def fill_step(page: Page, step: Step, findings: dict) -> None:
    """Enter `findings` on the open step, each through the control the form shows for it.

    The widget is read from the page: a radio group is answered by the choice's label, a
    drop-down by its value, a text or number box by typing. "Not assessed" is left as it is.
    """
    for name in step.fields:
        value = findings.get(name, NOT_ASSESSED)
        if value is None or value == NOT_ASSESSED:
            continue
        control = page.locator(f"[name='{name}']")
        if control.first.is_disabled():
            # The other sex's item: the form locks it and the app records it not applicable.
            assert value == "not_applicable", f"{name} is locked on the page but given {value!r}"
            continue
        kind = control.first.evaluate("el => el.tagName === 'SELECT' ? 'select' : el.type")
        if kind == "radio":
            label = dict(Assessment._meta.get_field(name).choices)[value]
            page.locator(f"#div_id_{name}").get_by_label(label, exact=True).check()
        elif kind == "select":
            control.select_option(str(value))
        else:
            control.fill(str(value))


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def expect_step(page: Page, step: Step) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(step.title)


def expect_summary(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summary")


def start_assessment(page: Page, reference: str, patient: dict) -> None:
    """From the list, start a new assessment and save its Patient step."""
    page.goto(reverse("assessment:list"))
    page.get_by_role("main").get_by_role("link", name="New assessment").click()
    expect_step(page, STEPS_BY_SLUG["patient"])
    fill_step(page, STEPS_BY_SLUG["patient"], {"patient_reference": reference, **patient})
    save_and_continue(page)
    expect_step(page, STEPS[1])


def record_vignette(page: Page, vignette: dict) -> None:
    """Record a vignette through every step's form, ending on the summary."""
    findings = {"patient_reference": f"BROWSER-{vignette['id']}", **vignette["findings"]}
    page.goto(reverse("assessment:list"))
    page.get_by_role("main").get_by_role("link", name="New assessment").click()
    for step in STEPS:
        expect_step(page, step)
        fill_step(page, step, findings)
        save_and_continue(page)
    expect_summary(page)


def open_step(page: Page, title: str) -> None:
    page.get_by_role("navigation", name="Assessment steps").get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def verdict_banner(page: Page, result: str):
    return page.get_by_role(
        "heading",
        level=2,
        name=f"{VERDICT_WORDS[result]} the updated Dispenzieri criteria",
        exact=True,
    )


def warning_ids(page: Page) -> set[str]:
    return set(
        page.locator("[data-warning]").evaluate_all("els => els.map(e => e.dataset.warning)")
    )


def group(page: Page, legend: str):
    """A radio group by its legend (which ends with the required-field asterisk)."""
    return page.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}\*?$"))


def tab_until_focused(page: Page, target, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} never took focus after {limit} presses of Tab")


# --- Recording a whole case --------------------------------------------------------------------


@pytest.mark.parametrize("vignette_id", ["V01", "V02", "V13"])
def test_a_physician_records_a_vignette_through_every_step(signed_in_page, vignette_id):
    page = signed_in_page.page
    vignette = VIGNETTES_BY_ID[vignette_id]
    assert set(vignette["findings"]) <= STEP_FIELDS, "every finding has a place in a step"

    record_vignette(page, vignette)

    result = vignette["expected_outcomes"][PRIMARY]["result"]
    expect(verdict_banner(page, result)).to_be_visible()
    assert warning_ids(page) == {warning["id"] for warning in vignette["expected_warnings"]}


def test_going_back_and_changing_a_finding_changes_the_verdict(signed_in_page):
    page = signed_in_page.page
    record_vignette(page, VIGNETTES_BY_ID["V01"])
    expect(verdict_banner(page, "meets")).to_be_visible()

    open_step(page, "Neuropathy")
    group(page, "Polyneuropathy").get_by_label("No", exact=True).check()
    save_and_continue(page)
    expect_step(page, STEPS_BY_SLUG["organomegaly"])
    page.get_by_role("navigation", name="Assessment steps").get_by_role(
        "link", name="Summary"
    ).click()

    expect(verdict_banner(page, "does_not_meet")).to_be_visible()


# --- Errors ------------------------------------------------------------------------------------


def test_a_bad_value_shows_an_error_and_keeps_the_other_fields(signed_in_page):
    page = signed_in_page.page
    start_assessment(page, "BROWSER-ERRORS", {"sex": "male"})
    open_step(page, "Other findings")

    platelets = page.get_by_label("Platelets (×10⁹/L)")
    platelets.fill("50000")  # beyond the plausible 5000
    group(page, "Papilloedema").get_by_label("Yes", exact=True).check()
    save_and_continue(page)

    expect(page.get_by_role("alert")).to_contain_text("Nothing on this page was saved")
    expect(platelets).to_have_attribute("aria-invalid", "true")
    expect(platelets).to_have_accessible_description(re.compile("50000 is implausible"))
    expect(platelets).to_have_value("50000")
    expect(group(page, "Papilloedema").get_by_label("Yes", exact=True)).to_be_checked()


def test_a_number_that_is_not_a_number_shows_an_error_and_keeps_what_was_typed(signed_in_page):
    page = signed_in_page.page
    start_assessment(page, "BROWSER-NAN", {"sex": "male"})
    open_step(page, "Other findings")

    platelets = page.get_by_label("Platelets (×10⁹/L)")
    platelets.press_sequentially("lots")  # typed as a user types, key by key
    group(page, "Papilloedema").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save draft").click()

    expect(platelets).to_have_accessible_description(re.compile("number", re.IGNORECASE))
    expect(platelets).to_have_value("lots")
    expect(group(page, "Papilloedema").get_by_label("Yes", exact=True)).to_be_checked()


def test_a_vegf_value_without_its_unit_shows_an_error_on_the_unit(signed_in_page):
    page = signed_in_page.page
    start_assessment(page, "BROWSER-VEGF", {"sex": "female"})
    open_step(page, "Other findings")

    page.get_by_label("VEGF", exact=True).fill("300")
    save_and_continue(page)

    expect(page.get_by_role("alert")).to_contain_text("Nothing on this page was saved")
    expect(group(page, "VEGF unit")).to_have_accessible_description(
        re.compile("A VEGF value needs its VEGF unit")
    )
    expect(group(page, "VEGF sample")).not_to_have_accessible_description(re.compile("unit"))
    expect(page.get_by_label("VEGF", exact=True)).to_have_value("300")


@pytest.mark.parametrize(
    ("report", "warning"),
    [
        ({"VEGF": "350", "VEGF unit": "pg/mL"}, "W_VEGF_SAMPLE_UNKNOWN"),
        ({"VEGF sample": "Serum", "VEGF reported as": "Raised"}, "W_VEGF_QUALITATIVE_ONLY"),
    ],
    ids=["value-without-sample", "qualitative-serum"],
)
def test_a_vegf_report_is_entered_as_reported_and_warned_about(signed_in_page, report, warning):
    page = signed_in_page.page
    start_assessment(page, f"BROWSER-{warning}", {"sex": "female"})
    open_step(page, "Other findings")

    for label, value in report.items():
        if label == "VEGF":
            page.get_by_label(label, exact=True).fill(value)
        else:
            group(page, label).get_by_label(value, exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("navigation", name="Assessment steps").get_by_role(
        "link", name="Summary"
    ).click()

    expect_summary(page)
    assert warning in warning_ids(page)
    expect(page.locator(f"[data-warning='{warning}']")).to_be_visible()


# --- Accessibility -----------------------------------------------------------------------------


@pytest.fixture
def saved_v01(physician):
    """V01 saved with every step complete, as the vignette test leaves it (made directly)."""
    findings = VIGNETTES_BY_ID["V01"]["findings"]
    assessment = Assessment(
        owner=physician,
        patient_reference="AXE-V01",
        assessment_date=timezone.localdate(),
        **{name: value for name, value in findings.items() if value != NOT_ASSESSED},
    )
    assessment.completed_steps = [step.slug for step in STEPS]
    return record(assessment)


def test_the_list_and_the_new_assessment_page_pass_axe(signed_in_page, saved_v01, axe):
    page = signed_in_page.page
    for url in (reverse("assessment:list"), reverse("assessment:new")):
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        axe(page)


def test_every_step_page_and_the_summary_pass_axe(signed_in_page, saved_v01, axe):
    page = signed_in_page.page
    urls = [
        *(reverse("assessment:step", args=[saved_v01.pk, step.slug]) for step in STEPS),
        reverse("assessment:summary", args=[saved_v01.pk]),
    ]
    for url in urls:
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        axe(page)

    # A step showing errors, too.
    open_step(page, "Other findings")
    page.get_by_label("Platelets (×10⁹/L)").fill("50000")
    save_and_continue(page)
    expect(page.get_by_role("alert")).to_contain_text("Nothing on this page was saved")
    axe(page)


# --- Keyboard ----------------------------------------------------------------------------------


def test_a_step_can_be_completed_with_the_keyboard_alone(signed_in_page):
    page = signed_in_page.page
    start_assessment(page, "BROWSER-KEYS", {"sex": "male"})
    open_step(page, "Bone")
    imaging = group(page, "Bone imaging")
    lesions = page.get_by_label("Bone lesions", exact=True)

    # Tab reaches the first radio group at its checked choice; arrows move the choice.
    tab_until_focused(page, imaging.get_by_label("Not assessed", exact=True))
    page.keyboard.press("ArrowRight")
    expect(imaging.get_by_label("CT with bone windows or PET-CT")).to_be_checked()
    page.keyboard.press("Tab")
    expect(lesions).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(lesions).to_have_value("sclerotic")
    # Past the whole-body staging fields, which are left as they are.
    tab_until_focused(page, page.get_by_role("button", name="Save and continue"))
    page.keyboard.press("Enter")

    expect_step(page, STEPS_BY_SLUG["skin"])
    open_step(page, "Bone")
    expect(imaging.get_by_label("CT with bone windows or PET-CT")).to_be_checked()
    expect(lesions).to_have_value("sclerotic")


# --- The VEGF group --------------------------------------------------------------------------


def test_every_vegf_input_is_shown_before_a_value_is_typed(signed_in_page):
    page = signed_in_page.page
    start_assessment(page, "BROWSER-VEGF-GROUP", {"sex": "male"})
    open_step(page, "Other findings")

    vegf = page.get_by_role("group", name="VEGF", exact=True)
    expect(vegf).to_be_visible()
    for control in (
        vegf.get_by_label("VEGF", exact=True),
        group(vegf, "VEGF unit"),
        group(vegf, "VEGF sample"),
        vegf.get_by_label("Laboratory upper limit of VEGF"),
        vegf.get_by_label("VEGF as a multiple of the upper limit"),
        group(vegf, "VEGF reported as"),
    ):
        expect(control).to_be_visible()
