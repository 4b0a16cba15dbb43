"""Declaring actors from ``ActorRef``s: the worker side of a message uses the name and queue the sender uses.

``actor(ref)`` is a plain Dramatiq actor; ``job_actor(ref)`` runs a ``Job``: start it, report progress, finish it
exactly once. ``actors/*.py`` declare every actor with one of the two.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

import dramatiq

from apps.jobs import services
from apps.jobs.models import Job
from apps.jobs.queues import ActorRef

logger = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]


def actor(ref: ActorRef, **options: Any) -> Callable[[Callable[..., None]], dramatiq.Actor]:
    """Declare ``fn`` as the actor ``ref`` names, on ``ref``'s queue (``options`` go to ``dramatiq.actor``)."""
    return dramatiq.actor(actor_name=ref.name, queue_name=ref.queue, **options)


def job_actor(ref: ActorRef, **options: Any) -> Callable[[Callable[[Job, Progress], Any]], dramatiq.Actor]:
    """Declare an actor that takes ``job_id`` and runs ``fn(job, progress)``; its return value is the job result.

    A redelivered message for a finished job does nothing. Exceptions propagate to Dramatiq's retries; when they
    run out, ``FailJobWhenExhausted`` marks the job failed. Exceptions listed in ``throws`` fail it at once.
    """

    def decorate(fn: Callable[[Job, Progress], Any]) -> dramatiq.Actor:
        @functools.wraps(fn)
        def run(job_id: str) -> None:
            job = services.start(job_id)
            if job is None:
                logger.info("job already finished, skipping", extra={"job_id": job_id})
                return

            def report(done: int, total: int | None = None) -> None:
                services.progress(job_id, done, total)

            services.finish(job_id, fn(job, report))

        return actor(ref, **options)(run)

    return decorate
