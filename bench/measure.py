"""Load driving and the numbers taken from it: latencies, percentiles, loop lag from the metrics."""

import asyncio
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def lag_histogram(metrics_text: str) -> dict[float, float]:
    return {
        float(m.group(1)): float(m.group(2))
        for m in re.finditer(r'^event_loop_lag_seconds_bucket\{le="([^"]+)"\} (\S+)$', metrics_text, re.M)
    }


def histogram_p99(before: dict[float, float], after: dict[float, float]) -> float:
    """Upper bound of the bucket holding the 99th percentile of the samples taken in between (seconds)."""
    delta = {le: after.get(le, 0) - before.get(le, 0) for le in after}
    total = delta.get(float("inf"), 0)
    for le in sorted(delta):
        if total and delta[le] >= 0.99 * total:
            return le
    return float("nan")


class Probe:
    """``bench.probe`` in a child process: /api/health latencies measured outside the load generator's loop."""

    def __init__(self, base_url: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.probe", base_url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parent.parent,
        )

    def stop(self) -> list[float]:
        out, _ = self.proc.communicate(timeout=600)
        if self.proc.returncode != 0:
            raise RuntimeError("the /api/health probe failed")
        return json.loads(out)


async def drive(
    base_url: str, request, ctx: dict, concurrency: int, rounds: int, offset: int = 0, pause_s: float = 0.0
) -> dict:
    """Send ``concurrency`` requests at once, ``rounds`` times (after ``pause_s`` of quiet each), probing
    /api/health meanwhile. Throughput counts the pauses; latencies do not."""
    work: list[float] = []
    server: list[float] = []
    queued: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=600) as client:
        probe = Probe(base_url)
        await asyncio.sleep(0.3)

        async def one(i: int) -> None:
            started = time.perf_counter()
            try:
                timing = await request(client, ctx, offset + i)
                work.append((time.perf_counter() - started) * 1000)
                if timing is not None:
                    server.append(timing[0])
                    queued.append(timing[1])
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}"[:200])

        started = time.perf_counter()
        for r in range(rounds):
            if pause_s:
                await asyncio.sleep(pause_s)
            await asyncio.gather(*(one(r * concurrency + i) for i in range(concurrency)))
        elapsed = time.perf_counter() - started
        health = await asyncio.to_thread(probe.stop)
    result = {
        "concurrency": concurrency,
        "requests": rounds * concurrency,
        "errors": len(errors),
        "elapsed_s": round(elapsed, 2),
        "throughput_rps": round(len(work) / elapsed, 2),
        "work_p50_ms": round(pct(work, 50), 1),
        "work_p99_ms": round(pct(work, 99), 1),
        "work_max_ms": round(max(work), 1) if work else None,
        "health_samples": len(health),
        "health_p50_ms": round(pct(health, 50), 2),
        "health_p99_ms": round(pct(health, 99), 2),
        "health_max_ms": round(max(health), 2) if health else None,
        "health_mean_ms": round(statistics.fmean(health), 2) if health else None,
    }
    if server:
        result["server_p50_ms"] = round(pct(server, 50), 2)
        result["server_p99_ms"] = round(pct(server, 99), 2)
        result["queue_p50_ms"] = round(pct(queued, 50), 2)
        result["queue_p99_ms"] = round(pct(queued, 99), 2)
    if errors:
        result["first_errors"] = errors[:3]
    return result


def server_timing(response: httpx.Response) -> tuple[float, float] | None:
    """The ``app`` and ``queue`` durations (ms) from the Server-Timing header our service sends: time from admission
    to the response, and time waiting for an admission slot (``apps.core.admission``)."""
    header = response.headers.get("server-timing", "")
    app, queue = re.search(r"app;dur=([\d.]+)", header), re.search(r"queue;dur=([\d.]+)", header)
    return (float(app.group(1)), float(queue.group(1)) if queue else 0.0) if app else None
