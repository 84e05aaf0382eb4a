"""Shared test setup.

pytest-django creates the test database on the PostgreSQL that settings pick: the embedded
server, or DATABASE_URL's when it is set. Nothing here is faked. The test database is created
and migrated as its owner, and every test then runs as the app's own least-privilege role, as
the app does in production (dbroles).
"""

import pytest
from django.test.utils import setup_databases, teardown_databases
from pytest_django import plugin as pytest_django_plugin

from dbroles.privileges import as_owner
from tests.assessment_helpers import make_physician


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Django's order once more, after pytest's own: tests in a transaction first, then those
    that commit (the browser's, the worker's), which empty every table afterwards, then those
    without a database. pytest groups the tests of a parametrized session fixture (Playwright's
    browser) after pytest-django has sorted, which put the browser tests first and left the
    roles the migrations made gone for the tests after them."""
    pytest_django_plugin.pytest_collection_modifyitems(items)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """pytest-django's, creating and dropping the test database as its owner."""
    with django_db_blocker.unblock(), as_owner():
        databases = setup_databases(verbosity=request.config.option.verbose, interactive=False)
    yield
    with django_db_blocker.unblock(), as_owner():
        teardown_databases(databases, verbosity=request.config.option.verbose)


@pytest.fixture
def physician(db):
    return make_physician("ada")


@pytest.fixture
def other_physician(db):
    return make_physician("grace")
