import pytest
from django.db import connections
from django.db.utils import load_backend
from django.urls import reverse


@pytest.fixture
def unreachable_database(django_db_blocker):
    """Make the default connection point at a local port where nothing listens.

    The connection is swapped for a plain PostgreSQL one because the embedded backend
    would ignore HOST and PORT and reach its own server.
    """
    real = connections["default"]
    postgresql = load_backend("django.db.backends.postgresql")
    settings = {
        **real.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": 1,
    }
    connections["default"] = postgresql.DatabaseWrapper(settings, alias="default")
    with django_db_blocker.unblock():
        yield
        connections["default"].close()
    connections["default"] = real


@pytest.mark.django_db
def test_it_answers_ok_when_the_database_answers(client):
    response = client.get(reverse("assessment:healthz"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok"


@pytest.mark.usefixtures("unreachable_database")
def test_it_answers_503_when_the_database_is_unreachable(client):
    response = client.get(reverse("assessment:healthz"))

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"database unavailable"


@pytest.mark.django_db
def test_it_is_never_cached(client):
    response = client.get(reverse("assessment:healthz"))

    assert "no-store" in response["Cache-Control"]


def test_it_is_served_at_healthz():
    assert reverse("assessment:healthz") == "/healthz"
