"""Fixed-window rate limits kept in the key-value store."""

from apps.core.errors import RateLimited
from apps.core.kv import kv


async def check_rate(bucket: str, limit: int, window: int = 60) -> None:
    """Count one hit in ``bucket``; raise ``RateLimited`` (429 + Retry-After) past ``limit`` hits per window."""
    count, remaining = await kv().incr(f"rate:{bucket}", window)
    if count > limit:
        raise RateLimited(retry_after=int(remaining) + 1)


async def limit_user(kind: str, user_id: int) -> None:
    """Per-user limit on a heavy endpoint (``RATE_LIMITS[kind]`` requests a minute); 429 with Retry-After past it."""
    from django.conf import settings

    limit = settings.RATE_LIMITS.get(kind)
    if limit is not None:
        await check_rate(f"user:{user_id}:{kind}", limit)
