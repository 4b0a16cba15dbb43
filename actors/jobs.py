"""The one way an actor runs a ``Job``: start it, report progress, finish it exactly once."""

import functools
import logging
from collections.abc import Callable
from typing import Any

import dramatiq

from apps.jobs import services
from apps.jobs.models import Job

logger = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]


def job_actor(*, actor_name: str, queue_name: str = "default", **options: Any):
    """Declare an actor that takes ``job_id`` and runs ``fn(job, progress)``; its return value is the job result.

    A redelivered message for a finished job does nothing. Exceptions propagate to Dramatiq's retries; when they
    run out, ``FailJobWhenExhausted`` marks the job failed. Exceptions listed in ``throws`` fail it at once.
    """

    def decorate(fn: Callable[[Job, Progress], Any]):
        @functools.wraps(fn)
        def run(job_id: str) -> None:
            job = services.start(job_id)
            if job is None:
                logger.info("job already finished, skipping", extra={"job_id": job_id})
                return

            def report(done: int, total: int | None = None) -> None:
                services.progress(job_id, done, total)

            services.finish(job_id, fn(job, report))

        return dramatiq.actor(actor_name=actor_name, queue_name=queue_name, **options)(run)

    return decorate
