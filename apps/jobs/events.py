"""Publishing job events to websocket groups, from any thread of any process.

Actors are plain sync functions. They publish through one long-lived event loop: the web server's own loop when
the worker runs inside the web process (the in-memory channel layer only works on that loop), otherwise a private
loop on a daemon thread of the worker process, so every publish reuses one Redis connection instead of building
an event loop per call.
"""

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from channels.layers import get_channel_layer

PUBLISH_TIMEOUT = 5.0

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def job_group(job_id: str) -> str:
    return f"job.{job_id}"


def bind_loop(loop: asyncio.AbstractEventLoop | None) -> None:
    """Publish on ``loop`` (the web server's) from now on; ``None`` returns to a private loop."""
    global _loop
    _loop = loop


def _publisher_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="event-publisher", daemon=True).start()
            _loop = loop
        return _loop


def _run(coro: Coroutine[Any, Any, Any]) -> None:
    loop = _publisher_loop()
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is loop:
        raise RuntimeError("publish() is for sync code; await apublish() on the event loop instead")
    asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=PUBLISH_TIMEOUT)


async def apublish(groups: list[str], event: dict) -> None:
    """Send ``event`` (a JSON-able dict) to every group's websocket consumers and job waiters."""
    layer = get_channel_layer()
    for group in groups:
        await layer.group_send(group, {"type": "job.event", "event": event})


def publish(groups: list[str], event: dict) -> None:
    """Sync twin of ``apublish`` for actors and other threads."""
    _run(apublish(groups, event))


def send(group: str, message: dict) -> None:
    """Send a raw channel-layer message (with its own ``type``) to a group, from sync code."""
    _run(get_channel_layer().group_send(group, message))
