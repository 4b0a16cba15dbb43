"""8 concurrent CPU-bound self-test jobs (~300 ms of pure computation each) while /api/health is probed."""

import httpx

from bench.scenarios import Scenario

WORK_MS = 300


async def ours(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    response = await client.post("/api/jobs/selftest", json={"work_ms": WORK_MS, "wait": True}, headers=ctx["auth"])
    response.raise_for_status()
    assert response.json()["status"] == "done", response.text


async def baseline(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    (await client.post("/api/jobs/selftest", json={"work_ms": WORK_MS})).raise_for_status()


def verdicts(result: dict) -> list[tuple[str, bool]]:
    ours, base = result["ours"]["ours"][0], result["baseline"][0]
    factor = base["health_p99_ms"] / max(ours["health_p99_ms"], 1e-9)
    return [
        (f"/api/health p99 {ours['health_p99_ms']} ms <= 50 ms", ours["health_p99_ms"] <= 50),
        (f"event-loop lag p99 <= {ours['lag_p99_ms']} ms (bucket bound) <= 10 ms", ours["lag_p99_ms"] <= 10),
        (f"baseline /api/health p99 is {factor:.0f}x ours (>= 10x)", factor >= 10),
        (f"no errors (ours {ours['errors']}, baseline {base['errors']})", ours["errors"] == base["errors"] == 0),
    ]


SCENARIO = Scenario(
    name="health-under-cpu-load",
    description=f"8 concurrent CPU-bound jobs of ~{WORK_MS} ms, 5 rounds; /api/health probed every 25 ms",
    ours=ours,
    baseline=baseline,
    phases=[(8, 5)],
    verdicts=verdicts,
)
