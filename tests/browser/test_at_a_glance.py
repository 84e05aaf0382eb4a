"""The truth at a glance and at the bedside: what the first screen holds, on a desk and a phone,
and the verdict beside the form while findings are entered."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessment.criteria import evaluate
from assessment.models import NOT_ASSESSED, Assessment
from assessment.services import record
from assessment.steps import STEPS
from tests.criteria.vignettes import VIGNETTES

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NARROW = 360

MOST_WARNINGS = max(VIGNETTES, key=lambda v: len(evaluate(v["findings"]).warnings))


def save_vignette(owner, vignette, reference=None):
    """A vignette saved with every step complete, as `seed_demo` loads the demo cases."""
    assessment = Assessment(
        owner=owner,
        patient_reference=reference or f"DEMO-{vignette['id']}",
        assessment_date=timezone.localdate(),
        **{key: value for key, value in vignette["findings"].items() if value != NOT_ASSESSED},
    )
    assessment.completed_steps = [step.slug for step in STEPS]
    return record(assessment)


@pytest.fixture
def demo_case(physician):
    return save_vignette(physician, MOST_WARNINGS)


def bottom(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not laid out"
    return box["y"] + box["height"]


def open_summary(page: Page, assessment, viewport):
    page.set_viewport_size(viewport)
    page.goto(reverse("assessment:summary", args=[assessment.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Summary")


def test_the_first_screen_of_a_desktop_holds_the_verdicts_warnings_and_actions(
    signed_in_page, demo_case
):
    page = signed_in_page.page
    open_summary(page, demo_case, DESKTOP)
    evaluation = evaluate(MOST_WARNINGS["findings"])
    high = [w for w in evaluation.warnings if w.severity.value == "high"]
    assert high, "the demo case with the most warnings has a high-severity one"

    first_screen = {
        "primary verdict": page.locator("#verdict"),
        **{
            key: page.locator(f"[data-set='{key}']")
            for key in ("japan_mhlw_2015", "dispenzieri_2003", "bardwick_1980_acronym")
        },
        "first high-severity warning": page.get_by_role("heading", name=high[0].title),
        "number of warnings": page.locator("#warning-count"),
        "Download PDF": page.get_by_role("link", name="Download PDF"),
        "Sign": page.locator("summary", has_text="Sign"),
    }

    positions = {name: bottom(locator) for name, locator in first_screen.items()}
    print("1280x900 bottoms:", {name: round(y) for name, y in positions.items()})
    assert all(y <= DESKTOP["height"] for y in positions.values()), positions
    expect(page.locator("#warning-count")).to_contain_text(f"{len(evaluation.warnings)} warnings")


def test_the_actions_stay_in_reach_while_scrolling(signed_in_page, demo_case):
    page = signed_in_page.page
    open_summary(page, demo_case, DESKTOP)

    page.get_by_role("heading", name="Criteria matrix").scroll_into_view_if_needed()
    page.mouse.wheel(0, 2000)

    download = page.get_by_role("link", name="Download PDF")
    expect(download).to_be_in_viewport()
    assert 0 <= download.bounding_box()["y"] < DESKTOP["height"]


def test_the_first_screen_of_a_phone_holds_the_primary_verdict(signed_in_page, demo_case):
    page = signed_in_page.page
    open_summary(page, demo_case, PHONE)

    verdict = bottom(page.locator("#verdict"))

    print("390x844 primary verdict bottom:", round(verdict))
    assert verdict <= PHONE["height"]
    # The step list is folded into one line above it, and opens into the whole list.
    progress = page.locator("details.step-progress")
    expect(progress).to_contain_text(f"{len(STEPS)} of {len(STEPS)} steps complete")
    steps = progress.get_by_role("navigation", name="Assessment steps")
    expect(steps).to_be_hidden()
    progress.locator("summary").click()
    expect(steps.get_by_role("link", name="Neuropathy")).to_be_visible()


def test_no_page_scrolls_sideways_at_360_px(signed_in_page, demo_case):
    page = signed_in_page.page
    page.set_viewport_size({"width": NARROW, "height": 740})
    urls = [
        reverse("assessment:list"),
        reverse("assessment:new"),
        reverse("password_change"),
        *(reverse("assessment:step", args=[demo_case.pk, step.slug]) for step in STEPS),
        reverse("assessment:summary", args=[demo_case.pk]),
    ]
    wide = {}
    for url in urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW:
            wide[url] = width

    assert not wide, wide


def test_the_list_shows_every_verdict_badge_on_a_phone(signed_in_page, demo_case):
    page = signed_in_page.page
    page.set_viewport_size(PHONE)
    page.goto(reverse("assessment:list"))

    badge = page.get_by_role("cell", name="Primary verdict").locator(".badge").first
    if not badge.count():
        badge = page.locator("td[data-label='Primary verdict'] .badge").first
    expect(badge).to_be_visible()
    box = badge.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_live_verdict_follows_the_answers_without_saving(signed_in_page, physician, viewport):
    page = signed_in_page.page
    page.set_viewport_size(viewport)
    borderline = next(v for v in VIGNETTES if v["id"] == "V23")  # indeterminate, VEGF 1200
    case = save_vignette(physician, borderline, "LIVE-V23")
    page.goto(reverse("assessment:step", args=[case.pk, "other"]))
    panel = page.locator("#live-verdict")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-live=primary]")).to_have_text("Indeterminate")

    page.get_by_label("VEGF", exact=True).fill("2500")

    expect(panel.locator("[data-live=primary]")).to_have_text("Meets")
    expect(panel.locator("[data-live-set='japan_mhlw_2015']")).to_have_text("definite")
    expect(panel.locator("[data-live=missing]")).to_have_text("0")
    assert Assessment.objects.get(pk=case.pk).vegf_value == 1200  # nothing saved


def test_the_live_verdict_shows_the_engines_message_for_contradictory_inputs(
    signed_in_page, physician
):
    page = signed_in_page.page
    case = save_vignette(physician, next(v for v in VIGNETTES if v["id"] == "V01"), "LIVE-V01")
    page.goto(reverse("assessment:step", args=[case.pk, "other"]))

    page.get_by_label("Platelets (×10⁹/L)").fill("300")  # thrombocytosis is reported "yes"

    problems = page.locator("#live-verdict [data-live=problems]")
    expect(problems).to_be_visible()
    expect(problems).to_contain_text("Thrombocytosis reported is Yes with platelets")


def test_the_summary_actions_work_from_the_keyboard(signed_in_page, demo_case):
    page = signed_in_page.page
    open_summary(page, demo_case, DESKTOP)
    sign = page.locator("summary", has_text="Sign")

    sign.focus()
    page.keyboard.press("Enter")
    password = page.get_by_label("Your password, to sign")
    expect(password).to_be_visible()
    page.keyboard.press("Tab")
    expect(password).to_be_focused()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_passes_axe_at_this_width(signed_in_page, demo_case, axe, viewport):
    page = signed_in_page.page
    page.set_viewport_size(viewport)
    urls = [
        reverse("assessment:list"),
        reverse("assessment:new"),
        reverse("password_change"),
        *(reverse("assessment:step", args=[demo_case.pk, step.slug]) for step in STEPS),
        reverse("assessment:summary", args=[demo_case.pk]),
    ]
    for url in urls:
        response = page.goto(url)
        assert response.ok, f"{url} answered {response.status}"
        axe(page)
    # The summary with its actions opened, and the phone's step list unfolded.
    page.goto(reverse("assessment:summary", args=[demo_case.pk]))
    page.locator("summary", has_text="Sign").click()
    if viewport is PHONE:
        page.locator("details.step-progress summary").click()
    axe(page)
