"""Is anybody watching a conversation's websocket right now?

A streamed LLM answer costs the web process a parse of every chunk (the OpenAI SDK and LangChain build objects per
token), and each piece pushed to the websocket costs a channel-layer send. When no client has the conversation's
websocket open (a learner on the REST API only, or with the app in the background), nobody would see the stream,
so the tutor is asked for the whole answer at once.

The check asks the channel layer's own bookkeeping, so it cannot go stale: for the Redis pub/sub layer, the number of
subscribers of the group's pub/sub channel (``PUBSUB NUMSUB``: a websocket on any web process or host subscribes
when it connects, and a crashed process's subscriptions end with its connection); for the in-memory layer (embedded
profile), its group table. With another layer, or when the check fails, the answer is "yes": streaming is always
correct, only dearer.
"""

import logging

from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer

from apps.core.kv import RedisKV, kv

logger = logging.getLogger(__name__)


async def has_listeners(group: str) -> bool:
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        return bool(layer.groups.get(group))
    store = kv()
    if isinstance(layer, RedisPubSubChannelLayer) and isinstance(store, RedisKV):
        try:
            return await store.subscribers(layer._get_group_channel_name(group)) > 0
        except Exception as exc:  # Redis trouble: stream, which is right whoever listens
            logger.warning("could not count the listeners of %s: %s", group, exc)
    return True
