"""The Content Security Policy in a real browser: no page the app or the admin shows breaks it.

Chromium reports every refused script, style or image on the console ("Refused to apply inline
style because it violates the following Content Security Policy directive..."): each test
collects the console while it opens the pages, and expects no such message.
"""

from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.steps import STEPS
from tests.assessment_helpers import make_assessment
from tests.browser.conftest import PASSWORD, POLICY_WORDS, violations


def open_page(page: Page, url: str):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("load")


def test_the_physicians_pages_break_no_rule_of_the_policy(signed_in_page, console, physician):
    page = signed_in_page.page
    assessment = make_assessment(physician, patient_reference="MRN-CSP")

    for url in [
        reverse("assessment:list"),
        reverse("assessment:new"),
        reverse("assessment:step", args=[assessment.pk, STEPS[1].slug]),
        reverse("assessment:summary", args=[assessment.pk]),
        reverse("password_change"),
    ]:
        open_page(page, url)

    # Bootstrap's script works: the narrow layout's menu button opens the menu.
    page.set_viewport_size({"width": 400, "height": 800})
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert not violations(console), "\n".join(console)


def test_the_sign_in_and_lock_out_pages_break_no_rule_of_the_policy(page, console, physician):
    open_page(page, reverse("login"))
    for _ in range(5):
        page.get_by_label("Username").fill("nobody")
        page.get_by_label("Password").fill("a guess")
        page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()
    assert not violations(console), "\n".join(console)


def test_the_admin_pages_break_no_rule_of_the_policy(page, console, django_user_model, physician):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    assessment = make_assessment(physician, patient_reference="MRN-CSP", pn_present="yes")
    page.goto(reverse("admin:login"))
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    change = reverse("admin:assessment_assessment_change", args=[assessment.pk])
    for url in [
        reverse("admin:index"),
        reverse("admin:assessment_assessment_changelist"),
        change,
        reverse("admin:assessment_assessment_overview"),
        reverse("admin:assessment_assessmentevent_changelist"),
        reverse("admin:auth_user_change", args=[physician.pk]),
    ]:
        open_page(page, url)

    # The admin's own script works: a collapsed step opens.
    open_page(page, change)
    page.get_by_text(STEPS[1].title, exact=True).first.click()
    expect(page.locator("[name='pn_present']").first).to_be_visible()
    # The overview's bars are drawn, from the SVG's attributes alone.
    open_page(page, reverse("admin:assessment_assessment_overview"))
    bar = page.locator("#by-status rect").first
    assert bar.bounding_box()["width"] > 0
    assert not violations(console), "\n".join(console)


def test_an_inline_style_is_refused_and_reported(signed_in_page, console):
    # The check above would see a breach: the browser enforces the policy and says so.
    page = signed_in_page.page
    open_page(page, reverse("assessment:list"))

    with page.expect_console_message(lambda message: POLICY_WORDS in message.text):
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', "
            '\'<p id="inline" style="color: rgb(255, 0, 0)">x</p>\')'
        )

    expect(page.locator("#inline")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert violations(console)
