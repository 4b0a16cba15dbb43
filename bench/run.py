"""``make bench``: each scenario against our service (services profile, separate workers) and the blocking baseline.

Starts MariaDB/Redis-backed web + worker processes and the baseline server on loopback, runs every scenario (or
``--scenario NAME``) against each in turn while probing ``/api/health``, prints a table and writes JSON under
``bench/results/``. Everything it starts, it stops.
"""

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.scenarios import Scenario, load

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
OURS_PORT, BASELINE_PORT = 8101, 8102
BENCH_PASSWORD = "bench-password-not-secret"
PROBE_INTERVAL = 0.025


def bench_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", "mysql://root@127.0.0.1:3306/lingua_bench"),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        REDIS_PREFIX="lingua-bench",
        SECRET_KEY="bench-secret-key-that-is-long-enough-0123456789",
        DATA_DIR=str(ROOT / "var" / "bench"),
        PROMETHEUS_MULTIPROC_DIR=str(ROOT / "var" / "bench" / "prometheus"),
        LOG_LEVEL="WARNING",
        JOB_WAIT_SECONDS="120",
    )
    return env


def prepare(env: dict[str, str]) -> None:
    """Create the bench database, migrate, add the bench staff user, empty the metrics folder and queues."""
    import MySQLdb

    db = env["DATABASE_URL"].rsplit("/", 1)[1]
    conn = MySQLdb.connect(host="127.0.0.1", port=3306, user="root", passwd="")
    conn.cursor().execute(f"CREATE DATABASE IF NOT EXISTS `{db}` CHARACTER SET utf8mb4")
    conn.close()
    prom = Path(env["PROMETHEUS_MULTIPROC_DIR"])
    if prom.exists():
        for f in prom.glob("*.db"):
            f.unlink()
    prom.mkdir(parents=True, exist_ok=True)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    code = (
        "from apps.accounts.models import User, Role\n"
        "u, _ = User.objects.get_or_create(username='bench', defaults={'role': Role.STAFF})\n"
        f"u.role = Role.STAFF; u.set_password({BENCH_PASSWORD!r}); u.save()\n"
        "import redis, os; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()\n"
    )
    subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)


def start(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


async def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == 200:
                    return
            await asyncio.sleep(0.3)
    raise RuntimeError(f"{url} did not become ready")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def lag_histogram(metrics_text: str) -> dict[float, float]:
    buckets = {}
    for match in re.finditer(r'^event_loop_lag_seconds_bucket\{le="([^"]+)"\} (\S+)$', metrics_text, re.M):
        buckets[float(match.group(1))] = float(match.group(2))
    return buckets


def histogram_p99(before: dict[float, float], after: dict[float, float]) -> float:
    """Upper bound of the bucket that holds the 99th percentile of the samples taken in between (seconds)."""
    delta = {le: after.get(le, 0) - before.get(le, 0) for le in after}
    total = delta.get(float("inf"), 0)
    for le in sorted(delta):
        if total and delta[le] >= 0.99 * total:
            return le
    return float("nan")


async def probe_health(client: httpx.AsyncClient, stop_event: asyncio.Event, latencies: list[float]) -> None:
    while not stop_event.is_set():
        started = time.perf_counter()
        response = await client.get("/api/health", timeout=60)
        latencies.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        await asyncio.sleep(PROBE_INTERVAL)


async def drive(base_url: str, scenario: Scenario, request, ctx: dict) -> dict:
    """Run the scenario's load against one server and measure it."""
    health: list[float] = []
    work: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=scenario.concurrency + 4)
    async with (
        httpx.AsyncClient(base_url=base_url, limits=limits) as client,
        httpx.AsyncClient(base_url=base_url) as prober,
    ):
        stop_event = asyncio.Event()
        probe = asyncio.create_task(probe_health(prober, stop_event, health))
        await asyncio.sleep(0.3)

        async def one() -> None:
            nonlocal errors
            started = time.perf_counter()
            try:
                await request(client, ctx)
                work.append((time.perf_counter() - started) * 1000)
            except Exception:
                errors += 1

        started = time.perf_counter()
        for _ in range(scenario.rounds):
            await asyncio.gather(*(one() for _ in range(scenario.concurrency)))
        elapsed = time.perf_counter() - started
        stop_event.set()
        await probe
    return {
        "requests": scenario.rounds * scenario.concurrency,
        "errors": errors,
        "elapsed_s": round(elapsed, 2),
        "throughput_rps": round(len(work) / elapsed, 2),
        "work_p50_ms": round(pct(work, 50), 1),
        "work_p99_ms": round(pct(work, 99), 1),
        "health_samples": len(health),
        "health_p50_ms": round(pct(health, 50), 2),
        "health_p99_ms": round(pct(health, 99), 2),
        "health_max_ms": round(max(health), 2) if health else None,
        "health_mean_ms": round(statistics.fmean(health), 2) if health else None,
    }


