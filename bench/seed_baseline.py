"""The design we replace, reproduced for side-by-side benchmarks: ``async def`` endpoints that run the work inline.

A bare ASGI app (the old service was FastAPI; the framework does not matter here, the inline work does): every
request runs its CPU-bound work directly on the event loop, so every other request, ``/api/health`` included,
waits behind it. It samples its own event-loop lag the same way the real service does. Serve it with
``uvicorn bench.seed_baseline:app``.
"""

import asyncio
import json
import time

from apps.jobs.selftest import burn_cpu

LAG_INTERVAL = 0.1
_lag_samples: list[tuple[float, float]] = []
_sampler: asyncio.Task | None = None


async def _sample_lag() -> None:
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(LAG_INTERVAL)
        _lag_samples.append((time.time(), max(0.0, loop.time() - started - LAG_INTERVAL)))
        del _lag_samples[:-10_000]


async def _read_json(receive) -> dict:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    return json.loads(body or b"{}")


async def _respond(send, status: int, payload) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


async def selftest(payload: dict) -> dict:
    # The blocking design: CPU-bound work inline in an async endpoint.
    started = time.perf_counter()
    primes = burn_cpu(int(payload.get("work_ms", 300)))
    return {"status": "done", "result": {"primes": primes, "elapsed_ms": (time.perf_counter() - started) * 1000}}


async def app(scope, receive, send):
    global _sampler
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            if message["type"] == "lifespan.startup":
                _sampler = asyncio.get_running_loop().create_task(_sample_lag())
                await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    path, method = scope["path"], scope["method"]
    if path == "/api/health":
        return await _respond(send, 200, {"status": "ok"})
    if path == "/api/jobs/selftest" and method == "POST":
        return await _respond(send, 200, await selftest(await _read_json(receive)))
    if path == "/bench/lag":
        since = float(dict(p.split("=") for p in scope["query_string"].decode().split("&") if "=" in p)["since"])
        return await _respond(send, 200, [lag for ts, lag in _lag_samples if ts >= since])
    return await _respond(send, 404, {"error": {"status": 404, "code": "not_found", "message": "Not found"}})
