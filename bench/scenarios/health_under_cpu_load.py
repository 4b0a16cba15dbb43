"""8 concurrent CPU-bound self-test jobs (~300 ms of pure computation each) while /api/health is probed."""

import httpx

from bench.scenarios import Scenario

WORK_MS = 300


async def ours(client: httpx.AsyncClient, ctx: dict) -> None:
    response = await client.post(
        "/api/jobs/selftest", json={"work_ms": WORK_MS, "wait": True}, headers=ctx["auth"], timeout=120
    )
    response.raise_for_status()
    assert response.json()["status"] == "done", response.text


async def baseline(client: httpx.AsyncClient, ctx: dict) -> None:
    response = await client.post("/api/jobs/selftest", json={"work_ms": WORK_MS}, timeout=120)
    response.raise_for_status()


SCENARIO = Scenario(
    name="health-under-cpu-load",
    description=f"8 concurrent CPU-bound jobs of ~{WORK_MS} ms, 5 rounds; /api/health probed every 25 ms",
    ours=ours,
    baseline=baseline,
    concurrency=8,
    rounds=5,
    targets={"health_p99_ms": 50, "lag_p99_ms": 10, "baseline_factor": 10},
)
