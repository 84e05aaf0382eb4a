"""Shared test setup.

pytest-django creates the test database on the PostgreSQL that settings pick: the embedded
server, or DATABASE_URL's when it is set. Nothing here is faked.
"""
