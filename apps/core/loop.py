"""A background task that measures how late the event loop wakes up (the "lag" of every other request)."""

import asyncio
import logging

from apps.core.metrics import LOOP_LAG

logger = logging.getLogger(__name__)


async def sample_loop_lag(interval: float) -> None:
    """Sleep ``interval`` seconds forever and record how much later than asked the loop woke us."""
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(interval)
        lag = max(0.0, loop.time() - started - interval)
        LOOP_LAG.observe(lag)
        if lag > 0.5:
            logger.warning("event loop lag %.0f ms", lag * 1000, extra={"lag_ms": lag * 1000})
