"""The job lifecycle: submit from the web, report from actors, wait without blocking.

Every change of a job goes through ``_report``: it updates the row, then publishes ``job.progress``, ``job.done``
or ``job.failed`` to the owner's websocket group and to the job's own group (where web requests may wait). The row
is the source of truth: a client that missed an event reads ``GET /api/jobs/{id}``.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from apps.core import waiting
from apps.core.errors import ServiceUnavailable
from apps.jobs import broker, events
from apps.jobs.models import FINISHED, Job, JobStatus
from apps.jobs.queues import ActorRef

logger = logging.getLogger(__name__)


async def submit(
    owner_id: int,
    kind: str,
    ref: ActorRef,
    *,
    params: dict[str, Any] | None = None,
    total: int | None = None,
    attach: Callable[[Job], Awaitable[None]] | None = None,
) -> Job:
    """Create a queued job and enqueue ``ref``'s actor with ``job_id=...`` on ``ref``'s queue.

    ``attach(job)`` runs between the two: an object that the actor finds through its job (a document) must point to
    the job before the message exists, or a fast worker finds nothing and the job never ends.

    Raises ``ServiceUnavailable`` (503) when the broker is down or the queue is past its depth limit (nothing is
    created then).
    """
    await broker.admit(ref.queue)
    job = await Job.objects.acreate(owner_id=owner_id, kind=kind, params=params or {}, progress_total=total)
    if attach is not None:
        await attach(job)
    try:
        await sync_to_async(broker.enqueue, thread_sensitive=False)(ref, job_id=str(job.id))
    except Exception as exc:
        logger.error("enqueue failed", extra={"job_id": str(job.id), "actor": ref.name}, exc_info=True)
        await Job.objects.filter(pk=job.pk).aupdate(
            status=JobStatus.FAILED, error="Could not be queued", finished_at=timezone.now()
        )
        raise ServiceUnavailable("The job queue is unavailable, retry shortly") from exc
    return job


def create_finished(owner_id: int, kind: str, result: Any) -> Job:
    """A job that is done from the start (its result was already known); no event is sent."""
    now = timezone.now()
    return Job.objects.create(
        owner_id=owner_id,
        kind=kind,
        status=JobStatus.DONE,
        progress_done=1,
        progress_total=1,
        result=result,
        started_at=now,
        finished_at=now,
    )


async def wait(job: Job, timeout: float | None = None) -> Job:
    """Return the job once finished, or as it stands after ``timeout`` seconds (``JOB_WAIT_SECONDS`` by default).

    Subscribes to the job's group first and only then re-reads the row, so a job finishing in between is not
    missed. Waiting holds no thread: it is one channel-layer receive on the event loop.
    """
    timeout = settings.JOB_WAIT_SECONDS if timeout is None else timeout
    async with waiting.subscription(events.job_group(str(job.id))) as events_of_the_job:
        deadline = asyncio.get_running_loop().time() + timeout
        job = await Job.objects.aget(pk=job.pk)
        while not job.is_finished:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                message = await events_of_the_job.receive(remaining)
            except TimeoutError:
                break
            if message.get("event", {}).get("status") in FINISHED:
                job = await Job.objects.aget(pk=job.pk)
        return job


def start(job_id: str) -> Job | None:
    """Mark the job running (one more attempt); ``None`` when it is already finished, so a redelivery is a no-op."""
    updated = (
        Job.objects.filter(pk=job_id)
        .exclude(status__in=FINISHED)
        .update(status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now())
    )
    if not updated:
        return None
    job = Job.objects.get(pk=job_id)
    _publish(job, "job.progress")
    return job


def progress(job_id: str, done: int, total: int | None = None) -> None:
    """Record ``done`` of ``total`` steps and tell the owner."""
    fields: dict[str, Any] = {"progress_done": done}
    if total is not None:
        fields["progress_total"] = total
    _report(job_id, "job.progress", fields)


def finish(job_id: str, result: Any) -> bool:
    """Store the result and mark the job done; ``False`` (and no event) if it had already finished."""
    return _report(job_id, "job.done", {"status": JobStatus.DONE, "result": result, "finished_at": timezone.now()})


def fail(job_id: str, error: str) -> bool:
    """Mark the job failed with a message for its owner; ``False`` if it had already finished."""
    return _report(job_id, "job.failed", {"status": JobStatus.FAILED, "error": error, "finished_at": timezone.now()})


def _report(job_id: str, event_type: str, fields: dict[str, Any]) -> bool:
    # The status guard makes "done" happen exactly once even when a message is delivered twice.
    updated = Job.objects.filter(pk=job_id).exclude(status__in=FINISHED).update(**fields)
    if not updated:
        return False
    _publish(Job.objects.get(pk=job_id), event_type)
    return True


def _publish(job: Job, event_type: str) -> None:
    event = job.as_event(event_type)
    try:
        events.publish([events.user_group(job.owner_id), events.job_group(str(job.id))], event)
    except Exception:
        # The row is already updated; a client that misses the event reads GET /api/jobs/{id}.
        logger.warning("event publish failed", extra={"job_id": str(job.id)}, exc_info=True)
