"""Dramatiq actors. Run the workers with ``dramatiq actors`` (``make worker``).

Django is set up (which installs the broker, see ``apps.jobs.setup``) before any actor module is imported, so
every actor registers on the right broker. Each module declares its actors with the ``ActorRef`` the sending side
uses (``@job_actor(tasks.REPORT)``, ``apps.jobs.declare``) and only calls the app's services with the ids it gets.
Worker processes load their models once, at boot.
"""

import os

import django
import dramatiq

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django.setup()

from actors import cefr, chat, leveltest, ocr, privacy, selftest  # noqa: E402,F401
from apps.cefr import worker as cefr_worker  # noqa: E402
from apps.jobs import queues  # noqa: E402
from apps.ocr import pipeline  # noqa: E402


class WarmUpModels(dramatiq.Middleware):
    """Load the models of the queues this worker consumes when a worker process boots (logs a clear error)."""

    def after_worker_boot(self, broker, worker):
        consumed = worker.consumer_whitelist or {queues.CEFR, queues.INTERACTIVE, queues.DOCUMENTS}
        if queues.CEFR in consumed:
            cefr_worker.warm_up()
        if consumed & {queues.INTERACTIVE, queues.DOCUMENTS}:
            pipeline.warm_up()


dramatiq.get_broker().add_middleware(WarmUpModels())
