"""The queue's tasks (procrastinate, found by its Django app in each app's `tasks` module).

One task per kind of job, each `services.run` over `work.WORK[kind]`, and one periodic task
that keeps the queue: jobs of a stopped worker queued again, expired results deleted.
"""

from asgiref.sync import sync_to_async
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
async def maintenance(context, timestamp: int) -> None:
    """Queue again each job of a worker silent for JOBS_STALLED_AFTER_SECONDS (or fail it
    after MOST_ATTEMPTS starts); delete the results whose time is up."""
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.JOBS_STALLED_AFTER_SECONDS
    )
    for queued in stalled:
        if queued.task_name not in {task.name for task in TASKS.values()}:
            await manager.retry_job(queued)
            continue
        job_id = queued.task_kwargs["job_id"]
        again = queued.attempts + 1 < services.MOST_ATTEMPTS
        if again:
            await manager.retry_job(queued)
        else:
            await manager.finish_job_by_id_async(
                queued.id, status=Status.FAILED, delete_job=False
            )
        await sync_to_async(services.interrupted)(job_id, retried=again)
    await sync_to_async(services.delete_expired_results)()
