"""Readiness checks: each dependency answers within a deadline or the service reports 503."""

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection

from apps.core.kv import kv

logger = logging.getLogger(__name__)
CHECK_TIMEOUT = 3.0

Check = Callable[[], Any] | Callable[[], Awaitable[Any]]
_checks: dict[str, Check] = {}


def register_check(name: str, fn: Check) -> None:
    """Add a readiness check; a sync ``fn`` runs in a worker thread. It returns details or raises."""
    _checks[name] = fn


def _database() -> dict:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor, "ms": round((time.perf_counter() - started) * 1000, 2)}


async def _cache() -> dict:
    started = time.perf_counter()
    store = kv()
    await store.ping()
    return {"backend": type(store).__name__, "ms": round((time.perf_counter() - started) * 1000, 2)}


async def _run(name: str, fn: Check) -> tuple[str, dict]:
    try:
        if inspect.iscoroutinefunction(fn):
            detail = await asyncio.wait_for(fn(), CHECK_TIMEOUT)
        else:
            # The database check must use Django's per-request thread (its connection lives there).
            thread_sensitive = name == "database"
            detail = await asyncio.wait_for(sync_to_async(fn, thread_sensitive=thread_sensitive)(), CHECK_TIMEOUT)
        return name, {"ok": True, **(detail or {})}
    except Exception as exc:
        # The exception's text (addresses, user names, versions) goes to the log only: /api/ready is public.
        logger.warning("readiness check %s failed: %s", name, exc)
        return name, {"ok": False, "error": type(exc).__name__}


async def readiness() -> dict[str, dict]:
    """Run every check concurrently; return ``{name: {"ok": bool, ...}}``."""
    results = await asyncio.gather(*(_run(name, fn) for name, fn in _checks.items()))
    return dict(results)


register_check("database", _database)
register_check("cache", _cache)
