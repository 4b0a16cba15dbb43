"""The base of the project's websocket consumers."""

import logging

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

logger = logging.getLogger(__name__)

#: RFC 6455 close codes for frames a consumer cannot read.
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_INVALID_PAYLOAD = 1007
CLOSE_TOO_BIG = 1009


class JsonConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer that closes the socket cleanly on a frame it cannot read and answers ``{"type": "ping"}``.

    Channels' own JSON consumer raises on a binary frame or on text that is not JSON, which kills the connection with
    a traceback (1011). Here a binary frame is closed with 1003, unparseable text with 1007, and a frame over
    ``WS_MAX_FRAME_BYTES`` (clients send only small control messages) with 1009 before it is parsed.
    """

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            logger.info("websocket %s: binary frame refused", self.scope.get("path"))
            await self.close(code=CLOSE_UNSUPPORTED_DATA)
            return
        if len(text_data.encode()) > settings.WS_MAX_FRAME_BYTES:
            logger.info(
                "websocket %s: frame over %d bytes refused", self.scope.get("path"), settings.WS_MAX_FRAME_BYTES
            )
            await self.close(code=CLOSE_TOO_BIG)
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):
            logger.info("websocket %s: frame that is not JSON refused", self.scope.get("path"))
            await self.close(code=CLOSE_INVALID_PAYLOAD)
            return
        await self.receive_json(content, **kwargs)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
