"""CEFR classification: request/reply from the web process (``apps.cefr.worker`` holds the model)."""

from apps.cefr import tasks, worker
from apps.jobs.declare import actor


@actor(tasks.CLASSIFY, max_retries=0, time_limit=60_000)
def classify(texts: list[str], reply_to: str, deadline: float | None = None) -> None:
    worker.classify(texts, reply_to, deadline)
