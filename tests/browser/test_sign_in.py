from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD


def test_a_physician_signs_in_through_the_form(signed_in_page):
    page = signed_in_page.page

    expect(page).to_have_url(settings.LOGIN_REDIRECT_URL)
    # A page for signed-in users now opens instead of sending the browser to sign in.
    page.goto(reverse("password_change"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_wrong_password_shows_an_error(page, physician):
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(physician.username)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    expect(page).to_have_url(reverse("login"))


def test_the_sign_in_form_can_be_completed_with_the_keyboard_alone(page, physician):
    page.goto(reverse("login"))

    # The username field takes focus as the page opens.
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(physician.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(settings.LOGIN_REDIRECT_URL)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(signed_in_page):
    page = signed_in_page.page
    page.goto(reverse("password_change_done"))

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()


def test_the_sign_in_page_passes_axe(page, axe):
    page.goto(reverse("login"))

    axe(page)


def test_the_password_change_page_passes_axe(signed_in_page, axe):
    page = signed_in_page.page
    page.goto(reverse("password_change"))

    axe(page)
