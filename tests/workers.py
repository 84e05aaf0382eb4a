"""A real procrastinate worker for the tests, in the test's process (tests/test_jobs.py)."""

import threading
from contextlib import contextmanager

from django.db import connection
from procrastinate.contrib.django import app


@contextmanager
def connections_closed_after_each_task():
    """The worker's threads keep no connection open (as CONN_MAX_AGE would), so that the
    test database can be emptied and dropped after the tests."""
    settings_dict = connection.settings_dict  # shared by every thread's connection
    kept, settings_dict["CONN_MAX_AGE"] = settings_dict["CONN_MAX_AGE"], 0
    try:
        yield
    finally:
        settings_dict["CONN_MAX_AGE"] = kept


def run_worker(seconds: float = 120) -> None:
    """A worker on its own connection, until the queue is empty. Its jobs see only what is
    committed: tests that use it need transaction=True.

    In a thread of its own, whose event loop is the worker's: Playwright's sync API keeps one
    running in the test's thread once a browser test has run.
    """
    failures = []

    def work():
        try:
            with app.replace_connector(app.connector.get_worker_connector()):
                app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
        except BaseException as error:  # raised again in the test's thread
            failures.append(error)

    with connections_closed_after_each_task():
        worker = threading.Thread(target=work)
        worker.start()
        worker.join(seconds)
    assert not worker.is_alive(), f"the worker did not empty the queue in {seconds} s"
    if failures:
        raise failures[0]
