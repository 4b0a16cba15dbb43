"""Sending messages by actor reference, and backpressure: the depth of each queue.

Apps enqueue work by ``ActorRef`` (``enqueue(tasks.PAGE, job_id=..., number=...)``, see ``apps.jobs.queues``) so
they never import ``actors/``; the worker processes import ``actors``, which declare each actor with the same
reference. The broker itself is installed by ``apps.jobs.setup``.
"""

import logging
import time
from collections.abc import Iterable

import dramatiq
import pika.exceptions
from asgiref.sync import sync_to_async
from django.conf import settings
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from prometheus_client.core import GaugeMetricFamily, Metric

from apps.core.errors import ServiceUnavailable
from apps.jobs.queues import ActorRef

logger = logging.getLogger(__name__)


def enqueue(ref: ActorRef, **kwargs) -> str:
    """Send ``kwargs`` to the actor ``ref`` names, on ``ref``'s queue; return the message id. Blocking I/O: call from
    a thread."""
    message: dramatiq.Message = dramatiq.Message(
        queue_name=ref.queue, actor_name=ref.name, args=(), kwargs=kwargs, options={}
    )
    return dramatiq.get_broker().enqueue(message).message_id


class QueueFull(ServiceUnavailable):
    """Raised when a queue holds more waiting messages than QUEUE_MAX_DEPTH allows (backpressure)."""

    def __init__(self, queue: str, depth: int):
        super().__init__(f"The service is busy ({depth} {queue} tasks waiting); retry shortly", retry_after=10)


def queue_depth(queue: str) -> int:
    """Messages waiting in one queue (ready and delayed retries; not those a worker holds). Blocking I/O."""
    broker = dramatiq.get_broker()
    if isinstance(broker, RabbitmqBroker):
        for attempt in (1, 2):
            try:
                ready, delayed, _dead = broker.get_queue_message_counts(queue)
                return ready + delayed
            except pika.exceptions.AMQPError:
                # This thread's connection died while the thread was idle (RabbitMQ restarted, or closed it for
                # missed heartbeats: a BlockingConnection answers them only during a call). Drop it and try once
                # more on a fresh one, as Dramatiq's enqueue does; only a second failure means RabbitMQ is down.
                del broker.connection
                if attempt == 2:
                    raise
    return broker.queues[queue].qsize() if queue in broker.queues else 0


DEPTH_MAX_AGE = 0.5  # seconds a measured queue depth is reused by the requests of this process
_depths: dict[str, tuple[int, float]] = {}


def check_depth(queue: str) -> None:
    """Raise ``QueueFull`` (a 503 with Retry-After) while ``queue`` holds at least its ``QUEUE_MAX_DEPTH``.

    The depth is read at most every DEPTH_MAX_AGE seconds per process, so a burst costs one broker round trip, not
    one per request; the limit is a soft bound anyway. Blocking I/O when the depth is stale: call from a thread.
    """
    limit = settings.QUEUE_MAX_DEPTH.get(queue)
    if limit is None:
        return
    depth, measured = _depths.get(queue, (0, 0.0))
    if time.monotonic() - measured > DEPTH_MAX_AGE:
        try:
            depth = queue_depth(queue)
        except Exception as exc:
            raise ServiceUnavailable("The job queue is unavailable, retry shortly") from exc
        _depths[queue] = (depth, time.monotonic())
    if depth >= limit:
        raise QueueFull(queue, depth)


def _depth_is_fresh(queue: str) -> bool:
    return time.monotonic() - _depths.get(queue, (0, 0.0))[1] <= DEPTH_MAX_AGE


async def admit(queue: str) -> None:
    """``check_depth`` from the event loop (a thread only when the depth must be read again)."""
    if settings.QUEUE_MAX_DEPTH.get(queue) is None or _depth_is_fresh(queue):
        check_depth(queue)
    else:
        await sync_to_async(check_depth, thread_sensitive=False)(queue)


def admit_and_enqueue(ref: ActorRef, **kwargs) -> str:
    """``check_depth`` then ``enqueue``, in one trip to a thread for callers that create nothing before sending
    (request/reply over the broker). Raises ``ServiceUnavailable`` or ``QueueFull``. Blocking I/O."""
    check_depth(ref.queue)
    try:
        return enqueue(ref, **kwargs)
    except Exception as exc:
        raise ServiceUnavailable("The job queue is unavailable, retry shortly") from exc


def collect_queue_depth() -> Iterable[Metric]:
    family = GaugeMetricFamily("queue_depth", "Messages waiting in each Dramatiq queue", labels=["queue"])
    try:
        for queue in settings.WORKER_QUEUES:
            family.add_metric([queue], queue_depth(queue))
    except Exception:  # the broker being down must not break the whole scrape
        logger.warning("queue depth unavailable", exc_info=True)
    yield family


def check_broker() -> dict:
    """Readiness of the broker: RabbitMQ answers for the queues (message counts), or the embedded broker exists."""
    started = time.perf_counter()
    broker = dramatiq.get_broker()
    depths = {queue: queue_depth(queue) for queue in settings.WORKER_QUEUES}
    return {"backend": type(broker).__name__, "ms": round((time.perf_counter() - started) * 1000, 2), "queues": depths}
