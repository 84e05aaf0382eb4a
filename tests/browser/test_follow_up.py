"""Staging and follow-up in a real browser: a baseline entered through the steps, three visits
(one after a switch of sample, one after bevacizumab), and the course page's figures and plot."""

from playwright.sync_api import Page, expect

from tests.browser.test_assessment_flow import record_vignette
from tests.followup.cases import CASES

BASELINE = {
    **next(case for case in CASES if case["id"] == "FU04")["inputs"]["baseline"],
    "onls_arm_baseline": 2,
    "onls_leg_baseline": 4,
    "assessment_date": "2026-01-15",
}
VISITS = [
    # Same serum assay as the baseline: comparable.
    {
        "date": "2026-04-01",
        "months": "3",
        "treatments": ["Lenalidomide", "Corticosteroids"],
        "bevacizumab": "No",
        "vegf": "2400",
        "sample": "Serum",
        "assay": "Quantikine ELISA, Hospital lab",
        "limit": "1000",
        "onls": ("2", "3"),
    },
    # Plasma after a serum baseline: not comparable.
    {
        "date": "2026-07-01",
        "months": "6",
        "treatments": ["Lenalidomide"],
        "bevacizumab": "No",
        "vegf": "60",
        "sample": "Plasma (EDTA)",
        "assay": "Quantikine ELISA, Hospital lab",
        "limit": "96",
        "onls": ("1", "3"),
    },
    # After bevacizumab: never comparable.
    {
        "date": "2026-10-01",
        "months": "9",
        "treatments": ["Bevacizumab"],
        "bevacizumab": "Yes",
        "vegf": "900",
        "sample": "Serum",
        "assay": "Quantikine ELISA, Hospital lab",
        "limit": "1000",
        "onls": ("1", "2"),
    },
]


def add_visit(page: Page, visit: dict) -> None:
    page.get_by_role("link", name="Add a visit").click()
    page.get_by_label("Visit date").fill(visit["date"])
    page.get_by_label("Months since treatment start").fill(visit["months"])
    for treatment in visit["treatments"]:
        page.get_by_label(treatment, exact=True).check()
    page.get_by_label("Bevacizumab since the baseline").select_option(label=visit["bevacizumab"])
    page.get_by_label("VEGF", exact=True).fill(visit["vegf"])
    page.get_by_label("VEGF unit").select_option(label="pg/mL")
    page.get_by_label("VEGF sample").select_option(label=visit["sample"])
    page.get_by_label("VEGF assay and laboratory").fill(visit["assay"])
    page.get_by_label("Laboratory upper limit of VEGF").fill(visit["limit"])
    page.get_by_label("ONLS arm score").fill(visit["onls"][0])
    page.get_by_label("ONLS leg score").fill(visit["onls"][1])
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Staging and follow-up")


def cell(page: Page, date: str, css: str):
    return page.locator(f"#visits tr[data-visit='{date}'] {css}")


def test_a_physician_follows_vegf_and_onls_through_three_visits(signed_in_page, axe):
    page = signed_in_page.page
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    record_vignette(page, {"id": "FOLLOW", "findings": BASELINE})
    page.get_by_role("link", name="Staging and follow-up").click()
    expect(page.locator("#prognostic-factors [data-factor='age_over_50']")).to_have_attribute(
        "data-value", "yes"
    )
    for visit in VISITS:
        add_visit(page, visit)

    expect(cell(page, "2026-04-01", ".vegf-comparable")).to_have_text("comparable")
    expect(cell(page, "2026-04-01", ".vegf-change")).to_have_text("-50.0 %")
    expect(cell(page, "2026-04-01", ".vegf-within")).to_contain_text("no, above the limit")
    expect(cell(page, "2026-04-01", ".onls")).to_have_text(
        "5 (-1 from baseline, lower (less limitation))"
    )
    expect(cell(page, "2026-07-01", ".vegf-comparable")).to_have_text(
        "not comparable: serum at baseline, plasma now"
    )
    expect(cell(page, "2026-07-01", ".vegf-change")).to_have_text("—")
    expect(cell(page, "2026-10-01", ".vegf-comparable")).to_have_text(
        "not comparable: bevacizumab since the baseline"
    )
    expect(page.locator("#visits [data-note='N_VEGF_BEVACIZUMAB']")).to_have_count(1)

    points = page.locator("svg.vegf-plot circle.point").evaluate_all(
        "els => els.map(e => [e.dataset.date, e.dataset.value, e.dataset.joined])"
    )
    assert points == [
        ["2026-01-15", "4800", "yes"],
        ["2026-04-01", "2400", "yes"],
        ["2026-07-01", "60", "no"],
        ["2026-10-01", "900", "no"],
    ]
    assert page.locator("svg.vegf-plot polyline").count() == 1
    assert page.locator("svg.vegf-plot .lab-limit").count() == 3
    onls = page.locator("svg.onls-plot circle.point").evaluate_all(
        "els => els.map(e => e.dataset.value)"
    )
    assert onls == ["6", "5", "4", "3"]
    expect(page.locator("svg.vegf-plot title").first).to_have_text("VEGF over time (pg/mL)")
    # The plots break no rule of the Content Security Policy, and the page reads to axe.
    assert not [text for text in refused if "Content Security Policy" in text]
    axe(page)
