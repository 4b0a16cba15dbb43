"""ASGI wrappers around Django and Channels: liveness, body-size limit, start-up/shut-down of background tasks.

``Lifespan`` warms the process up (``project.warmup``), starts the event-loop lag sampler and, in the embedded
profile, the Dramatiq worker threads inside the web process; it stops them on shutdown. Servers without lifespan
support get the sampler on the first request.
"""

import asyncio
import json
import logging

from django.conf import settings

from apps.core.loop import sample_loop_lag
from project.warmup import warm_up

logger = logging.getLogger(__name__)


class Liveness:
    """Answers ``GET``/``HEAD /api/health`` on the event loop itself, before Django.

    Django's handler runs the request signals through a thread per request (``sync_to_async``), so under load a
    liveness probe queued for threads and the GIL behind other requests' database work, and reported the process
    as slow when only its threads were busy. Answered here, the probe measures what it should: whether the event loop
    turns. The Ninja route stays for the API schema and gives the same body.
    """

    BODY = b'{"status": "ok"}'
    HEADERS = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(BODY)).encode()),
        (b"cache-control", b"no-store"),
    ]

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == "/api/health" and scope["method"] in ("GET", "HEAD"):
            await send({"type": "http.response.start", "status": 200, "headers": self.HEADERS})
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else self.BODY})
            return None
        return await self.app(scope, receive, send)


class BodyLimit:
    """Answers 413 (JSON envelope) for bodies over ``MAX_REQUEST_BYTES`` before Django reads or spools them."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.MAX_REQUEST_BYTES
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > limit
            except ValueError:
                return await _send_error(send, 400, "Invalid Content-Length")
            if too_big:
                return await _send_error(send, 413, f"Request body is larger than {limit} bytes")
            return await self.app(scope, receive, send)
        # No Content-Length (chunked): read up to the limit before handing the body to Django.
        buffered, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None  # client went away
            size += len(message.get("body", b""))
            if size > limit:
                return await _send_error(send, 413, f"Request body is larger than {limit} bytes")
            buffered.append(message)
            if not message.get("more_body", False):
                break

        async def replay():
            return buffered.pop(0) if buffered else await receive()

        return await self.app(scope, replay, send)


async def _send_error(send, status: int, message: str) -> None:
    from apps.core.errors import _CODES

    body = json.dumps({"error": {"status": status, "code": _CODES[status], "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Lifespan:
    """Handles ASGI ``lifespan`` and makes sure background tasks run in the serving process."""

    def __init__(self, app):
        self.app = app
        self.lag_task: asyncio.Task | None = None
        self.worker = None

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            return await self._lifespan(receive, send)
        self._ensure_lag_sampler()
        return await self.app(scope, receive, send)

    def _ensure_lag_sampler(self) -> None:
        if self.lag_task is None or self.lag_task.done():
            self.lag_task = asyncio.get_running_loop().create_task(sample_loop_lag(settings.LOOP_LAG_INTERVAL))

    async def _lifespan(self, receive, send):
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self._ensure_lag_sampler()
                    warm_up()
                    if settings.EMBEDDED_WORKER:
                        self.worker = start_embedded_worker(asyncio.get_running_loop())
                except Exception as exc:
                    logger.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.worker is not None:
                    await asyncio.get_running_loop().run_in_executor(None, self.worker.stop)
                if self.lag_task is not None:
                    self.lag_task.cancel()
                await send({"type": "lifespan.shutdown.complete"})
                return


def start_embedded_worker(loop: asyncio.AbstractEventLoop):
    """Run Dramatiq worker threads in this process (embedded profile), with every actor registered."""
    import actors  # noqa: F401  (registers the actors on the broker; imported here, only when a worker runs)
    from apps.jobs import pools

    return pools.start_embedded_worker(loop)
