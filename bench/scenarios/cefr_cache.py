"""Requests for sentences already classified: answered from the cache, never reaching a worker."""

import httpx

from bench.measure import server_timing
from bench.scenarios import Scenario
from bench.scenarios.cefr_burst import baseline, sentences

HOT = 64


async def setup(client: httpx.AsyncClient, ctx: dict) -> None:
    response = await client.post("/api/cefr/classify", json={"texts": sentences()[:HOT]}, headers=ctx["auth"])
    response.raise_for_status()


async def ours(client: httpx.AsyncClient, ctx: dict, i: int) -> tuple[float, float] | None:
    response = await client.post("/api/cefr/classify", json={"texts": [sentences()[i % HOT]]}, headers=ctx["auth"])
    response.raise_for_status()
    return server_timing(response)


def verdicts(result: dict) -> list[tuple[str, bool]]:
    hot = result["ours"]["ours"][0]
    return [
        (
            f"cache-hit requests p99 {hot['server_p99_ms']} ms server side <= 5 ms (after admission; waiting "
            f"for a slot: p50 {hot['queue_p50_ms']} ms, p99 {hot['queue_p99_ms']} ms; "
            f"at the client: p99 {hot['work_p99_ms']} ms)",
            hot["server_p99_ms"] <= 5,
        ),
        (f"/api/health p99 {hot['health_p99_ms']} ms <= 50 ms", hot["health_p99_ms"] <= 50),
    ]


SCENARIO = Scenario(
    name="cefr-cache",
    description=f"64 concurrent requests for {HOT} sentences classified before (cache hits), 3 rounds",
    ours=ours,
    baseline=baseline,
    setup=setup,
    phases=[(64, 3)],
    verdicts=verdicts,
)
