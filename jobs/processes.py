"""What an export's spawned processes run (jobs.work). Importing this module loads nothing of
Django: a spawned process unpickles these functions before Django is set up."""

import os


def set_up_django(database: dict) -> None:
    """Django as in the worker, on the worker's database (a test's too)."""
    import django

    django.setup()
    from django.db import connections

    connections["default"].settings_dict.update(database)


def run_part(name: str, job_id: int, first, last) -> str:
    """`jobs.work.<name>` over the job's cases from `first` to `last`, adding to its progress.

    A part whose worker was killed stops at its next case instead of finishing unseen: it
    would add its count to the progress of the job's retry.
    """
    from django.db import connection

    from jobs import work
    from jobs.services import Progress

    worker = os.getppid()
    shared = Progress(job_id, shared=True)

    def progress(done: int, total: int) -> None:
        if os.getppid() != worker:
            raise SystemExit("the worker that started this part has stopped")
        shared(done, total)

    try:
        return getattr(work, name)(job_id, first, last, progress=progress)
    finally:
        connection.close()
