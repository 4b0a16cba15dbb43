"""100 learners each send one message while the LLM stand-in takes 1 s per answer."""

import httpx

from bench.scenarios import Scenario

LEARNERS = 100


async def setup(client: httpx.AsyncClient, ctx: dict) -> None:
    ctx["conversations"] = []
    for n in range(LEARNERS + 1):
        response = await client.post("/api/chat/conversations", json={"topic": f"bench {n}"}, headers=ctx["auth"])
        response.raise_for_status()
        ctx["conversations"].append(response.json()["id"])


async def ours(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    conversation = ctx["conversations"][i % len(ctx["conversations"])]
    response = await client.post(
        f"/api/chat/conversations/{conversation}/messages",
        json={"text": f"Yesterday I went to the market number {i} and I bought some apples."},
        headers=ctx["auth"],
    )
    response.raise_for_status()
    assert response.json()["reply"]["status"] == "done"


async def baseline(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    text = f"Yesterday I went to the market number {i} and I bought some apples."
    (await client.post("/api/chat/message", json={"text": text})).raise_for_status()


def verdicts(result: dict) -> list[tuple[str, bool]]:
    ours, base = result["ours"]["ours"][0], result["baseline"][0]
    factor = base["elapsed_s"] / max(ours["elapsed_s"], 1e-9)
    in_time = ours["elapsed_s"] <= 3 and ours["errors"] == 0
    return [
        (f"all {ours['requests']} replies within {ours['elapsed_s']} s wall (<= 3 s)", in_time),
        (f"baseline took {base['elapsed_s']} s: {factor:.0f}x slower (>= 30x)", factor >= 30),
        (f"/api/health p99 {ours['health_p99_ms']} ms <= 50 ms", ours["health_p99_ms"] <= 50),
    ]  # fmt: skip


SCENARIO = Scenario(
    name="chat-burst",
    description=f"{LEARNERS} learners send one message each at once; the LLM answers after 1 s",
    ours=ours,
    baseline=baseline,
    setup=setup,
    phases=[(LEARNERS, 1)],
    verdicts=verdicts,
)
