"""100 learners each send one message while the LLM stand-in takes 1 s per answer.

Variant ``ours``: the learners use the REST API only (no websocket open); replies are streamed all the same.
Variant ``watching``: every learner has the conversation's websocket open before the burst and reads the streamed
tokens; the load generator reads all hundred sockets on the same two cores.
"""

import asyncio
import contextlib
import json

import httpx
from websockets.asyncio.client import connect

from bench.scenarios import Scenario

LEARNERS = 100
TOKEN_EVENTS = [0]  # chat.token events the watching learners received


async def setup(client: httpx.AsyncClient, ctx: dict) -> None:
    await _close_sockets(ctx)
    ctx["conversations"] = []
    for n in range(LEARNERS + 1):
        response = await client.post("/api/chat/conversations", json={"topic": f"bench {n}"}, headers=ctx["auth"])
        response.raise_for_status()
        ctx["conversations"].append(response.json()["id"])
    if ctx.get("variant") == "watching":
        ctx["sockets"] = []
        for conversation in ctx["conversations"]:
            ticket = (await client.post("/api/auth/ws-ticket", headers=ctx["auth"])).json()["ticket"]
            url = str(client.base_url).replace("http", "ws", 1).rstrip("/")
            socket = await connect(f"{url}/ws/chat/{conversation}/?ticket={ticket}")
            ctx["sockets"].append((socket, asyncio.create_task(_read(socket, TOKEN_EVENTS))))


async def _read(socket, counter: list[int]) -> None:
    with contextlib.suppress(Exception):
        async for frame in socket:
            if json.loads(frame).get("type") == "chat.token":
                counter[0] += 1


async def _close_sockets(ctx: dict) -> None:
    for socket, reader in ctx.pop("sockets", []):
        reader.cancel()
        await socket.close()


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
    checks = [
        (f"all {ours['requests']} replies within {ours['elapsed_s']} s wall (<= 3 s)", in_time),
        (f"baseline took {base['elapsed_s']} s: {factor:.0f}x slower (>= 30x)", factor >= 30),
        (f"/api/health p99 {ours['health_p99_ms']} ms <= 25 ms", ours["health_p99_ms"] <= 25),
    ]  # fmt: skip
    watching = result["ours"].get("watching")
    if watching:  # reported beside the target, not a verdict: the burst has no websockets
        checks.append(
            (
                f"(for information) with every learner's websocket open and streamed to: "
                f"{watching[0]['elapsed_s']} s wall, health p99 {watching[0]['health_p99_ms']} ms, "
                f"{TOKEN_EVENTS[0]} chat.token events received",
                True,
            )
        )
    return checks


SCENARIO = Scenario(
    name="chat-burst",
    description=f"{LEARNERS} learners send one message each at once; the LLM answers after 1 s",
    ours=ours,
    baseline=baseline,
    setup=setup,
    phases=[(LEARNERS, 1)],
    variants={"ours": {}, "watching": {}},
    verdicts=verdicts,
)
