"""Dramatiq middleware for this project: database hygiene, actor metrics, and failing jobs whose retries ran out."""

import logging
import time

from django.db import close_old_connections
from dramatiq import Middleware

from apps.core.metrics import ACTOR_DURATION
from apps.jobs.services import fail

logger = logging.getLogger(__name__)


class CloseDbConnections(Middleware):
    """Close stale database connections around each message, as Django does around each request."""

    def before_process_message(self, broker, message):
        close_old_connections()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        close_old_connections()

    after_skip_message = after_process_message


class ActorMetrics(Middleware):
    """Records ``actor_duration_seconds`` by actor and outcome in whichever process runs the actor."""

    def before_process_message(self, broker, message):
        message.options["_started"] = time.perf_counter()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        started = message.options.pop("_started", None)
        if started is not None:
            outcome = "ok" if exception is None else "error"
            ACTOR_DURATION.labels(message.actor_name, outcome).observe(time.perf_counter() - started)


class FailJobWhenExhausted(Middleware):
    """When a job's message fails for good (retries exhausted or a permanent error), mark the job failed once."""

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is None or not message.failed:
            return
        job_id = message.kwargs.get("job_id")
        if not job_id:
            return
        try:
            fail(job_id, f"{type(exception).__name__}: {exception}"[:2000])
        except Exception:
            logger.exception("could not mark job failed", extra={"job_id": job_id})
