"""A PostgreSQL database backend that runs its own server from a folder in the project.

Used when DATABASE_URL is unset, so that a developer or CI needs nothing but Python.
"""
