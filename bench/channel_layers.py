"""Measure the two Redis channel layers on the operations this service uses (``python -m bench.channel_layers``).

- ``event``: ``group_send`` to a user's group -> the websocket consumer's ``receive`` (job events).
- ``wait``: the job-wait pattern: ``new_channel`` + ``group_add`` + ``group_send`` + ``receive`` + ``group_discard``.
"""

import asyncio
import json
import os
import statistics
import sys
import time

from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer

URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
N = 300


async def event_latency(layer) -> list[float]:
    channel = await layer.new_channel()
    await layer.group_add("bench.user", channel)
    out = []
    for _ in range(N):
        started = time.perf_counter()
        await layer.group_send("bench.user", {"type": "job.event", "event": {"n": 1}})
        await layer.receive(channel)
        out.append((time.perf_counter() - started) * 1000)
    await layer.group_discard("bench.user", channel)
    return out


async def wait_pattern(layer) -> list[float]:
    out = []
    for i in range(N):
        started = time.perf_counter()
        channel = await layer.new_channel()
        await layer.group_add(f"bench.job.{i}", channel)
        await layer.group_send(f"bench.job.{i}", {"type": "job.event", "event": {"status": "done"}})
        await asyncio.wait_for(layer.receive(channel), 5)
        await layer.group_discard(f"bench.job.{i}", channel)
        out.append((time.perf_counter() - started) * 1000)
    return out


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 3),
        "mean_ms": round(statistics.fmean(ordered), 3),
    }


async def main() -> None:
    results = {}
    for name, cls in (("RedisPubSubChannelLayer", RedisPubSubChannelLayer), ("RedisChannelLayer", RedisChannelLayer)):
        layer = cls(hosts=[URL], prefix="bench-layers")
        results[name] = {"event": summary(await event_latency(layer)), "wait": summary(await wait_pattern(layer))}
        if hasattr(layer, "flush"):
            await layer.flush()
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    asyncio.run(main())
