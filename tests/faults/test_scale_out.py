"""Scale-out across two hosts: work spreads over the workers of both, and a host cut off mid-job loses nothing.

The second host is a Linux network namespace with its own hostname (``unshare --uts``), joined to this one by a
veth pair on a private /30. MariaDB, Redis and RabbitMQ listen on loopback only here, so the second host reaches
them solely through a TCP forwarder running in this test process on this end of the link (RabbitMQ's guest user may
only log in from loopback, which the forwarder's upstream connections are). The ``selftest.cpu`` result names the
host and process that did the job.

Cutting the host off is a network partition: the link goes down and the forwarder stops relaying, in both
directions, without closing anything, so the servers here see silence, not a closed connection. RabbitMQ gives the
cut-off worker's unacknowledged messages (the jobs it was running and those it had prefetched) back to the queue
when it gives up on that connection: after two missed heartbeats. The broker's default heartbeat is 60 s (minutes
before the jobs come back), so the second host's workers ask for a 2 s one with ``?heartbeat=2`` in their
``BROKER_URL`` (the client's value wins the negotiation): RabbitMQ then notices within seconds and the first host
takes the jobs over; the status guard keeps each one done once, even if the cut-off worker had finished it.
"""

import asyncio
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import dramatiq
import pytest
from django.conf import settings
from django.db import connection

from apps.jobs import broker, tasks
from apps.jobs.models import Job, JobStatus
from tests.faults.conftest import ROOT, LoopThread, WorkerProcess, wait_until

#: A network namespace (the second host) needs root and iproute2 / util-linux; the development and CI machines have
#: them. Anywhere else the test says why it did not run; where they are present, any failure is a failure.
CAN_CREATE_HOSTS = os.geteuid() == 0 and all(shutil.which(tool) for tool in ("ip", "unshare"))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
    pytest.mark.skipif(not CAN_CREATE_HOSTS, reason="a second host (network namespace) needs root, `ip` and `unshare`"),
]

SPREAD_JOBS, SPREAD_WORK_MS = 12, 500
CUT_JOBS, CUT_WORK_MS = 4, 3000
#: The second host's workers' AMQP heartbeat, in seconds: RabbitMQ drops a silent connection after two missed ones.
SECOND_HOST_HEARTBEAT = 2


class Forwarder:
    """TCP forwarding from ``listen_host:<free port>`` to each target.

    ``partition`` stops accepting and relaying, in both directions, but closes nothing: like a network partition,
    the servers see silence, not a closed connection. ``close`` drops every connection and stops the forwarder.
    """

    def __init__(self, listen_host: str, targets: dict[str, tuple[str, int]]):
        self.listen_host, self.targets = listen_host, targets
        self.ports: dict[str, int] = {}
        self.accepted: Counter[str] = Counter()
        self._servers: list[asyncio.Server] = []
        self._transports: set[asyncio.BaseTransport] = set()
        self._handlers: set[asyncio.Task] = set()
        self._cut = False
        self._loop = LoopThread("forwarder")

    def start(self) -> None:
        for name, target in self.targets.items():
            serve = functools.partial(self._forward, name, target)
            server = self._loop.run(asyncio.start_server(serve, self.listen_host, 0))
            self._servers.append(server)
            self.ports[name] = server.sockets[0].getsockname()[1]

    async def _forward(self, name: str, target: tuple[str, int], reader, writer) -> None:
        self.accepted[name] += 1
        handler = asyncio.current_task()
        self._handlers.add(handler)
        try:
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection(*target)
            except OSError:
                writer.transport.abort()
                return
            pair = {writer.transport, upstream_writer.transport}
            if self._cut:
                for transport in pair:
                    transport.abort()
                return
            self._transports |= pair
            try:
                await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))
            finally:
                self._transports -= pair
        finally:
            self._handlers.discard(handler)

    def partition(self) -> None:
        async def go_silent() -> None:
            self._cut = True
            for server in self._servers:
                server.close()
            for transport in self._transports:
                transport.pause_reading()  # nothing read is nothing relayed; the sockets stay open

        if self._loop.thread.is_alive():
            self._loop.run(go_silent())

    def close(self) -> None:
        async def drop_everything() -> None:
            self._cut = True
            for server in self._servers:
                server.close()
            for transport in list(self._transports):
                transport.abort()
            if self._handlers:  # let every handler end by itself: a cancelled one is logged as an error
                await asyncio.wait(set(self._handlers), timeout=5)

        if self._loop.thread.is_alive():
            self._loop.run(drop_everything())
        self._loop.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        writer.close()
    except OSError:
        writer.transport.abort()


def _ip(*args: str) -> None:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, f"ip {' '.join(args)}: {done.stderr.strip()}"


