"""The Dramatiq broker for this process, chosen by settings, and enqueueing by actor name.

Apps enqueue work by actor *name* (``enqueue("selftest.cpu", "interactive", job_id=...)``) so they never import
``actors/``; the worker processes import ``actors`` and run them. With ``REDIS_URL`` the Redis broker is used; without
it an in-memory broker whose worker runs inside the web process (``EMBEDDED_WORKER``).
"""

import logging
import threading
import time
from collections.abc import Iterable

import dramatiq
import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from dramatiq.broker import Consumer
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from apps.core.errors import ServiceUnavailable
from apps.jobs.middleware import ActorMetrics, CloseDbConnections, FailJobWhenExhausted

logger = logging.getLogger(__name__)


def setup_broker() -> dramatiq.Broker:
    """Create and install the broker for the current settings, declaring every queue."""
    # after_* hooks run in reverse order: FailJobWhenExhausted sits before Retries so it sees ``message.failed``.
    middleware = [
        FailJobWhenExhausted(),
        AgeLimit(),
        TimeLimit(),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(max_retries=settings.JOB_MAX_RETRIES, min_backoff=500, max_backoff=30_000),
        CurrentMessage(),
        CloseDbConnections(),
        ActorMetrics(),
    ]
    broker: dramatiq.Broker
    if settings.REDIS_URL:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
            socket_timeout=max(settings.REDIS_SOCKET_TIMEOUT, 5),
            health_check_interval=30,
        )
        broker = HandOffRedisBroker(
            namespace=f"{settings.REDIS_PREFIX}:dramatiq",
            middleware=middleware,
            client=client,
            heartbeat_timeout=settings.BROKER_HEARTBEAT_TIMEOUT_MS,
            maintenance_chance=settings.BROKER_MAINTENANCE_CHANCE,
        )
    else:
        broker = StubBroker(middleware=middleware)
    for queue in settings.WORKER_QUEUES:
        broker.declare_queue(queue)
    dramatiq.set_broker(broker)
    return broker


class HandOffRedisBroker(RedisBroker):
    """The Redis broker, with consumers that fetch the next message the moment a worker thread is free.

    A consumer that holds as many messages as it may prefetch (one, in the OCR image pool: a page never waits
    behind another in a busy process) cannot fetch, and Dramatiq's Redis consumer then sleeps its poll back-off (up
    to the worker timeout, 50 ms on the request queues) before it looks again: every OCR page paid up to 50 ms
    (36-50 ms measured) between one page's acknowledgement and the next page's start, 2% of a burst. With prefetch 1
    the consumer is a ``HandOffConsumer``, which sleeps on the acknowledgement instead.
    """

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Consumer:
        consumer = super().consume(queue_name, prefetch, timeout)
        if prefetch > 1:
            # A process that takes more messages than one (the CEFR pool: 32 for 16 threads) has the next one at
            # hand when a thread finishes; fetching on every ack there would only add Redis round trips.
            return consumer
        return HandOffConsumer(consumer, timeout)


BUSY_RECHECK_S = 1.0


class HandOffConsumer(Consumer):
    """Wraps a Redis consumer: while every prefetch slot is taken it waits for an ack or nack (at most a second, or
    ``timeout`` ms if longer, so the consumer thread still checks for shutdown and delayed messages), and then
    fetches at once; otherwise the Redis consumer polls as usual."""

    def __init__(self, inner, timeout: int):
        self.inner = inner
        # While busy, only an ack can change anything; waking every second still lets the thread notice a shutdown.
        # (Each wake-up costs ~0.2 ms of CPU on these VMs: 20 a second per busy OCR worker at the poll interval.)
        self.busy_timeout = max(timeout / 1000, BUSY_RECHECK_S)
        self.freed = threading.Event()

    def __next__(self):
        self.freed.clear()  # before looking, so an ack between the look and the wait still ends the wait
        if not self.inner.message_cache and self.inner.outstanding_message_count >= self.inner.prefetch:
            self.freed.wait(self.busy_timeout)
            return None
        return next(self.inner)

    def ack(self, message) -> None:
        try:
            self.inner.ack(message)
        finally:
            self.freed.set()

    def nack(self, message) -> None:
        try:
            self.inner.nack(message)
        finally:
            self.freed.set()

    def requeue(self, messages) -> None:
        self.inner.requeue(messages)

    def close(self) -> None:
        self.inner.close()


def enqueue(actor_name: str, queue: str, **kwargs) -> str:
    """Send a message to ``actor_name`` on ``queue``; return the message id. Blocking I/O: call from a thread."""
    message: dramatiq.Message = dramatiq.Message(
        queue_name=queue, actor_name=actor_name, args=(), kwargs=kwargs, options={}
    )
    return dramatiq.get_broker().enqueue(message).message_id


class QueueFull(ServiceUnavailable):
    """Raised when a queue holds more waiting messages than QUEUE_MAX_DEPTH allows (backpressure)."""

    def __init__(self, queue: str, depth: int):
        super().__init__(f"The service is busy ({depth} {queue} tasks waiting); retry shortly", retry_after=10)


def queue_depth(queue: str) -> int:
    """Messages waiting in one queue (delayed retries included). Blocking I/O: call from a thread."""
    broker = dramatiq.get_broker()
    if isinstance(broker, RedisBroker):
        ns = broker.namespace
        return int(broker.client.llen(f"{ns}:{queue}")) + int(broker.client.llen(f"{ns}:{queue}.DQ"))
    return broker.queues[queue].qsize() if queue in broker.queues else 0


DEPTH_MAX_AGE = 0.5  # seconds a measured queue depth is reused by the requests of this process
_depths: dict[str, tuple[int, float]] = {}


async def admit(queue: str) -> None:
    """Refuse new work (``QueueFull``, a 503 with Retry-After) while ``queue`` is deeper than its limit.

    The depth is read at most every DEPTH_MAX_AGE seconds per process, so a burst costs one Redis round trip, not
    one per request; the limit is a soft bound anyway.
    """
    limit = settings.QUEUE_MAX_DEPTH.get(queue)
    if limit is None:
        return
    depth, measured = _depths.get(queue, (0, 0.0))
    if time.monotonic() - measured > DEPTH_MAX_AGE:
        try:
            depth = await sync_to_async(queue_depth, thread_sensitive=False)(queue)
        except Exception as exc:
            raise ServiceUnavailable("The job queue is unavailable, retry shortly") from exc
        _depths[queue] = (depth, time.monotonic())
    if depth >= limit:
        raise QueueFull(queue, depth)


def queue_depths() -> dict[str, int]:
    """Messages waiting per queue (delayed retries included)."""
    return {queue: queue_depth(queue) for queue in settings.WORKER_QUEUES}


def collect_queue_depth() -> Iterable[Metric]:
    family = GaugeMetricFamily("queue_depth", "Messages waiting in each Dramatiq queue", labels=["queue"])
    try:
        for queue, depth in queue_depths().items():
            family.add_metric([queue], depth)
    except Exception:  # the broker being down must not break the whole scrape
        logger.warning("queue depth unavailable", exc_info=True)
    yield family


def check_broker() -> dict:
    """Readiness of the broker: a Redis round trip, or the embedded broker's presence."""
    started = time.perf_counter()
    broker = dramatiq.get_broker()
    if isinstance(broker, RedisBroker):
        broker.client.ping()
    return {"backend": type(broker).__name__, "ms": round((time.perf_counter() - started) * 1000, 2)}
