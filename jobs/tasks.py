"""The queue's tasks (procrastinate, found by its Django app in each app's `tasks` module).

One task per kind of job, each `services.run` over `work.WORK[kind]`, and one periodic task
that keeps the queue: jobs of a stopped worker queued again, expired results deleted.
"""

from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import InterfaceError, OperationalError
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.jobs import Status

from jobs import services
from jobs.models import Job
from jobs.work import WORK

# A database that went away under the job is worth another try, a little later; an error of
# the work itself (a case the engine refuses) would only fail again, so it fails at once.
RETRY = RetryStrategy(
    max_attempts=services.MOST_ATTEMPTS - 1,
    wait=10,
    retry_exceptions=[OperationalError, InterfaceError],
)


def _task(kind: str):
    def run(context, job_id: int) -> None:
        def retried(error: BaseException) -> bool:
            return RETRY.get_retry_decision(exception=error, job=context.job) is not None

        services.run(job_id, WORK[kind], retried=retried)

    run.__name__ = kind
    return app.task(name=services.task_name(kind), retry=RETRY, pass_context=True)(run)


TASKS = {kind: _task(kind) for kind in Job.Kind.values}


@app.periodic(cron=settings.JOBS_MAINTENANCE_CRON)
@app.task(name="jobs.maintenance", queueing_lock="jobs.maintenance", pass_context=True)
def maintenance(context, timestamp: int) -> None:
    """Queue again each job of a worker silent for JOBS_STALLED_AFTER_SECONDS (or fail it
    after MOST_ATTEMPTS starts); delete the results whose time is up.

    A sync task, like the others, so that procrastinate closes its database connection after
    it; the queue's own calls go to the worker's event loop.
    """
    manager = context.app.job_manager
    stalled = async_to_sync(manager.get_stalled_jobs)(
        seconds_since_heartbeat=settings.JOBS_STALLED_AFTER_SECONDS
    )
    ours = {task.name for task in TASKS.values()}
    for queued in stalled:
        again = queued.attempts + 1 < services.MOST_ATTEMPTS
        if again:
            async_to_sync(manager.retry_job)(queued)
        else:
            async_to_sync(manager.finish_job_by_id_async)(
                queued.id, status=Status.FAILED, delete_job=False
            )
        if queued.task_name in ours:
            services.interrupted(queued.task_kwargs["job_id"], retried=again)
    services.delete_expired_results()