def _free_subnet(tag: int) -> tuple[str, str]:
    """This end's and the far end's address on a /30 of 10.231.0.0/16 that no interface here uses yet."""
    used = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True, timeout=10).stdout
    for offset in range(16384):
        block = (tag + offset) % 16384
        near, far = f"10.231.{block // 64}.{block % 64 * 4 + 1}", f"10.231.{block // 64}.{block % 64 * 4 + 2}"
        if f" {near}/" not in used:
            return near, far
    raise AssertionError("no free /30 in 10.231.0.0/16")


class SecondHost:
    """A network namespace with its own hostname, reaching this host's MariaDB, Redis and RabbitMQ through a
    ``Forwarder``."""

    def __init__(self):
        tag = os.getpid()
        self.netns, self.hostname = f"lingua-host2-{tag}", f"second-host-{tag}"
        self.veth, self.peer = f"lgv{tag}h", f"lgv{tag}n"  # interface names: 15 characters at most
        self.address, self.peer_address = _free_subnet(tag)
        redis_url, broker_url = urlsplit(settings.REDIS_URL), urlsplit(settings.BROKER_URL)
        db = connection.settings_dict
        self.forwarder = Forwarder(
            self.address,
            {
                "db": (db["HOST"] or "127.0.0.1", int(db["PORT"] or 3306)),
                "redis": (redis_url.hostname, redis_url.port or 6379),
                "amqp": (broker_url.hostname, broker_url.port or 5672),
            },
        )
        self.workers: list[SecondHostWorker] = []

    def create(self) -> None:
        _ip("link", "add", self.veth, "type", "veth", "peer", "name", self.peer, "netns", self.netns)
        _ip("addr", "add", f"{self.address}/30", "dev", self.veth)
        _ip("link", "set", self.veth, "up")
        _ip("-n", self.netns, "addr", "add", f"{self.peer_address}/30", "dev", self.peer)
        _ip("-n", self.netns, "link", "set", self.peer, "up")
        _ip("-n", self.netns, "link", "set", "lo", "up")
        self.forwarder.start()

    @property
    def netns_inode(self) -> int:
        return os.stat(f"/run/netns/{self.netns}").st_ino

    def worker(self, queues: list[str], threads: int = 2) -> "SecondHostWorker":
        process = SecondHostWorker(self, queues, threads)
        self.workers.append(process)
        return process

    def cut_off(self) -> None:
        """The link goes down and nothing is relayed any more: the host is alive but unreachable, and the servers
        here are not told (their connections to it go silent)."""
        _ip("link", "set", self.veth, "down")
        self.forwarder.partition()

    def destroy(self) -> None:
        for process in self.workers:
            process.kill()
        self.forwarder.close()
        listed = subprocess.run(["ip", "netns", "pids", self.netns], capture_output=True, text=True, timeout=10)
        for pid in listed.stdout.split():  # anything our workers left behind in the namespace
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        subprocess.run(["ip", "link", "del", self.veth], capture_output=True, timeout=10)
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True, timeout=10)


class SecondHostWorker(WorkerProcess):
    """``dramatiq actors`` inside the second host, on the same database, Redis and RabbitMQ vhost (through the
    forwarder), with a short AMQP heartbeat."""

    def __init__(self, host: SecondHost, queues: list[str], threads: int = 2):
        super().__init__(queues, threads)
        self.host = host
        self.log = Path(settings.DATA_DIR) / "scale-out-worker.log"

    def env(self) -> dict[str, str]:
        env = super().env()
        db, ports, address = connection.settings_dict, self.host.forwarder.ports, self.host.address
        user = db["USER"] + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
        redis_url = urlsplit(settings.REDIS_URL)
        credentials = redis_url.netloc.rpartition("@")[0]
        netloc = f"{credentials}@{address}:{ports['redis']}" if credentials else f"{address}:{ports['redis']}"
        broker_url = urlsplit(settings.BROKER_URL)
        credentials = broker_url.netloc.rpartition("@")[0]
        query = urlencode([*parse_qsl(broker_url.query), ("heartbeat", str(SECOND_HOST_HEARTBEAT))])
        env.update(
            DATABASE_URL=f"mysql://{user}@{address}:{ports['db']}/{db['NAME']}",
            REDIS_URL=redis_url._replace(netloc=netloc).geturl(),  # same database number; REDIS_PREFIX inherited
            # Same vhost and credentials; the heartbeat lets RabbitMQ notice a partition within seconds.
            BROKER_URL=broker_url._replace(netloc=f"{credentials}@{address}:{ports['amqp']}", query=query).geturl(),
        )
        return env

    def start(self) -> None:
        dramatiq_bin = str(Path(sys.executable).parent / "dramatiq")
        argv = ["ip", "netns", "exec", self.host.netns, "unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"',
                self.host.hostname, dramatiq_bin, "actors", "--processes", "1", "--threads", str(self.threads),
                "--queues", *self.queues]  # fmt: skip
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(argv, cwd=ROOT, env=self.env(), stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)  # fmt: skip


@pytest.fixture
def second_host():
    host = SecondHost()
    added = subprocess.run(["ip", "netns", "add", host.netns], capture_output=True, text=True, timeout=10)
    assert added.returncode == 0, f"this machine cannot create a network namespace: {added.stderr.strip()}"
    try:
        host.create()
        yield host
    finally:
        host.destroy()
    assert not Path(f"/run/netns/{host.netns}").exists()


