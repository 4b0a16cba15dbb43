"""Redis goes away under a running service: 503 with Retry-After meanwhile, recovery within 5 s of its return, and
jobs accepted before the restart are done afterwards.

Redis holds only the cache (verified tokens, rate limits, websocket tickets) and the channel layer; the job queue is
RabbitMQ's (the suite's vhost). While Redis is down every call that needs the cache, every authenticated API call
among them, answers 503 with Retry-After, readiness says the cache (and only the cache) is down, liveness stays up,
and the jobs accepted before are still waiting in RabbitMQ, to be done once a worker runs.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from apps.jobs import broker
from apps.jobs.models import Job, JobStatus
from tests.conftest import PASSWORD
from tests.faults.conftest import ROOT, wait_until
from tests.faults.servers import Redis, free_port, http_ok

pytestmark = pytest.mark.django_db(transaction=True)


def _env(redis_port: int) -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)  # BROKER_URL: the suite's RabbitMQ vhost, as in this process
    env.update(
        DATABASE_URL=f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",  # the cache (CACHE_URL unset) and the channel layer
        REDIS_SOCKET_TIMEOUT="0.5",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture
def stack(tmp_path):
    redis = Redis(tmp_path)
    redis.start()
    port = free_port()
    env = _env(redis.port)
    argv = [sys.executable, "-m", "uvicorn", "project.asgi:application", "--port", str(port)]
    web = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)  # fmt: skip
    procs = {"web": web}
    yield redis, f"http://127.0.0.1:{port}", env, procs
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    redis.stop()


def test_redis_restart_gives_503_then_recovers_and_accepted_jobs_wait_in_rabbitmq(stack, staff):
    redis, url, env, procs = stack
    hasher = PBKDF2PasswordHasher()
    staff.password = hasher.encode(PASSWORD, hasher.salt())  # the server process runs the default hashers
    staff.save()
    client = httpx.Client(base_url=url, timeout=10)
    assert wait_until(lambda: http_ok(client, "/api/ready"), timeout=60)
    token = client.post("/api/auth/token", json={"username": "sam", "password": PASSWORD}).json()["access"]
    auth = {"Authorization": f"Bearer {token}"}
    accepted = [client.post("/api/jobs/selftest", json={"work_ms": 20, "wait": False}, headers=auth) for _ in range(3)]
    assert [r.status_code for r in accepted] == [202, 202, 202]

    redis.stop()
    assert broker.queue_depth("interactive") == 3  # the accepted jobs wait in RabbitMQ, Redis has none of them
    down = client.get("/api/ready")
    assert down.status_code == 503 and down.headers["Retry-After"]
    components = down.json()["error"]["detail"]["components"]
    assert components["cache"]["ok"] is False, components
    assert components["broker"]["ok"] is True and components["database"]["ok"] is True, components
    busy = client.post("/api/jobs/selftest", json={"work_ms": 20, "wait": False}, headers=auth)
    assert busy.status_code == 503 and busy.headers["Retry-After"]  # verifying the token needs the cache
    listed = client.get("/api/jobs", headers=auth)
    assert listed.status_code == 503 and listed.headers["Retry-After"]
    assert client.get("/api/health").status_code == 200  # liveness needs no Redis

    redis.start()
    back = time.monotonic()
    assert wait_until(lambda: http_ok(client, "/api/ready"), timeout=5, interval=0.1), "not ready within 5 s of Redis"
    after = client.post("/api/jobs/selftest", json={"work_ms": 20, "wait": False}, headers=auth)
    recovered_in = time.monotonic() - back
    assert after.status_code == 202, after.text
    assert recovered_in < 5

    dramatiq = str(Path(sys.executable).parent / "dramatiq")
    argv = [dramatiq, "actors", "--processes", "1", "--threads", "2", "--queues", "interactive"]
    procs["worker"] = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)  # fmt: skip
    ids = [r.json()["job_id"] for r in [*accepted, after]]
    assert wait_until(lambda: Job.objects.filter(pk__in=ids, status=JobStatus.DONE).count() == 4, timeout=90), (
        "jobs accepted before the restart were lost"
    )
    for job in Job.objects.filter(pk__in=ids):
        assert job.result["primes"] > 0 and job.attempts == 1  # each done once
    print(f"\nRedis restart: ready and accepting a job {recovered_in:.2f} s after its return")
