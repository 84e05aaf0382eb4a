"""Signing in and out and changing the password, with django.contrib.auth's views."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

PASSWORD = "a long passphrase for tests"  # noqa: S105
NEW_PASSWORD = "another long passphrase"  # noqa: S105

pytestmark = pytest.mark.django_db


@pytest.fixture
def physician(django_user_model):
    return django_user_model.objects.create_user(
        "ada", password=PASSWORD, first_name="Ada", last_name="Lovelace"
    )


@pytest.fixture
def signed_in(client, physician):
    client.force_login(physician)
    return client


def is_signed_in(client):
    return "_auth_user_id" in client.session


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    url = reverse("password_change")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_the_sign_in_page_is_public(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_healthz_is_public(client):
    response = client.get(reverse("assessment:healthz"))

    assert response.status_code == 200


def test_it_signs_in_with_the_right_password(client, physician):
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == settings.LOGIN_REDIRECT_URL
    assert client.session["_auth_user_id"] == str(physician.pk)


def test_it_returns_to_the_page_asked_for_after_sign_in(client, physician):
    url = reverse("password_change")

    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD, "next": url})

    assert response.url == url


def test_it_refuses_a_wrong_password(client, physician):
    response = client.post(reverse("login"), {"username": "ada", "password": "wrong"})

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert not is_signed_in(client)


def test_it_enforces_csrf_on_sign_in(physician):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})

    assert response.status_code == 403
    assert not is_signed_in(client)


def test_the_navigation_shows_who_is_signed_in(signed_in):
    response = signed_in.get(reverse("password_change"))

    assert b"Ada Lovelace" in response.content
    assert f'action="{reverse("logout")}"'.encode() in response.content


def test_the_navigation_offers_no_sign_out_to_an_anonymous_visitor(client):
    response = client.get(reverse("login"))

    assert b"Sign out" not in response.content


def test_sign_out_refuses_a_get_request(signed_in):
    response = signed_in.get(reverse("logout"))

    assert response.status_code == 405
    assert is_signed_in(signed_in)


def test_sign_out_signs_out_and_returns_to_sign_in(signed_in):
    response = signed_in.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not is_signed_in(signed_in)


def test_it_changes_the_password(signed_in, physician):
    response = signed_in.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == reverse("password_change_done")
    physician.refresh_from_db()
    assert physician.check_password(NEW_PASSWORD)
    assert signed_in.get(response.url).status_code == 200


def test_it_keeps_the_password_when_the_old_one_is_wrong(signed_in, physician):
    response = signed_in.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    physician.refresh_from_db()
    assert physician.check_password(PASSWORD)


def test_pages_use_the_vendored_bootstrap(client):
    response = client.get(reverse("login"))

    assert b"/static/vendor/bootstrap/css/bootstrap.min.css" in response.content
    assert b"/static/vendor/bootstrap/js/bootstrap.bundle.min.js" in response.content
    assert client.get("/static/vendor/bootstrap/css/bootstrap.min.css").status_code == 200
