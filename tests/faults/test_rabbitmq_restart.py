"""RabbitMQ goes away and comes back: 503 with Retry-After meanwhile (liveness stays up), ready and accepting jobs
again within 5 s of its return without restarting the web process, and every job it accepted is done exactly once.

The broker is a private RabbitMQ node (``servers.RabbitMQ``: its own ports, data and logs in the test's folder), so
stopping it disturbs nobody; it is started again on the same data, where the durable queues and the persistent
messages it confirmed are waiting. The web server (uvicorn) and the worker (``dramatiq``) are real processes on it,
with the suite's MariaDB database and Redis.
"""

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from apps.jobs.models import Job, JobStatus
from tests.conftest import PASSWORD
from tests.faults.conftest import ROOT, wait_until
from tests.faults.servers import RabbitMQ, free_port, http_ok, stop_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]

BEFORE_JOBS = 5
DOWN_SECONDS = 3  # stays down this long under load before it is started again
RECOVERY_SECONDS = 5


def _env(broker_url: str) -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"mysql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        BROKER_URL=broker_url,
        JOB_MAX_RETRIES="20",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture
def stack(tmp_path, staff):
    hasher = PBKDF2PasswordHasher()
    staff.password = hasher.encode(PASSWORD, hasher.salt())  # the server process runs the default hashers
    staff.save()
    rabbitmq = RabbitMQ(tmp_path)
    rabbitmq.start()
    env = _env(rabbitmq.url)
    port = free_port()
    log = (tmp_path / "processes.log").open("a")
    argv = [sys.executable, "-m", "uvicorn", "project.asgi:application", "--port", str(port)]
    procs = {"web": subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)}  # fmt: skip
    try:
        yield rabbitmq, f"http://127.0.0.1:{port}", env, procs
    finally:
        for proc in procs.values():
            stop_group(proc)
        log.close()
        rabbitmq.crash()


def _login(url: str) -> tuple[httpx.Client, dict[str, str]]:
    client = httpx.Client(base_url=url, timeout=15)
    assert wait_until(lambda: http_ok(client, "/api/ready"), timeout=60), "the server never got ready"
    token = client.post("/api/auth/token", json={"username": "sam", "password": PASSWORD}).json()["access"]
    return client, {"Authorization": f"Bearer {token}"}


def _submit(client: httpx.Client, auth: dict[str, str]) -> httpx.Response:
    return client.post("/api/jobs/selftest", json={"work_ms": 20, "wait": False}, headers=auth)


def _done_exactly_once(accepted: list[str], worker_process, done_events, broker_url: str) -> None:
    """Start a worker on the node and check that every accepted job ends done, with one job.done event each."""
    worker = worker_process(["interactive"], env={"BROKER_URL": broker_url})
    worker.start()

    def unfinished() -> list:
        return list(Job.objects.filter(pk__in=accepted).exclude(status=JobStatus.DONE).values_list("pk", "status"))

    assert wait_until(lambda: not unfinished(), timeout=120, interval=0.5), (
        f"accepted jobs lost or stuck: {unfinished()[:10]}\n{worker.log.read_text()[-3000:]}"
    )
    assert Job.objects.filter(pk__in=accepted).count() == len(set(accepted)) == len(accepted)
    assert wait_until(lambda: set(done_events.counts) >= set(accepted), timeout=10), done_events.counts
    time.sleep(0.5)  # a late duplicate would show now
    assert all(done_events.counts[job_id] == 1 for job_id in accepted), done_events.counts


class Load(threading.Thread):
    """Keeps the server busy: liveness, readiness, the job list and a job submission in a loop.

    Records every answer with the moment its request was sent, and the id of every job the server accepted (202):
    each of those must be done in the end, whatever happened to the broker in between.
    """

    def __init__(self, url: str, auth: dict):
        super().__init__(daemon=True)
        self.url, self.auth = url, auth
        self.answers: list[tuple[float, str, int]] = []  # (sent at, path, status)
        self.accepted: list[str] = []
        self.problems: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        requests = (("GET", "/api/health", None), ("GET", "/api/ready", None), ("GET", "/api/jobs", None),
                    ("POST", "/api/jobs/selftest", {"work_ms": 20, "wait": False}))  # fmt: skip
        with httpx.Client(base_url=self.url, timeout=15) as client:
            while not self.halt.is_set():
                for method, path, body in requests:
                    sent = time.monotonic()
                    try:
                        response = client.request(method, path, json=body, headers=self.auth)
                    except httpx.HTTPError as exc:
                        self.problems.append(f"{path}: {exc!r}")
                        continue
                    self.answers.append((sent, path, response.status_code))
                    if response.status_code == 202:
                        self.accepted.append(response.json()["job_id"])
                    elif response.status_code >= 500 and not (
                        response.status_code == 503 and response.headers.get("Retry-After")
                    ):
                        self.problems.append(f"{path}: {response.status_code} {response.text[:200]}")
                    elif path == "/api/health" and response.status_code != 200:
                        self.problems.append(f"{path}: {response.status_code} {response.text[:200]}")
                time.sleep(0.1)  # ~2 submissions a second: far below the interactive queue's depth limit

    def statuses(self, path: str, since: float = 0.0, until: float = float("inf")) -> Counter:
        return Counter(status for sent, p, status in self.answers if p == path and since <= sent < until)


