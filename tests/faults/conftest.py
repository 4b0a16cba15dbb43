"""Real worker processes (the ``dramatiq`` command) that a test can SIGKILL and restart."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """``dramatiq actors`` on the test database and Redis, with fast dead-worker detection."""

    def __init__(self, queues: list[str], threads: int = 2):
        self.queues, self.threads = queues, threads
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

    def make(queues: list[str], threads: int = 2) -> WorkerProcess:
        process = WorkerProcess(queues, threads)
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
