import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parent.parent


def test_code_passes_ruff():
    ruff = Path(sys.executable).parent / "ruff"

    result = subprocess.run(
        [ruff, "check", "."], cwd=REPO, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_migrations_are_complete():
    # Exits non-zero, failing the test, when a model change has no migration. It needs the
    # database to check that the applied migrations are consistent.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_no_benchmark_hides_a_package_of_the_project():
    # A script's folder comes first on sys.path: bench/jobs.py would be imported for `jobs`.
    packages = {path.parent.name for path in REPO.glob("*/__init__.py")}
    scripts = {path.stem for path in (REPO / "bench").glob("*.py")}

    assert not scripts & packages
