"""The bases of the project's websocket consumers: ``JsonConsumer`` and, for a socket that follows one group of
events (a user's jobs, a conversation), ``GroupConsumer``.

A socket opened with a sign-in (``scope["socket_auth"]``, set by the project's websocket authentication) is tied to
it: it joins its user's revocation group (``auth_group``) and closes with ``CLOSE_UNAUTHORIZED`` within moments of
a revocation sent there, holds a place among the user's open sockets (over the cap it is closed with
``CLOSE_TOO_MANY``), and re-checks the sign-in each time it renews that place.
"""

import asyncio
import contextlib
import logging
from typing import Any, Protocol

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

logger = logging.getLogger(__name__)

#: RFC 6455 close codes for frames a consumer cannot read.
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_INVALID_PAYLOAD = 1007
CLOSE_TOO_BIG = 1009
#: The project's close codes: no valid sign-in (missing, expired or revoked), not the caller's (or no such) object,
#: and too many open sockets.
CLOSE_UNAUTHORIZED = 4401
CLOSE_NOT_FOUND = 4404
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
    joined: tuple[str, ...] = ()  # the channel-layer groups this socket listens to, left when it disconnects

    async def join(self, group: str) -> None:
        """Listen to ``group`` until the socket disconnects."""
        await self.channel_layer.group_add(group, self.channel_name)
        self.joined = (*self.joined, group)

    async def leave(self, group: str) -> None:
        """Stop listening to ``group``."""
        await self.channel_layer.group_discard(group, self.channel_name)
        self.joined = tuple(g for g in self.joined if g != group)

    async def accept(self, subprotocol=None, headers=None) -> None:
        auth: SocketAuth | None = self.scope.get("socket_auth")
        if auth is None:
            await super().accept(subprotocol, headers)
            return
        # Listen before checking: a revocation between the check and the subscription would be missed otherwise.
        self.socket_auth = auth
        await self.join(auth_group(auth.user_id))
        refusal = await auth.admit(self.channel_name)
        if refusal == CLOSE_UNAUTHORIZED:
            await self.leave(auth_group(auth.user_id))
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
        for group in self.joined:
            await self.leave(group)
        auth = self.socket_auth
        if auth is not None:
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


class GroupConsumer(JsonConsumer):
    """A socket that follows one channel-layer group for the signed-in caller (``scope["principal"]``).

    ``connect`` closes with ``CLOSE_UNAUTHORIZED`` without a sign-in and with ``CLOSE_NOT_FOUND`` when
    ``group_for`` gives None (not the caller's, or no such object); otherwise it joins the group and accepts. The
    group is left when the socket disconnects.
    """

    async def group_for(self, principal: Any) -> str | None:
        """The group this socket follows for ``principal`` (it has ``id``); None: not found."""
        raise NotImplementedError

    async def connect(self):
        principal = self.scope.get("principal")
        if principal is None:
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        group = await self.group_for(principal)
        if group is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.join(group)
        await self.accept()
