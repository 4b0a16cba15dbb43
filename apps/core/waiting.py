"""The web side's one way to wait for a message on the channel layer (a job's event, a worker's reply).

``subscription(group)`` gives a fresh channel added to ``group`` for the duration; ``receive`` awaits its next
message holding no thread, and gives the request's admission slot back meanwhile (``apps.core.admission``): waiting
for a worker is not CPU work, so it must not keep other requests out.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from channels.layers import BaseChannelLayer, get_channel_layer

from apps.core import admission


class Subscription:
    """A channel subscribed to one group, from ``subscription``."""

    def __init__(self, layer: BaseChannelLayer, channel: str):
        self.layer, self.channel = layer, channel

    async def receive(self, timeout: float) -> dict[str, Any]:
        """The next message sent to the group; raises ``TimeoutError`` after ``timeout`` seconds without one."""
        async with admission.released():
            return await asyncio.wait_for(self.layer.receive(self.channel), timeout)


@contextlib.asynccontextmanager
async def subscription(group: str) -> AsyncIterator[Subscription]:
    """Subscribe a new channel to ``group`` (before the caller sends or re-reads anything, so nothing is missed);
    leave the group on exit."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    try:
        yield Subscription(layer, channel)
    finally:
        await layer.group_discard(group, channel)
