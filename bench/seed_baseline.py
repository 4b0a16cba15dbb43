"""The design we replace, reproduced for side-by-side benchmarks: ``async def`` endpoints that run the work inline.

A bare ASGI app (the old service was FastAPI; the framework does not matter here, the inline work does): every
request runs its CPU-bound work directly on the event loop, so every other request, ``/api/health`` included,
waits behind it. It samples its own event-loop lag the same way the real service does. Serve it with
``uvicorn bench.seed_baseline:app``.
"""

import asyncio
import base64
import json
import os
import time

import django
import httpx

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django.setup()  # for the settings the models read (model folders, engine choice); no database is used

from apps.jobs.selftest import burn_cpu  # noqa: E402

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


_models: dict = {}


def _cefr(texts: list[str]) -> list[dict]:
    from django.conf import settings

    from apps.cefr.model import CefrModel

    if "cefr" not in _models:
        _models["cefr"] = CefrModel.load(settings.CEFR_MODEL_DIR, threads=1)
    return _models["cefr"].predict(texts)  # inline, on the event loop: the design we replace


async def cefr_classify(payload: dict) -> list[dict]:
    return [{"text": t, **r} for t, r in zip(payload["texts"], _cefr(payload["texts"]), strict=True)]


async def ocr_image(payload: dict) -> dict:
    from apps.ocr.engines import get_engine
    from apps.ocr.imaging import open_image

    started = time.perf_counter()
    result = get_engine().recognize(open_image(base64.b64decode(payload["image"])))  # inline, blocking
    return {"text": result.text, "elapsed_ms": (time.perf_counter() - started) * 1000}


async def chat_message(payload: dict) -> dict:
    from django.conf import settings

    # Sync HTTP call to the LLM and inline CEFR, both on the event loop, as the old service did.
    reply = httpx.post(
        f"{settings.LLM_BASE_URL}/chat/completions",
        json={"model": settings.LLM_MODEL, "messages": [{"role": "user", "content": payload["text"]}]},
        timeout=120,
    ).json()["choices"][0]["message"]["content"]
    return {"message": {"text": payload["text"], "cefr": _cefr([payload["text"]])[0]}, "reply": {"text": reply}}


ROUTES = {
    "/api/jobs/selftest": selftest,
    "/api/cefr/classify": cefr_classify,
    "/api/ocr/image": ocr_image,
    "/api/chat/message": chat_message,
}


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
    if path in ROUTES and method == "POST":
        return await _respond(send, 200, await ROUTES[path](await _read_json(receive)))
    if path == "/bench/lag":
        since = float(dict(p.split("=") for p in scope["query_string"].decode().split("&") if "=" in p)["since"])
        return await _respond(send, 200, [lag for ts, lag in _lag_samples if ts >= since])
    return await _respond(send, 404, {"error": {"status": 404, "code": "not_found", "message": "Not found"}})
