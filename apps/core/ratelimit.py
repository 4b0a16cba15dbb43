"""Fixed-window rate limits kept in the key-value store."""

from apps.core.errors import RateLimited
from apps.core.kv import kv


async def check_rate(bucket: str, limit: int, window: int = 60) -> None:
    """Count one hit in ``bucket``; raise ``RateLimited`` (429 + Retry-After) past ``limit`` hits per window."""
    count, remaining = await kv().incr(f"rate:{bucket}", window)
    if count > limit:
        raise RateLimited(retry_after=int(remaining) + 1)
