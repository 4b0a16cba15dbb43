"""Installs this process's Dramatiq broker, chosen by settings, with the project's middleware and every queue.

With ``BROKER_URL`` (services profile) Dramatiq's RabbitMQ broker: RabbitMQ pushes each message to an idle consumer
the moment it is published (no polling), queues are durable, messages persistent, and every publish waits for
RabbitMQ's confirmation, so an accepted job is on disk. Without it, an in-memory broker whose worker runs inside the
web process (``EMBEDDED_WORKER``). ``JobsConfig.ready`` calls ``setup_broker`` before any actor is declared.
"""

import dramatiq
from django.conf import settings
from dramatiq.brokers.rabbitmq import RabbitmqBroker
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

from apps.jobs.middleware import ActorMetrics, CloseDbConnections, FailJobWhenExhausted


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
    if settings.BROKER_URL:
        broker = RabbitmqBroker(url=settings.BROKER_URL, confirm_delivery=True, middleware=middleware)
    else:
        broker = StubBroker(middleware=middleware)
    for queue in settings.WORKER_QUEUES:
        broker.declare_queue(queue)
    dramatiq.set_broker(broker)
    return broker
