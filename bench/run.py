"""``make bench``: every scenario against our service and the blocking baseline, side by side, in one run.

Starts the services profile (two uvicorn web processes, the worker pools of WORKER_POOLS, MariaDB, Redis), the
blocking baseline (``bench/seed_baseline.py``) and a local OpenAI-compatible LLM stand-in on loopback; runs each
scenario (or ``--scenario NAME``) while probing ``/api/health``; prints a table and writes JSON under
``bench/results/``. Everything it starts, it stops. Exits non-zero when a target is missed.
"""

import argparse
import asyncio
import json
import os
import platform
import sys
import time

import httpx

from bench.measure import drive, histogram_p99, lag_histogram, pct
from bench.scenarios import Scenario, load
from bench.stack import BASELINE_PORT, OURS_PORT, ROOT, Stack, process_cpu_seconds, tree_cpu_seconds

RESULTS = ROOT / "bench" / "results"
OURS, BASELINE = f"http://127.0.0.1:{OURS_PORT}", f"http://127.0.0.1:{BASELINE_PORT}"


async def run_ours(scenario: Scenario, ctx: dict, offset: int = 1000) -> list[dict]:
    phases = []
    async with httpx.AsyncClient(base_url=OURS) as client:
        for concurrency, rounds in scenario.phases:
            before = lag_histogram((await client.get("/metrics")).text)
            result = await drive(OURS, scenario.ours, ctx, concurrency, rounds, offset, scenario.pause_s)
            after = lag_histogram((await client.get("/metrics")).text)
            result["lag_p99_ms"] = round(histogram_p99(before, after) * 1000, 2)
            offset += concurrency * rounds
            phases.append(result)
    return phases


async def run_baseline(scenario: Scenario, ctx: dict) -> list[dict]:
    phases = []
    offset = 100_000
    for concurrency, rounds in scenario.baseline_phases or scenario.phases:
        since = time.time()
        result = await drive(BASELINE, scenario.baseline, ctx, concurrency, rounds, offset, scenario.pause_s)
        async with httpx.AsyncClient(base_url=BASELINE) as client:
            lags = (await client.get("/bench/lag", params={"since": since})).json()
        result["lag_p99_ms"] = round(pct(lags, 99) * 1000, 2)
        offset += concurrency * rounds
        phases.append(result)
    return phases


async def run_scenario(stack: Stack, scenario: Scenario, ctx: dict) -> dict:
    result: dict = {"scenario": scenario.name, "description": scenario.description, "ours": {}}
    for number, (variant, overrides) in enumerate(scenario.variants.items()):
        ctx["variant"] = variant
        await stack.workers(overrides)
        async with httpx.AsyncClient(base_url=OURS, timeout=600) as client:
            await scenario.setup(client, ctx)
            await scenario.ours(client, ctx, 0)  # warm-up: first queries, first inference
        # Each variant gets its own requests (distinct sentences/pages), or the second would hit the first's cache.
        result["ours"][variant] = await run_ours(scenario, ctx, offset=1000 + 400 * number)
    if scenario.after_ours is not None:
        await asyncio.to_thread(scenario.after_ours, ctx)
    result.update(ctx.pop("scenario_extra", {}))  # figures a scenario measured itself (read by its verdicts)
    if ctx.get("ours_only"):  # a development run: no baseline, so no verdicts
        return {**result, "baseline": [], "checks": []}
    async with httpx.AsyncClient(base_url=BASELINE, timeout=600) as client:
        await scenario.baseline(client, ctx, 0)  # warm-up (the baseline loads its model here)
    result["baseline"] = await run_baseline(scenario, ctx)
    if "ocr_cpu_s" in ctx:
        result["cpu_s_per_image"] = round(ctx["ocr_cpu_s"], 3)
        result["cpu_s_per_image_measured"] = ctx.get("ocr_cpu_s_measured", [])
    result["checks"] = [{"check": text, "ok": ok} for text, ok in scenario.verdicts(result)]
    return result


