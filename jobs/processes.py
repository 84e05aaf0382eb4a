"""What an export's spawned processes run (jobs.work). Importing this module loads nothing of
Django: a spawned process unpickles these functions before Django is set up."""


def set_up_django(database: dict) -> None:
    """Django as in the worker, on the worker's database (a test's too)."""
    import django

    django.setup()
    from django.db import connections

    connections["default"].settings_dict.update(database)


def run_part(name: str, job_id: int, first, last) -> str:
    """`jobs.work.<name>` over the job's cases from `first` to `last`, adding to its progress."""
    from django.db import connection

    from jobs import work
    from jobs.services import Progress

    try:
        return getattr(work, name)(job_id, first, last, progress=Progress(job_id, shared=True))
    finally:
        connection.close()