async def warm_up(scenario: Scenario, ctx: dict) -> None:
    """One request per server first, so cold paths (first queries, imports in workers) are not measured."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{OURS_PORT}") as client:
        await asyncio.gather(*(scenario.ours(client, ctx) for _ in range(2)))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{BASELINE_PORT}") as client:
        await scenario.baseline(client, ctx)


async def run_scenario(scenario: Scenario, ctx: dict) -> dict:
    ours_url, base_url = f"http://127.0.0.1:{OURS_PORT}", f"http://127.0.0.1:{BASELINE_PORT}"
    await warm_up(scenario, ctx)
    async with httpx.AsyncClient(base_url=ours_url) as client:
        before = lag_histogram((await client.get("/metrics")).text)
        ours = await drive(ours_url, scenario, scenario.ours, ctx)
        after = lag_histogram((await client.get("/metrics")).text)
        ours["lag_p99_ms"] = round(histogram_p99(before, after) * 1000, 2)
        ours["lag_buckets"] = {f"le_{le * 1000:g}ms": after[le] - before.get(le, 0) for le in sorted(after)}
    since = time.time()
    baseline = await drive(base_url, scenario, scenario.baseline, ctx)
    async with httpx.AsyncClient(base_url=base_url) as client:
        lags = (await client.get("/bench/lag", params={"since": since})).json()
    baseline["lag_p99_ms"] = round(pct(lags, 99) * 1000, 2)
    return {"scenario": scenario.name, "description": scenario.description, "ours": ours, "baseline": baseline}


def verdicts(scenario: Scenario, result: dict) -> list[str]:
    ours, base, t = result["ours"], result["baseline"], scenario.targets
    lines = []
    if "health_p99_ms" in t:
        ok = ours["health_p99_ms"] <= t["health_p99_ms"]
        lines.append(f"health p99 {ours['health_p99_ms']} ms <= {t['health_p99_ms']} ms: {ok}")
    if "lag_p99_ms" in t:
        ok = ours["lag_p99_ms"] <= t["lag_p99_ms"]
        lines.append(f"loop lag p99 <= {ours['lag_p99_ms']} ms (bucket bound) <= {t['lag_p99_ms']} ms: {ok}")
    if "baseline_factor" in t:
        factor = base["health_p99_ms"] / max(ours["health_p99_ms"], 1e-9)
        ok = factor >= t["baseline_factor"]
        lines.append(f"baseline health p99 is {factor:.0f}x ours (target >= {t['baseline_factor']:.0f}x): {ok}")
    lines.append(f"errors ours={ours['errors']} baseline={base['errors']}")
    return lines


def print_table(results: list[dict]) -> None:
    cols = [
        "requests",
        "errors",
        "throughput_rps",
        "work_p50_ms",
        "work_p99_ms",
        "health_p50_ms",
        "health_p99_ms",
        "health_max_ms",
        "lag_p99_ms",
    ]
    print(f"\n{'scenario':<24} {'server':<9} " + " ".join(f"{c:>14}" for c in cols))
    for result in results:
        for server in ("ours", "baseline"):
            row = result[server]
            print(f"{result['scenario']:<24} {server:<9} " + " ".join(f"{row[c]!s:>14}" for c in cols))


async def main(names: list[str]) -> int:
    scenarios = load()
    chosen = [scenarios[n] for n in names] if names else list(scenarios.values())
    env = bench_env()
    prepare(env)
    logs = ROOT / "var" / "bench"
    procs = [
        start(
            [PY, "-m", "uvicorn", "project.asgi:application", "--port", str(OURS_PORT), "--no-access-log"],
            env,
            logs / "web.log",
        ),
        start(
            [PY, "manage.py", "worker"],
            env,
            logs / "worker.log",
        ),
        start(
            [PY, "-m", "uvicorn", "bench.seed_baseline:app", "--port", str(BASELINE_PORT), "--no-access-log"],
            env,
            logs / "baseline.log",
        ),
    ]
    try:
        await wait_ready(f"http://127.0.0.1:{OURS_PORT}/api/ready")
        await wait_ready(f"http://127.0.0.1:{BASELINE_PORT}/api/health")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{OURS_PORT}") as client:
            token = (
                await client.post("/api/auth/token", json={"username": "bench", "password": BENCH_PASSWORD})
            ).json()
        ctx = {"auth": {"Authorization": f"Bearer {token['access']}"}}
        await asyncio.sleep(2)  # let the workers finish importing
        results = []
        for scenario in chosen:
            print(f"running {scenario.name}: {scenario.description}", flush=True)
            results.append(await run_scenario(scenario, ctx))
    finally:
        stop(procs)
    print_table(results)
    ok = True
    for scenario, result in zip(chosen, results, strict=True):
        result["checks"] = verdicts(scenario, result)
        print(f"\n{scenario.name}:\n  " + "\n  ".join(result["checks"]))
        ok = ok and all(not line.endswith("False") for line in result["checks"])
    meta = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", action="append", default=[], help="run only this scenario (repeatable)")
    sys.exit(asyncio.run(main(parser.parse_args().scenario)))
