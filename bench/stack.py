"""The processes a benchmark runs: our web and worker pools (services profile), the baseline, the LLM stand-in."""

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
OURS_PORT, BASELINE_PORT, LLM_PORT = 8101, 8102, 8199
BENCH_PASSWORD = "bench-password-not-secret"
LOGS = ROOT / "var" / "bench"


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", "mysql://root@127.0.0.1:3306/lingua_bench"),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        BROKER_URL=os.environ.get("BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/lingua-bench"),
        REDIS_PREFIX="lingua-bench",
        SECRET_KEY="bench-secret-key-that-is-long-enough-0123456789",
        DATA_DIR=str(LOGS),
        PROMETHEUS_MULTIPROC_DIR=str(LOGS / "prometheus"),
        LOG_LEVEL="WARNING",
        JOB_WAIT_SECONDS="300",
        OCR_WAIT_SECONDS="300",
        CEFR_TIMEOUT="120",
        LLM_BASE_URL=f"http://127.0.0.1:{LLM_PORT}/v1",
        LLM_MODEL="bench-llm",
        LLM_TIMEOUT="60",
        LLM_MAX_RETRIES="0",
        RATE_LIMITS="ocr:100000,cefr:100000,chat:100000,leveltest:100000",
        # The soak's student takes level test after level test and its staff user uploads for minutes on end.
        LEVELTEST_RETAKE_HOURS="0",
        OCR_USER_QUOTA_MB="0",
    )
    return env


def prepare(env: dict[str, str]) -> None:
    """Create the bench database, migrate, add the bench staff user, empty the metrics folder, Redis and the
    queues."""
    import MySQLdb

    db = env["DATABASE_URL"].rsplit("/", 1)[1]
    conn = MySQLdb.connect(host="127.0.0.1", port=3306, user="root", passwd="")
    conn.cursor().execute(f"DROP DATABASE IF EXISTS `{db}`")
    conn.cursor().execute(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4")
    conn.close()
    prom = Path(env["PROMETHEUS_MULTIPROC_DIR"])
    prom.mkdir(parents=True, exist_ok=True)
    for f in prom.glob("*.db"):
        f.unlink()
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    code = (
        "from apps.accounts.models import User, Role\n"
        "u, _ = User.objects.get_or_create(username='bench', defaults={'role': Role.STAFF})\n"
        f"u.role = Role.STAFF; u.set_password({BENCH_PASSWORD!r}); u.save()\n"
        "import redis, os; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()\n"
        "import dramatiq; dramatiq.get_broker().flush_all()\n"
    )
    subprocess.run([PY, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=env, check=True)


def _start(argv: list[str], env: dict[str, str], log: str) -> subprocess.Popen:
    LOGS.mkdir(parents=True, exist_ok=True)
    out = (LOGS / log).open("a")
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


async def wait_ok(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.3)
    raise RuntimeError(f"{url} did not become ready")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and all its descendants, from /proc."""
    total, stack, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            stack.extend(int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split())
        except (OSError, IndexError, ValueError):
            continue
    return total


def process_cpu_seconds(name: str) -> float:
    """CPU time used so far by every process with this executable name (e.g. ``beam.smp``, RabbitMQ's)."""
    found = subprocess.run(["pgrep", "-x", name], capture_output=True, text=True).stdout.split()
    return sum(tree_cpu_seconds(int(pid)) for pid in found)


async def wait_idle(pid: int, timeout: float = 180) -> None:
    """Wait until the process tree uses under 5% of a core for two seconds in a row (booting is over)."""
    deadline, quiet, last = time.monotonic() + timeout, 0, tree_cpu_seconds(pid)
    while time.monotonic() < deadline and quiet < 2:
        await asyncio.sleep(1)
        now = tree_cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now


class Stack:
    """Starts and stops everything; ``workers(env)`` restarts our worker pools (and web) with extra settings."""

    def __init__(self, web_workers: int = 2):
        self.env = bench_env()
        self.web_workers = web_workers
        self.web = self.worker = self.baseline = self.llm = None
        self.web_overrides: dict[str, str] = {}

    async def start(self, llm_delay: float) -> None:
        prepare(self.env)
        self.llm = _start(
            [PY, "-m", "bench.fake_llm", "--port", str(LLM_PORT), "--delay", str(llm_delay)], self.env, "llm.log"
        )
        self._start_web()
        base = [PY, "-m", "uvicorn", "bench.seed_baseline:app", "--port", str(BASELINE_PORT), "--no-access-log"]
        self.baseline = _start(base, self.env, "baseline.log")
        await wait_ok(f"http://127.0.0.1:{OURS_PORT}/api/ready")
        await wait_ok(f"http://127.0.0.1:{BASELINE_PORT}/api/health")

    def _start_web(self) -> None:
        web = [PY, "-m", "uvicorn", "project.asgi:application", "--port", str(OURS_PORT), "--no-access-log"]
        self.web = _start([*web, "--workers", str(self.web_workers)], {**self.env, **self.web_overrides}, "web.log")

    async def workers(self, overrides: dict[str, str]) -> None:
        """(Re)start the worker pools with ``overrides`` and wait until their models are loaded; the web processes
        are restarted too when their settings change (they read some of the same settings)."""
        if overrides != self.web_overrides:
            _stop(self.web)
            self.web_overrides = dict(overrides)
            self._start_web()
            await wait_ok(f"http://127.0.0.1:{OURS_PORT}/api/ready")
        _stop(self.worker)
        self.worker = _start([PY, "manage.py", "worker"], {**self.env, **overrides}, "worker.log")
        await asyncio.sleep(3)
        await wait_idle(self.worker.pid)  # every pool booted and its models loaded

    def stop(self) -> None:
        for proc in (self.worker, self.web, self.baseline, self.llm):
            _stop(proc)

    async def token(self) -> dict[str, str]:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{OURS_PORT}") as client:
            response = await client.post("/api/auth/token", json={"username": "bench", "password": BENCH_PASSWORD})
            response.raise_for_status()
            return {"Authorization": f"Bearer {response.json()['access']}"}