REST_SECONDS, REST_LIMIT = 20.0, 0.3


async def at_rest(stack: Stack) -> dict:
    """CPU seconds that the stack uses in REST_SECONDS with no request at all: our web processes and worker pools
    (models loaded), RabbitMQ and Redis beside them, and the seed's server, from one window."""
    await stack.workers({})
    await asyncio.sleep(3)  # the last start-up work (connections, first heartbeats) is over
    assert stack.web and stack.worker and stack.baseline
    groups = {
        "web": lambda: tree_cpu_seconds(stack.web.pid),
        "workers": lambda: tree_cpu_seconds(stack.worker.pid),
        "rabbitmq": lambda: process_cpu_seconds("beam.smp"),
        "redis": lambda: process_cpu_seconds("redis-server"),
        "baseline (seed)": lambda: tree_cpu_seconds(stack.baseline.pid),
    }
    before = {name: read() for name, read in groups.items()}
    await asyncio.sleep(REST_SECONDS)
    used = {name: round(read() - before[name], 3) for name, read in groups.items()}
    ours = round(used["web"] + used["workers"], 3)
    split = ", ".join(f"{name} {cpu:.2f}" for name, cpu in used.items())
    check = f"web and workers at rest: {ours:.2f} CPU-s in {REST_SECONDS:g} s <= {REST_LIMIT} ({split})"
    return {"scenario": "at-rest", "seconds": REST_SECONDS, "cpu_s": used, "ours_cpu_s": ours, "ours": {},
            "baseline": [], "checks": [{"check": check, "ok": ours <= REST_LIMIT}]}  # fmt: skip


COLUMNS = ["concurrency", "requests", "errors", "elapsed_s", "throughput_rps", "work_p50_ms", "work_p99_ms",
           "server_p50_ms", "server_p99_ms", "queue_p99_ms",
           "health_p50_ms", "health_p99_ms", "lag_p99_ms"]  # fmt: skip


def table(results: list[dict]) -> str:
    lines = [f"{'scenario':<22} {'server':<14} " + " ".join(f"{c:>14}" for c in COLUMNS)]
    for result in results:
        rows = [(name, phases) for name, phases in result["ours"].items()] + [("baseline", result["baseline"])]
        for name, phases in rows:
            for phase in phases:
                lines.append(
                    f"{result['scenario']:<22} {name:<14} " + " ".join(f"{phase.get(c)!s:>14}" for c in COLUMNS)
                )
    return "\n".join(lines)


async def main(names: list[str], llm_delay: float, ours_only: bool = False) -> int:
    scenarios = load()
    chosen = [scenarios[n] for n in names if n != "at-rest"] if names else list(scenarios.values())
    stack = Stack()
    results = []
    try:
        await stack.start(llm_delay)
        ctx = {"auth": await stack.token(), "ours_only": ours_only}
        if not names or "at-rest" in names:
            print("measuring the stack at rest", flush=True)
            results.append(await at_rest(stack))
        for scenario in chosen:
            ctx["auth"] = await stack.token()  # a fresh access token: a whole run outlasts one token's lifetime
            print(f"running {scenario.name}: {scenario.description}", flush=True)
            results.append(await run_scenario(stack, scenario, ctx))
    finally:
        stack.stop()
    print()
    print(table(results))
    ok = True
    for result in results:
        print(f"\n{result['scenario']}:")
        for check in result["checks"]:
            print(f"  [{'ok' if check['ok'] else 'MISSED'}] {check['check']}")
            ok = ok and check["ok"]
    meta = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cpus": os.cpu_count(), "python": platform.python_version()}
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"meta": meta, "results": results, "table": table(results)}, indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", action="append", default=[], help="run only this scenario (repeatable)")
    parser.add_argument("--llm-delay", type=float, default=1.0, help="seconds the LLM stand-in takes to answer")
    parser.add_argument("--ours-only", action="store_true", help="skip the baseline and the verdicts (development)")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.scenario, args.llm_delay, args.ours_only)))
