"""Request/reply over the broker: the web process awaits a worker's answer without a thread and without a Job row.

``call`` subscribes a fresh channel to a one-off reply group, enqueues the message with ``reply_to`` and a
``deadline``, and awaits one ``receive``; the actor answers with ``reply``. A worker that picks the message up after
the deadline skips it (nobody is waiting any more).
"""

import time
import uuid
from typing import Any

from asgiref.sync import sync_to_async

from apps.core import waiting
from apps.core.errors import ServiceUnavailable
from apps.jobs import broker, events
from apps.jobs.queues import ActorRef


class RemoteError(Exception):
    """Raised when the worker answered with an error instead of a result."""


class WorkerTimeout(ServiceUnavailable):
    """Raised when no worker answered within the time budget (workers down, or the queue too deep)."""

    def __init__(self, what: str, timeout: float):
        super().__init__(f"No {what} worker answered within {timeout:g} s, retry shortly", retry_after=5)


async def call(ref: ActorRef, timeout: float, **kwargs: Any) -> Any:
    """Enqueue ``ref``'s actor with ``reply_to=..., deadline=..., **kwargs`` and return the worker's result.

    Raises ``WorkerTimeout`` (a 503) when no answer comes in ``timeout`` seconds, ``ServiceUnavailable`` when the
    broker cannot be reached, and ``RemoteError`` with the worker's message when it answered with an error.
    """
    group = f"reply.{uuid.uuid4().hex}"
    async with waiting.subscription(group) as replies:  # before the message leaves, so no reply can come first
        # Backpressure and the publish in one trip to a thread (each trip is a thread hop on a quiet request's path).
        await sync_to_async(broker.admit_and_enqueue, thread_sensitive=False)(
            ref, reply_to=group, deadline=time.time() + timeout, **kwargs
        )
        try:
            message = await replies.receive(timeout)
        except TimeoutError:
            raise WorkerTimeout(ref.name.split(".")[0], timeout) from None
    if message.get("error"):
        raise RemoteError(message["error"])
    return message.get("result")


def expired(deadline: float | None) -> bool:
    """Whether the caller of ``call`` has stopped waiting."""
    return deadline is not None and time.time() > deadline


def reply(reply_to: str, *, result: Any = None, error: str | None = None) -> None:
    """Answer a ``call`` from an actor (sync)."""
    events.send(reply_to, {"type": "rpc.reply", "result": result, "error": error})
