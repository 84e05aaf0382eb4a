# Two commands for people: `make run` and `make test`. Both set up .venv on first use.
# `make run` also brings stored cases up to the current rules (reevaluate), loads the demo
# data (a demo physician, an admin, the shared vignettes) and runs the background jobs' worker
# beside the server, stopped with it (Ctrl-C).

PYTHON := $(shell command -v python3.11 || command -v python3)
VENV := .venv

.PHONY: run test lint

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

# Reinstall only when the dependencies change; the stamp records the last install.
$(VENV)/installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@
