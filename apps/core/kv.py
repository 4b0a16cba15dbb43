"""A small async key-value store for the web process's hot paths (token checks, tickets, rate limits, caches).

Django's cache API runs Redis calls through ``sync_to_async(thread_sensitive=True)``, so every request's cache
access would queue on one shared thread. This module talks to Redis with ``redis.asyncio`` instead (one client per
event loop) and falls back to an in-process dictionary in the embedded profile. It lives on ``CACHE_URL`` (a Redis that
may evict: everything here can be recomputed or asked for again); keys are prefixed with ``REDIS_PREFIX``.
"""

import asyncio
import threading
import time
import weakref
from typing import Protocol

import redis.asyncio as aioredis
from django.conf import settings


class KV(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def mget(self, keys: list[str]) -> list[str | None]: ...
    async def set(self, key: str, value: str, ttl: float) -> None: ...
    async def delete(self, key: str) -> bool: ...
    async def getdel(self, key: str) -> str | None: ...
    async def incr(self, key: str, ttl: float) -> tuple[int, float]: ...
    # Store ``value`` unless the key holds a larger number (writers that race never lower it).
    async def set_max(self, key: str, value: int, ttl: float) -> None: ...
    # Hold (or renew) ``member``'s place in the set ``key`` for ``ttl`` s; False, holding nothing, when that would
    # make more than ``limit`` live members. Places that are not renewed expire.
    async def lease(self, key: str, member: str, ttl: float, limit: int | None) -> bool: ...
    async def release(self, key: str, member: str) -> None: ...
    async def ping(self) -> None: ...


class MemoryKV:
    """Process-local store with expiry (embedded profile, single process)."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float]] = {}
        self._leases: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def _live(self, key: str) -> tuple[str, float] | None:
        item = self._data.get(key)
        if item is not None and item[1] <= time.monotonic():
            del self._data[key]
            return None
        return item

    async def get(self, key: str) -> str | None:
        with self._lock:
            item = self._live(key)
            return item[0] if item else None

    async def mget(self, keys: list[str]) -> list[str | None]:
        return [await self.get(key) for key in keys]

    async def set(self, key: str, value: str, ttl: float) -> None:
        with self._lock:
            self._data[key] = (value, time.monotonic() + ttl)

    async def delete(self, key: str) -> bool:
        with self._lock:
            return self._data.pop(key, None) is not None

    async def getdel(self, key: str) -> str | None:
        with self._lock:
            item = self._live(key)
            self._data.pop(key, None)
            return item[0] if item else None

    async def incr(self, key: str, ttl: float) -> tuple[int, float]:
        with self._lock:
            item = self._live(key)
            value, expires = (int(item[0]) + 1, item[1]) if item else (1, time.monotonic() + ttl)
            self._data[key] = (str(value), expires)
            return value, expires - time.monotonic()

    async def set_max(self, key: str, value: int, ttl: float) -> None:
        with self._lock:
            item = self._live(key)
            if item is None or int(item[0]) < value:
                self._data[key] = (str(value), time.monotonic() + ttl)

    async def lease(self, key: str, member: str, ttl: float, limit: int | None) -> bool:
        now = time.monotonic()
        with self._lock:
            leases = {m: until for m, until in self._leases.get(key, {}).items() if until > now}
            leases[member] = now + ttl
            if limit is not None and len(leases) > limit:
                del leases[member]
                self._leases[key] = leases
                return False
            self._leases[key] = leases
            return True

    async def release(self, key: str, member: str) -> None:
        with self._lock:
            self._leases.get(key, {}).pop(member, None)

    async def ping(self) -> None:
        return None


class RedisKV:
    """Redis-backed store; one connection pool per event loop (pools cannot cross loops)."""

    def __init__(self, url: str, prefix: str, timeout: float):
        self.url, self.prefix, self.timeout = url, prefix, timeout
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = (
            weakref.WeakKeyDictionary()
        )

    def _client(self) -> aioredis.Redis:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = aioredis.Redis.from_url(
                self.url,
                decode_responses=True,
                socket_connect_timeout=self.timeout,
                socket_timeout=self.timeout,
                health_check_interval=30,
            )
            self._clients[loop] = client
        return client

    def _k(self, key: str) -> str:
        return f"{self.prefix}:kv:{key}"

    async def get(self, key: str) -> str | None:
        return await self._client().get(self._k(key))

    async def mget(self, keys: list[str]) -> list[str | None]:
        return await self._client().mget([self._k(key) for key in keys]) if keys else []

    async def set(self, key: str, value: str, ttl: float) -> None:
        await self._client().set(self._k(key), value, px=max(1, int(ttl * 1000)))

    async def delete(self, key: str) -> bool:
        return bool(await self._client().delete(self._k(key)))

    async def getdel(self, key: str) -> str | None:
        return await self._client().getdel(self._k(key))

    async def incr(self, key: str, ttl: float) -> tuple[int, float]:
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.incr(self._k(key))
            pipe.pexpire(self._k(key), max(1, int(ttl * 1000)), nx=True)
            pipe.pttl(self._k(key))
            value, _, pttl = await pipe.execute()
        return int(value), max(pttl, 0) / 1000

    async def set_max(self, key: str, value: int, ttl: float) -> None:
        await self._client().eval(_SET_MAX, 1, self._k(key), value, max(1, int(ttl * 1000)))

    async def lease(self, key: str, member: str, ttl: float, limit: int | None) -> bool:
        # A sorted set scored by each lease's expiry: entries of a process that died fall out on their own.
        now, k = time.time(), self._k(key)
        async with self._client().pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(k, "-inf", now)
            pipe.zadd(k, {member: now + ttl})
            pipe.zcard(k)
            pipe.pexpire(k, max(1, int(ttl * 1000)))
            _, _, count, _ = await pipe.execute()
        if limit is not None and count > limit:
            await self._client().zrem(k, member)
            return False
        return True

    async def release(self, key: str, member: str) -> None:
        await self._client().zrem(self._k(key), member)

    async def ping(self) -> None:
        await self._client().ping()


#: SET key value PX ttl, unless the key holds a larger number already (a late writer never lowers it).
_SET_MAX = """
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
"""


_stores: dict[tuple[str, str], KV] = {}


def _store_at(url: str) -> KV:
    key = (url, settings.REDIS_PREFIX)
    store = _stores.get(key)
    if store is None:
        store = RedisKV(url, settings.REDIS_PREFIX, settings.REDIS_SOCKET_TIMEOUT) if url else MemoryKV()
        _stores[key] = store
    return store


def kv() -> KV:
    """The cache (``CACHE_URL``, may evict): what can be recomputed or asked for again."""
    return _store_at(settings.CACHE_URL)


def durable_kv() -> KV:
    """Short-lived state that must not be evicted before it expires (``REDIS_URL``, ``noeviction``): a refresh
    token's single-use mark, which the cache could drop and so let a used token work again."""
    return _store_at(settings.REDIS_URL)
