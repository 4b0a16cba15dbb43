"""Where the CPU goes during a burst: CPU seconds per process group (``python -m bench.cpu_split --scenario NAME``).

Starts the bench stack (no baseline), warms the scenario up, then runs its first phase (``--phase N`` for another)
``--repeat`` times and prints the CPU seconds used by our web processes, the worker pools (and, of those, the
micro-batched models' forward passes: ``model_cpu_seconds_total``), RabbitMQ, the LLM stand-in, MariaDB, Redis and
the load generator itself, per request. With ``--py-spy DIR`` it also records a flame graph
(``--gil``) of each web process.
"""

import argparse
import asyncio
import contextlib
import os
import re
import resource
import subprocess
import time
from pathlib import Path

import httpx

from bench.measure import drive
from bench.scenarios import load
from bench.stack import OURS_PORT, ROOT, Stack, process_cpu_seconds, tree_cpu_seconds


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _model_cpu() -> float:
    """Forward-pass CPU seconds of every worker process so far (the multiprocess metrics the web exports)."""
    text = httpx.get(f"http://127.0.0.1:{OURS_PORT}/metrics", timeout=30).text
    return sum(float(m.group(1)) for m in re.finditer(r"^model_cpu_seconds_total\{[^}]*\} (\S+)$", text, re.M))


def _sample(stack: Stack) -> dict[str, float]:
    assert stack.web and stack.worker and stack.llm
    return {
        "web": tree_cpu_seconds(stack.web.pid),
        "workers": tree_cpu_seconds(stack.worker.pid),
        "  of which model": _model_cpu(),
        "rabbitmq": process_cpu_seconds("beam.smp"),
        "llm": tree_cpu_seconds(stack.llm.pid),
        "mariadb": process_cpu_seconds("mariadbd"),
        "redis": process_cpu_seconds("redis-server"),
        "load generator": _self_cpu(),
    }


async def main(name: str, repeat: int, spy_dir: str | None, llm_delay: float, phase: int = 0) -> None:
    scenario = load()[name]
    stack = Stack()
    spies: list[subprocess.Popen] = []
    try:
        await stack.start(llm_delay)
        await stack.workers(next(iter(scenario.variants.values())))
        ctx = {"auth": await stack.token()}
        base = f"http://127.0.0.1:{OURS_PORT}"
        async with httpx.AsyncClient(base_url=base, timeout=600) as client:
            await scenario.setup(client, ctx)
            await scenario.ours(client, ctx, 0)
        concurrency, rounds = scenario.phases[phase]
        if spy_dir:
            Path(spy_dir).mkdir(parents=True, exist_ok=True)
            web_children = Path(f"/proc/{stack.web.pid}/task/{stack.web.pid}/children").read_text().split()
            for pid in web_children:
                out = Path(spy_dir) / f"web-{pid}.txt"
                argv = ["py-spy", "record", "--gil", "-p", pid, "-o", str(out), "-r", "200", "-f", "raw"]
                spies.append(subprocess.Popen(argv))
            await asyncio.sleep(1)
        before, started = _sample(stack), time.perf_counter()
        offset = 5000
        for _ in range(repeat):
            result = await drive(base, scenario.ours, ctx, concurrency, rounds, offset)
            offset += concurrency * rounds
            print(f"elapsed {result['elapsed_s']} s, errors {result['errors']}, health p99 {result['health_p99_ms']}")
        after, wall = _sample(stack), time.perf_counter() - started
    finally:
        for spy in spies:
            spy.send_signal(2)
            with contextlib.suppress(subprocess.TimeoutExpired):
                spy.wait(timeout=30)
        stack.stop()
    requests = concurrency * rounds * repeat
    print(f"\n{requests} requests in {wall:.1f} s wall ({os.cpu_count()} cores); CPU per group:")
    for group in before:
        used = after[group] - before[group]
        print(f"  {group:<15} {used:7.2f} s  {used / requests * 1000:7.1f} ms/request")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="chat-burst")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--py-spy", dest="spy", default=None, help="folder for flame graphs of the web processes")
    parser.add_argument("--llm-delay", type=float, default=1.0)
    parser.add_argument("--phase", type=int, default=0, help="which of the scenario's phases (0: the first)")
    args = parser.parse_args()
    os.chdir(ROOT)
    asyncio.run(main(args.scenario, args.repeat, args.spy, args.llm_delay, args.phase))
