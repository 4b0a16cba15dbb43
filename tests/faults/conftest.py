"""Real worker processes (the ``dramatiq`` command) that a test can SIGKILL and restart, and a listener that counts
the ``job.done`` events of a user (one per job: done exactly once)."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

from apps.jobs import events

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """``dramatiq actors`` on the test database, RabbitMQ vhost and Redis (or the ``env`` given).

    A worker that dies, however abruptly, loses its AMQP connection with it: RabbitMQ puts the messages it had not
    acknowledged back in their queue at once and delivers them to another consumer (no heartbeat to wait for).
    """

    def __init__(self, queues: list[str], threads: int = 2, env: dict[str, str] | None = None):
        self.queues, self.threads, self.extra_env = queues, threads, env or {}
        self.proc: subprocess.Popen | None = None
        self.log = Path(settings.DATA_DIR) / "fault-worker.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        db = connection.settings_dict
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            JOB_MAX_RETRIES="20",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        dramatiq = str(Path(sys.executable).parent / "dramatiq")
        argv = [dramatiq, "actors", "--processes", "1", "--threads", str(self.threads), "--queues", *self.queues]
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(argv, cwd=ROOT, env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)  # fmt: skip

    def kill(self) -> None:
        """SIGKILL the whole worker (master and worker process): no cleanup, no ack, like a power cut."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_process():
    created: list[WorkerProcess] = []

    def make(queues: list[str], threads: int = 2, env: dict[str, str] | None = None) -> WorkerProcess:
        process = WorkerProcess(queues, threads, env)
        created.append(process)
        return process

    yield make
    for process in created:
        process.stop()


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class LoopThread:
    """An asyncio event loop on a daemon thread of the test process."""

    def __init__(self, name: str):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 10) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=timeout)

    def close(self) -> None:
        if not self.thread.is_alive():
            return

        async def cancel_the_rest() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        self.run(cancel_the_rest())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


class DoneEvents:
    """Counts the ``job.done`` events sent to a user's group on the channel layer: one per job means done once."""

    def __init__(self, user_id: int):
        self.group, self.counts = events.user_group(user_id), Counter()
        self._loop = LoopThread("done-events")
        self._loop.run(self._subscribe())

    async def _subscribe(self) -> None:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(self.group, channel)
        asyncio.ensure_future(self._receive(layer, channel))

    async def _receive(self, layer, channel: str) -> None:
        while True:
            event = (await layer.receive(channel))["event"]
            if event["type"] == "job.done":
                self.counts[event["job_id"]] += 1

    def close(self) -> None:
        if self._loop.thread.is_alive():
            self._loop.run(get_channel_layer().flush())
        self._loop.close()


@pytest.fixture
def done_events(staff):
    """The ``job.done`` events of ``staff`` (the fault tests' job owner), counted per job id."""
    listener = DoneEvents(staff.id)
    yield listener
    listener.close()
