"""Dramatiq actors. Run the workers with ``dramatiq actors`` (``make worker``).

Django is set up (which installs the broker, see ``apps.jobs.broker``) before any actor module is imported, so
every ``@dramatiq.actor`` registers on the right broker. Worker processes load their models once, at boot.
"""

import os

import django
import dramatiq
import dramatiq.worker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django.setup()

from django.conf import settings  # noqa: E402

from actors import cefr, chat, leveltest, ocr, selftest  # noqa: E402,F401


class PollingConsumerThread(dramatiq.worker.ConsumerThread):
    """A consumer of a ``WORKER_FAST_QUEUES`` queue polls it every ``WORKER_POLL_MS`` at most while idle; other
    queues and the delay queues keep the worker's own timeout.

    Dramatiq uses one timeout for everything idle in a worker: how long a consumer backs off between polls of an
    empty queue (latency: an image request after a quiet spell waited up to that long), how often its delay-queue
    consumers poll, and how often every idle worker thread wakes up to check for shutdown. At 50 ms for all of them
    an idle worker machine spent 14% of a core polling (2.85 CPU-s in 20 s, six pool processes and their 26 threads);
    only the first matters for latency, and only on the queues requests wait on. The worker command sets the common
    timeout to 1 s.
    """

    def __init__(self, *, queue_name: str, worker_timeout: int, **kwargs):
        if queue_name in settings.WORKER_FAST_QUEUES:
            worker_timeout = min(worker_timeout, settings.WORKER_POLL_MS)
        super().__init__(queue_name=queue_name, worker_timeout=worker_timeout, **kwargs)


# Worker._add_consumer looks the class up in its module by name.
dramatiq.worker.ConsumerThread = PollingConsumerThread  # type: ignore[misc]


class WarmUpModels(dramatiq.Middleware):
    """Load the models of the queues this worker consumes when a worker process boots (logs a clear error)."""

    def after_worker_boot(self, broker, worker):
        queues = worker.consumer_whitelist or {"cefr", "interactive", "documents"}
        if "cefr" in queues:
            cefr.warm_up()
        if queues & {"interactive", "documents"}:
            ocr.warm_up()


dramatiq.get_broker().add_middleware(WarmUpModels())
