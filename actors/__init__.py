"""Dramatiq actors. Run the workers with ``dramatiq actors`` (``make worker``).

Django is set up (which installs the broker, see ``apps.jobs.broker``) before any actor module is imported, so
every ``@dramatiq.actor`` registers on the right broker. Worker processes load their models once, at boot.
"""

import os

import django
import dramatiq

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django.setup()

from actors import cefr, chat, leveltest, ocr, privacy, selftest  # noqa: E402,F401
from apps.ocr import pipeline  # noqa: E402


class WarmUpModels(dramatiq.Middleware):
    """Load the models of the queues this worker consumes when a worker process boots (logs a clear error)."""

    def after_worker_boot(self, broker, worker):
        queues = worker.consumer_whitelist or {"cefr", "interactive", "documents"}
        if "cefr" in queues:
            cefr.warm_up()
        if queues & {"interactive", "documents"}:
            pipeline.warm_up()


dramatiq.get_broker().add_middleware(WarmUpModels())
