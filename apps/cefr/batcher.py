"""A process-local micro-batcher: many threads submit texts, one model thread runs one forward pass per batch.

Dramatiq worker threads call ``classify(texts)``; it blocks on futures while the model thread gathers whatever has
arrived, up to ``max_batch`` texts or ``max_wait_ms`` after the first one, and resolves each caller's futures with
its own results. With ``max_wait_ms=0`` (the default setting) a batch is what has queued by the time the model
thread is free: a lone request runs at once, and under load the texts that arrive during one forward pass form the
next batch. No torch here: ``predict`` is any ``list[str] -> list[result]`` function.
"""

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from apps.core.metrics import BATCH_SIZE, MODEL_CPU

logger = logging.getLogger(__name__)

Predict = Callable[[list[str]], list[Any]]


class MicroBatcher:
    """Gathers concurrent requests into batches for ``predict``; thread-safe; one daemon model thread."""

    def __init__(self, predict: Predict, max_batch: int = 32, max_wait_ms: float = 10, name: str = "batcher"):
        self.predict, self.max_batch, self.max_wait = predict, max_batch, max_wait_ms / 1000
        self.batch_sizes: list[int] = []  # recent batch sizes, for metrics and tests
        self._queue: queue.Queue[tuple[str, Future]] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, texts: list[str]) -> list[Future]:
        """Queue ``texts``; return one future per text (its result or the batch's exception)."""
        futures = []
        for text in texts:
            future: Future = Future()
            self._queue.put((text, future))
            futures.append(future)
        return futures

    def classify(self, texts: list[str], timeout: float | None = None) -> list[Any]:
        """Block until every text has its result (in input order); re-raise the model's exception."""
        return [future.result(timeout) for future in self.submit(texts)]

    def _gather(self) -> list[tuple[str, Future]]:
        batch = [self._queue.get()]
        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.max_batch:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _loop(self) -> None:
        while True:
            batch = self._gather()
            texts = [text for text, _ in batch]
            started = time.thread_time()
            try:
                results = self.predict(texts)
            except Exception as exc:
                for _, future in batch:
                    future.set_exception(exc)
                continue
            self.batch_sizes = [*self.batch_sizes[-999:], len(batch)]
            BATCH_SIZE.labels(self._thread.name).observe(len(batch))
            MODEL_CPU.labels(self._thread.name).inc(time.thread_time() - started)
            for (_, future), result in zip(batch, results, strict=True):
                future.set_result(result)