def test_rabbitmq_stop_gives_503_then_recovers_within_5s_and_loses_no_accepted_job(stack, staff, worker_process,
                                                                                   done_events):  # fmt: skip
    rabbitmq, url, env, procs = stack
    client, auth = _login(url)

    def submit() -> httpx.Response:
        return _submit(client, auth)

    before = [submit() for _ in range(BEFORE_JOBS)]
    assert [r.status_code for r in before] == [202] * BEFORE_JOBS, [r.text for r in before]
    accepted = [r.json()["job_id"] for r in before]
    load = Load(url, auth)
    load.start()
    assert wait_until(lambda: len(load.accepted) >= 3, timeout=30), load.problems[:5]

    # 1. RabbitMQ stops (cleanly: SIGTERM) while requests keep coming.
    stopping = time.monotonic()
    rabbitmq.stop()
    stopped = time.monotonic()
    down = client.get("/api/ready")
    assert down.status_code == 503 and down.headers["Retry-After"], down.text
    components = down.json()["error"]["detail"]["components"]
    assert components["broker"]["ok"] is False, components
    assert components["database"]["ok"] is True and components["cache"]["ok"] is True, components
    busy = submit()
    assert busy.status_code == 503 and busy.headers["Retry-After"], busy.text
    assert client.get("/api/health").status_code == 200  # liveness needs no broker
    assert client.get("/api/jobs", headers=auth).status_code == 200  # neither does reading jobs
    time.sleep(DOWN_SECONDS)  # stay down a while under load

    # 2. It comes back on the same data; the web process, never restarted, is ready and accepts jobs within 5 s.
    rabbitmq.start()
    back = time.monotonic()
    assert wait_until(lambda: http_ok(client, "/api/ready"), timeout=RECOVERY_SECONDS, interval=0.05), (
        f"not ready within {RECOVERY_SECONDS} s of RabbitMQ's return"
    )
    ready_in = time.monotonic() - back
    after = submit()
    accepted_in = time.monotonic() - back
    assert after.status_code == 202, after.text
    accepted.append(after.json()["job_id"])
    assert accepted_in < RECOVERY_SECONDS
    time.sleep(3)  # the load goes on after the return
    load.halt.set()
    load.join(timeout=30)
    assert not load.problems, load.problems[:10]
    during = load.statuses("/api/jobs/selftest", since=stopped, until=back - rabbitmq.boot_seconds[-1])
    assert during and set(during) == {503}, during  # refused while down
    # Once ready, ready for every request: no thread of the web process is left with a broken connection.
    settled = load.statuses("/api/jobs/selftest", since=back + ready_in) + load.statuses(
        "/api/ready", since=back + ready_in
    )
    assert settled and set(settled) <= {200, 202}, settled
    assert set(load.statuses("/api/health")) == {200}
    assert procs["web"].poll() is None  # the same web process throughout
    accepted += load.accepted

    # 3. A worker on the node takes every accepted job, from before, during and after the outage: each ends done,
    # exactly once (one job.done event each), none lost.
    _done_exactly_once(accepted, worker_process, done_events, rabbitmq.url)
    print(
        f"\nRabbitMQ: stopped in {stopped - stopping:.2f} s, booted in {rabbitmq.boot_seconds[-1]:.2f} s; "
        f"after its return: ready in {ready_in:.2f} s, a job accepted in {accepted_in:.2f} s; "
        f"{len(accepted)} accepted jobs done once each; load answers {Counter(s for _, _, s in load.answers)}"
    )


def test_a_crash_while_idle_loses_no_confirmed_job_and_the_first_requests_after_it_succeed(
    stack, staff, worker_process, done_events
):
    """RabbitMQ is SIGKILLed while the web process is idle, so every thread of it that talks to RabbitMQ still holds
    a connection to the dead node when it returns. None of the first requests after its return may fail on such a
    connection (the thread finds it dead and opens a fresh one), and the jobs accepted before the crash, which
    RabbitMQ had confirmed and so written to disk, are all there to be done.
    """
    rabbitmq, url, env, procs = stack
    client, auth = _login(url)

    def burst() -> list[tuple[str, int, str | None]]:
        """Readiness checks and submissions, 12 at a time: every thread of the web process's pool is used."""

        def one(i: int) -> tuple[str, int, str | None]:
            with httpx.Client(base_url=url, timeout=15) as own:
                if i % 2:
                    return "ready", own.get("/api/ready").status_code, None
                response = _submit(own, auth)
                return "submit", response.status_code, response.json().get("job_id")

        with ThreadPoolExecutor(12) as pool:
            return list(pool.map(one, range(48)))

    warm = burst()
    assert {(kind, status) for kind, status, _ in warm} == {("ready", 200), ("submit", 202)}, warm
    accepted = [job_id for _, _, job_id in warm if job_id]

    rabbitmq.crash()  # no shutdown: the connections of the idle web threads are left as they were
    assert not rabbitmq.answers()
    time.sleep(1)
    rabbitmq.start()
    back = time.monotonic()
    first = burst()
    answered_in = time.monotonic() - back
    assert {(kind, status) for kind, status, _ in first} == {("ready", 200), ("submit", 202)}, Counter(
        (kind, status) for kind, status, _ in first
    )
    assert answered_in < RECOVERY_SECONDS
    assert procs["web"].poll() is None
    accepted += [job_id for _, _, job_id in first if job_id]

    _done_exactly_once(accepted, worker_process, done_events, rabbitmq.url)
    print(
        f"\nRabbitMQ SIGKILLed while idle, booted again in {rabbitmq.boot_seconds[-1]:.2f} s; the first 48 requests "
        f"after its return all succeeded, in {answered_in:.2f} s; {len(accepted)} accepted jobs done once each"
    )
