"""The base of the project's websocket consumers.

A socket opened with a sign-in (``scope["socket_auth"]``, set by the project's websocket authentication) is tied to
it: it joins its user's revocation group (``auth_group``) and closes with ``CLOSE_UNAUTHORIZED`` within moments of
a revocation sent there, holds a place among the user's open sockets (over the cap it is closed with
``CLOSE_TOO_MANY``), and re-checks the sign-in each time it renews that place.
"""

import asyncio
import contextlib
import logging
from typing import Protocol

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

logger = logging.getLogger(__name__)

#: RFC 6455 close codes for frames a consumer cannot read.
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_INVALID_PAYLOAD = 1007
CLOSE_TOO_BIG = 1009
#: The project's close codes: no valid sign-in (missing, expired or revoked), and too many open sockets.
CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_MANY = 4429

#: The channel-layer message that revokes a user's sign-ins (``sid`` None: all of them; else that session only).
REVOKED = "auth.revoked"


def auth_group(user_id: int) -> str:
    """The channel-layer group where every open socket of a user listens for ``REVOKED``."""
    return f"auth.{user_id}"


def revocation_message(sid: str | None) -> dict:
    return {"type": REVOKED, "sid": sid}


class SocketAuth(Protocol):
    """A socket's sign-in, as the authentication middleware leaves it in ``scope["socket_auth"]``."""

    user_id: int
    sid: str

    async def admit(self, channel: str) -> int | None:
        """Take a place among the user's open sockets; a close code when the socket may not open."""

    async def renew(self, channel: str) -> int | None:
        """Keep the place (``WS_LEASE_SECONDS`` more); a close code when the sign-in has been revoked."""

    async def leave(self, channel: str) -> None:
        """Give the place up."""


class JsonConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer that closes the socket cleanly on a frame it cannot read and answers ``{"type": "ping"}``.

    Channels' own JSON consumer raises on a binary frame or on text that is not JSON, which kills the connection with
    a traceback (1011). Here a binary frame is closed with 1003, unparseable text with 1007, and a frame over
    ``WS_MAX_FRAME_BYTES`` (clients send only small control messages) with 1009 before it is parsed.

    Subclasses authorize in ``connect()`` and call ``accept()``, which admits the sign-in first (see the module).
    """

    socket_auth: SocketAuth | None = None
    renewal_task: asyncio.Task | None = None
    signed_out = False

    async def accept(self, subprotocol=None, headers=None) -> None:
        auth: SocketAuth | None = self.scope.get("socket_auth")
        if auth is None:
            await super().accept(subprotocol, headers)
            return
        # Listen before checking: a revocation between the check and the subscription would be missed otherwise.
        self.socket_auth = auth
        await self.channel_layer.group_add(auth_group(auth.user_id), self.channel_name)
        refusal = await auth.admit(self.channel_name)
        if refusal == CLOSE_UNAUTHORIZED:
            await self.channel_layer.group_discard(auth_group(auth.user_id), self.channel_name)
            self.socket_auth = None
            await self.close(code=refusal)
            return
        await super().accept(subprotocol, headers)
        if refusal is not None:
            # Accepted, then closed: a browser sees this code (a refused handshake shows only as 1006).
            logger.info("websocket %s: user %s over WS_MAX_PER_USER", self.scope.get("path"), auth.user_id)
            await self.close(code=refusal, reason="Too many open websockets for this account")
            return
        self.renewal_task = asyncio.create_task(self._renew(auth))

    async def _renew(self, auth: SocketAuth) -> None:
        while True:
            await asyncio.sleep(settings.WS_LEASE_SECONDS / 3)
            try:
                refusal = await auth.renew(self.channel_name)
            except Exception:  # Redis away for a moment: the lease outlives two missed renewals
                logger.warning("websocket %s: could not renew its lease", self.scope.get("path"), exc_info=True)
                continue
            if refusal is not None:
                await self.close(code=refusal)
                return

    async def auth_revoked(self, message):
        auth = self.socket_auth
        if auth is not None and message.get("sid") in (None, auth.sid):
            logger.info("websocket %s: sign-in of user %s revoked", self.scope.get("path"), auth.user_id)
            await self.close(code=CLOSE_UNAUTHORIZED)

    async def close(self, code=None, reason=None):
        # A revocation, a failed renewal and the consumer itself may each close the socket: the server takes one.
        if not self.signed_out:
            self.signed_out = True
            await super().close(code, reason)

    async def websocket_disconnect(self, message):
        if self.renewal_task is not None:
            self.renewal_task.cancel()
        auth = self.socket_auth
        if auth is not None:
            await self.channel_layer.group_discard(auth_group(auth.user_id), self.channel_name)
            with contextlib.suppress(Exception):  # a place that is not given up expires
                await auth.leave(self.channel_name)
        await super().websocket_disconnect(message)

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
