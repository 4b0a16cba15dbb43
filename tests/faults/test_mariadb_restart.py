"""MariaDB crashes and comes back under load: 503 with Retry-After while it is down (liveness stays up), ready again
within 5 s of its return, and every job accepted before the crash is done exactly once afterwards.

The server, a worker and the database are real processes: a private ``mariadbd`` on its own data folder (migrated
with ``manage.py migrate``), uvicorn and ``dramatiq`` on it, the suite's RabbitMQ vhost (its queues emptied before
each test) and the suite's Redis.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.faults.conftest import ROOT, wait_until
from tests.faults.servers import MariaDB, free_port, http_ok, stop_group

JOBS = 6
WORK_MS = 1500


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_PREFIX=f"lingua-test-mdb-{uuid.uuid4().hex[:8]}",  # private cache and channel-layer keys
        JOB_MAX_RETRIES="20",
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, timeout=180)
    assert done.returncode == 0, done.stderr.decode()[-2000:]


@pytest.fixture
def stack(tmp_path):
    database = MariaDB(tmp_path)
    database.install()
    env = _env(database.url)
    _manage(env, "migrate", "--noinput", "-v0")
    create = (
        f"from apps.accounts.models import User; User.objects.create_user('sam', password={PASSWORD!r}, role='staff')"
    )
    _manage(env, "shell", "-c", create)
    port = free_port()
    web = [sys.executable, "-m", "uvicorn", "project.asgi:application", "--port", str(port)]
    worker = [str(Path(sys.executable).parent / "dramatiq"), "actors", "--processes", "1", "--threads", "2",
              "--queues", "interactive"]  # fmt: skip
    log = (tmp_path / "processes.log").open("w")
    procs = [subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
             for argv in (web, worker)]  # fmt: skip
    yield database, f"http://127.0.0.1:{port}"
    for proc in procs:
        stop_group(proc)
    log.close()
    database.stop()


class Load(threading.Thread):
    """Keeps the server busy (health, readiness and job submissions in a loop) and records every status."""

    def __init__(self, url: str, auth: dict):
        super().__init__(daemon=True)
        self.url, self.auth, self.statuses, self.problems = url, auth, Counter(), []
        self.halt = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=10) as client:
            while not self.halt.is_set():
                for method, path, body in (("GET", "/api/health", None), ("GET", "/api/ready", None),
                                           ("GET", "/api/jobs", None)):  # fmt: skip
                    try:
                        response = client.request(method, path, json=body, headers=self.auth)
                    except httpx.HTTPError as exc:
                        self.problems.append(f"{path}: {exc!r}")
                        continue
                    self.statuses[response.status_code] += 1
                    if response.status_code >= 500 and not (
                        response.status_code == 503 and response.headers.get("Retry-After")
                    ):
                        self.problems.append(f"{path}: {response.status_code} {response.text[:200]}")
                time.sleep(0.02)


def _statuses(database: MariaDB, ids: list[str]) -> list[tuple]:
    placeholders = ", ".join(f"'{job_id.replace('-', '')}'" for job_id in ids)
    return database.sql(f"SELECT status, result FROM jobs_job WHERE id IN ({placeholders})", database.database)


def test_mariadb_crash_gives_503_then_recovers_and_keeps_accepted_jobs(stack):
    database, url = stack
    client = httpx.Client(base_url=url, timeout=10)
    assert wait_until(lambda: http_ok(client, "/api/ready"), timeout=60)
    token = client.post("/api/auth/token", json={"username": "sam", "password": PASSWORD}).json()["access"]
    auth = {"Authorization": f"Bearer {token}"}
    load = Load(url, auth)
    load.start()

    accepted = [client.post("/api/jobs/selftest", json={"work_ms": WORK_MS, "wait": False}, headers=auth)
                for _ in range(JOBS)]  # fmt: skip
    assert [r.status_code for r in accepted] == [202] * JOBS, [r.text for r in accepted]
    ids = [r.json()["job_id"] for r in accepted]
    assert wait_until(lambda: any(s == "running" for s, _ in _statuses(database, ids)), timeout=30)

    database.crash()  # mid-job: the worker is running two of them
    down = client.get("/api/ready")
    assert down.status_code == 503 and down.headers["Retry-After"]
    assert down.json()["error"]["detail"]["components"]["database"]["ok"] is False
    busy = client.post("/api/jobs/selftest", json={"work_ms": 20, "wait": False}, headers=auth)
    assert busy.status_code == 503 and busy.headers["Retry-After"], busy.text
    assert client.get("/api/health").status_code == 200  # liveness needs no database
    time.sleep(2)  # stay down a while under load

    database.start()
    back = time.monotonic()
    assert wait_until(lambda: http_ok(client, "/api/ready"), timeout=5, interval=0.1), "not ready within 5 s"
    recovered_in = time.monotonic() - back
    after = client.post("/api/jobs/selftest", json={"work_ms": 20, "wait": False}, headers=auth)
    assert after.status_code == 202, after.text
    ids.append(after.json()["job_id"])

    assert wait_until(lambda: all(s == "done" for s, _ in _statuses(database, ids)), timeout=120), (
        f"jobs accepted before the crash were lost or stuck: {_statuses(database, ids)}"
    )
    assert len(_statuses(database, ids)) == JOBS + 1  # one row each: nothing duplicated, nothing lost
    load.halt.set()
    load.join(timeout=15)
    assert not load.problems, load.problems[:10]
    assert load.statuses[503] > 0 and load.statuses[200] > 0, load.statuses
    assert recovered_in < 5
