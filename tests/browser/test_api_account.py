"""The account page's API tokens, and the API's interactive docs, in a real browser."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from api import tokens
from api.models import ApiToken
from tests.browser.conftest import violations


def test_a_physician_creates_a_token_sees_it_once_and_revokes_it(
    signed_in_page,
    physician,
    axe,
    console,  # noqa: F811
):
    page = signed_in_page.page
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    axe(page)

    page.get_by_label("Name").fill("Registry script")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()

    shown = page.get_by_label("The new token").input_value()
    assert re.fullmatch(r"poems_[0-9a-f]{8}_[\w-]{43}", shown)
    token = ApiToken.objects.get(owner=physician)
    assert tokens.token_for(shown) == token and token.can_write
    row = page.get_by_role("row", name=re.compile("Registry script"))
    expect(row).to_contain_text(f"poems_{token.prefix}_…")
    expect(row).to_contain_text("Active")

    # Shown once: the account page never shows it again.
    page.goto(reverse("tokens:account"))
    assert shown not in page.content()

    page.get_by_role("button", name="Revoke Registry script").click()
    expect(page.get_by_role("row", name=re.compile("Registry script"))).to_contain_text("Revoked")
    assert tokens.token_for(shown) is None
    assert not violations(console), "\n".join(console)


def test_the_interactive_docs_work_under_the_content_security_policy(
    signed_in_page,
    console,  # noqa: F811
):
    page = signed_in_page.page
    response = page.goto(reverse("api-v1:openapi-view"))

    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name=re.compile("POEMS Assess API"))).to_be_visible()
    page.get_by_text("/api/v1/evaluate", exact=True).click()
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    assert not violations(console), "\n".join(console)