def _interactive_queue() -> tuple[int, int]:
    """RabbitMQ's count of the interactive queue's ready messages and of its consumers (one per worker process)."""
    ok = dramatiq.get_broker().channel.queue_declare(queue="interactive", passive=True).method
    return ok.message_count, ok.consumer_count


def _submit(owner, count: int, work_ms: int) -> list[Job]:
    jobs = [
        Job.objects.create(owner=owner, kind="selftest", params={"work_ms": work_ms}, progress_total=1)
        for _ in range(count)
    ]
    for job in jobs:
        broker.enqueue(tasks.SELFTEST_CPU, job_id=str(job.id))
    return jobs


def _all_done(jobs: list[Job]) -> bool:
    return not Job.objects.filter(pk__in=[j.pk for j in jobs]).exclude(status=JobStatus.DONE).exists()


def _netns_inode(pid: int) -> int:
    return os.stat(f"/proc/{pid}/ns/net").st_ino


def _logs(*workers: WorkerProcess) -> str:
    return "\n".join(f"--- {w.log.name}:\n{w.log.read_text()[-3000:]}" for w in workers if w.log.exists())


def test_jobs_spread_over_two_hosts_and_a_cut_off_host_loses_none(staff, second_host, worker_process, done_events):
    dramatiq.get_broker().declare_queue("interactive", ensure=True)  # counted below, before anything is sent to it
    dramatiq.get_broker().flush_all()
    here = worker_process(["interactive"])
    there = second_host.worker(["interactive"])
    here.start()
    there.start()
    assert wait_until(lambda: _interactive_queue()[1] == 2, timeout=60), "both workers should be consuming\n" + _logs(
        here, there
    )

    # 1. Work spreads over both hosts.
    spread = _submit(staff, SPREAD_JOBS, SPREAD_WORK_MS)
    assert wait_until(lambda: _all_done(spread), timeout=60, interval=0.2), "jobs unfinished\n" + _logs(here, there)
    results = [job.result for job in Job.objects.filter(pk__in=[j.pk for j in spread])]
    by_host = Counter(result["host"] for result in results)
    assert set(by_host) == {socket.gethostname(), second_host.hostname}, by_host
    assert all(second_host.forwarder.accepted[name] > 0 for name in ("db", "redis", "amqp")), second_host.forwarder
    for result in results:  # the process that did each job really ran in that host's network namespace
        expected = second_host.netns_inode if result["host"] == second_host.hostname else _netns_inode(os.getpid())
        assert _netns_inode(result["pid"]) == expected

    # 2. The second host alone holds jobs, some mid-flight, when it is cut off; the first host takes them over.
    here.stop()
    assert wait_until(lambda: _interactive_queue()[1] == 1, timeout=30)
    cut = _submit(staff, CUT_JOBS, CUT_WORK_MS)
    assert wait_until(lambda: Job.objects.filter(status=JobStatus.RUNNING).count() == 2, timeout=30, interval=0.05)
    time.sleep(0.5)  # mid-job
    running_at_cut = set(Job.objects.filter(status=JobStatus.RUNNING).values_list("pk", flat=True))
    assert len(running_at_cut) == 2
    assert _interactive_queue() == (0, 1)  # the second host holds all four: two running, two prefetched
    second_host.cut_off()
    cut_at = time.monotonic()
    # RabbitMQ puts them back in the queue once the silent connection has missed two heartbeats.
    assert wait_until(lambda: _interactive_queue() == (CUT_JOBS, 0), timeout=10 * SECOND_HOST_HEARTBEAT), (
        f"the cut-off host's messages did not come back: {_interactive_queue()}"
    )
    back_in = time.monotonic() - cut_at
    here.start()
    assert wait_until(lambda: _all_done(cut), timeout=60, interval=0.2), "cut-off jobs unfinished\n" + _logs(here)
    assert there.proc.poll() is None  # the cut-off worker is still running: recovery did not need it to die
    for job in Job.objects.filter(pk__in=[j.pk for j in cut]):
        assert job.result["host"] == socket.gethostname() and job.result["primes"] > 0
        assert job.error == "" and job.finished_at is not None
        if job.pk in running_at_cut:
            assert job.attempts >= 2  # started on the second host, redelivered and done here

    # 3. Every job was done exactly once: one job.done event each, and the rows say done.
    everything = {str(j.pk) for j in spread + cut}
    assert wait_until(lambda: set(done_events.counts) == everything, timeout=10), done_events.counts
    time.sleep(0.5)  # a late duplicate would show now
    assert all(done_events.counts[job_id] == 1 for job_id in everything), done_events.counts
    there.kill()
    assert there.proc.poll() is not None
    print(f"\ncut-off host: its {CUT_JOBS} unacknowledged messages back in the queue {back_in:.1f} s after the cut")
