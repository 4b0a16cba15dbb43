"""Websocket authentication: a one-time ticket in the query string, and an Origin check.

Browsers cannot set an ``Authorization`` header on a websocket, and a long-lived JWT in a URL ends up in logs, so
clients first ``POST /api/auth/ws-ticket`` (with their JWT) and connect to ``/ws/...?ticket=...`` within
``WS_TICKET_TTL`` seconds. A browser always sends ``Origin``; it must match ``ALLOWED_HOSTS`` or
``WS_ALLOWED_ORIGINS``. Native apps send no Origin and are let through (they hold a ticket, and cross-site
hijacking needs a browser).

The ticket's sign-in stays attached to the socket (``scope["socket_auth"]``, a ``SocketSession``): the consumer
closes it when that sign-in is revoked, and at most ``WS_MAX_PER_USER`` sockets of one user are open at once on all
web processes together.
"""

from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from apps.accounts import revocation
from apps.accounts.tokens import Principal, redeem_ws_ticket
from apps.core.consumers import CLOSE_TOO_MANY, CLOSE_UNAUTHORIZED
from apps.core.kv import durable_kv


class SocketSession:
    """A socket's sign-in (``apps.core.consumers.SocketAuth``): its revocation check and its place among the user's
    open sockets, a lease in a sorted set on ``REDIS_URL`` that lapses ``WS_LEASE_SECONDS`` after its last renewal,
    so the sockets of a process that died stop counting."""

    def __init__(self, principal: Principal):
        self.principal, self.user_id, self.sid = principal, principal.id, principal.sid
        self.lease_key = f"ws-open:{principal.id}"

    async def _revoked(self) -> bool:
        return await revocation.check(self.user_id, self.sid, self.principal.ver)

    async def admit(self, channel: str) -> int | None:
        if await self._revoked():
            return CLOSE_UNAUTHORIZED
        if not await durable_kv().lease(self.lease_key, channel, settings.WS_LEASE_SECONDS, settings.WS_MAX_PER_USER):
            return CLOSE_TOO_MANY
        return None

    async def renew(self, channel: str) -> int | None:
        if await self._revoked():
            return CLOSE_UNAUTHORIZED
        await durable_kv().lease(self.lease_key, channel, settings.WS_LEASE_SECONDS, None)
        return None

    async def leave(self, channel: str) -> None:
        await durable_kv().release(self.lease_key, channel)


class TicketAuthMiddleware:
    """Sets ``scope["principal"]`` from ``?ticket=`` (or ``None`` when missing, unknown or used) and
    ``scope["socket_auth"]`` (a ``SocketSession``, or ``None``)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        ticket = (query.get("ticket") or [""])[0]
        principal = await redeem_ws_ticket(ticket)
        socket_auth = SocketSession(principal) if principal is not None else None
        scope = dict(scope, principal=principal, socket_auth=socket_auth)
        return await self.app(scope, receive, send)


def origin_allowed(origin: str | None) -> bool:
    """Return whether a websocket handshake's Origin header is acceptable."""
    if origin is None:
        return True
    if origin in settings.WS_ALLOWED_ORIGINS:
        return True
    parsed = urlparse(origin)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        return False
    host, _ = split_domain_port(parsed.netloc)
    return validate_host(host, settings.ALLOWED_HOSTS)


class OriginValidatorMiddleware:
    """Refuses a websocket handshake (close before accept, HTTP 403) whose Origin is foreign."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        raw = headers.get(b"origin")
        origin = raw.decode("latin-1") if raw is not None else None
        if scope["type"] == "websocket" and not origin_allowed(origin):
            await receive()  # the websocket.connect event
            await send({"type": "websocket.close", "code": 4403})
            return None
        return await self.app(scope, receive, send)
