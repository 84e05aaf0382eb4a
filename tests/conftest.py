"""Shared test setup.

pytest-django creates the test database on the PostgreSQL that settings pick: the embedded
server, or DATABASE_URL's when it is set. Nothing here is faked.
"""

import pytest

from tests.assessment_helpers import make_physician


@pytest.fixture
def physician(db):
    return make_physician("ada")


@pytest.fixture
def other_physician(db):
    return make_physician("grace")
