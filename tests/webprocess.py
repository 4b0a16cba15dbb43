"""A second web process: uvicorn serving ``project.asgi`` on the test database, Redis and RabbitMQ vhost.

Tokens issued in the test process work there (same ``SECRET_KEY``), and what the test process does through its own
in-process ASGI client happens, for the second process, on another web process.
"""

import os
import subprocess
import sys
from pathlib import Path

import httpx
from django.db import connection

from tests.faults.conftest import wait_until
from tests.faults.servers import free_port, http_ok, stop_group

ROOT = Path(__file__).resolve().parents[1]


class WebProcess:
    def __init__(self, **env: str):
        db = connection.settings_dict
        self.env = dict(os.environ)  # REDIS_URL, BROKER_URL, SECRET_KEY, REDIS_PREFIX: the suite's own
        self.env.update(
            DATABASE_URL=f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            LOG_LEVEL="WARNING",
            **env,
        )
        self.port = free_port()
        self.url, self.ws_url = f"http://127.0.0.1:{self.port}", f"ws://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "WebProcess":
        argv = [sys.executable, "-m", "uvicorn", "project.asgi:application", "--port", str(self.port)]
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)  # fmt: skip
        with httpx.Client(base_url=self.url, timeout=5) as client:
            assert wait_until(lambda: http_ok(client, "/api/health"), timeout=90), (
                "the second web process did not start"
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no lifespan shutdown, no websocket disconnect handled, like a crash."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None:
            stop_group(self.proc, grace=10)
