"""Websocket authentication: a one-time ticket in the query string, and an Origin check.

Browsers cannot set an ``Authorization`` header on a websocket, and a long-lived JWT in a URL ends up in logs, so
clients first ``POST /api/auth/ws-ticket`` (with their JWT) and connect to ``/ws/...?ticket=...`` within
``WS_TICKET_TTL`` seconds. A browser always sends ``Origin``; it must match ``ALLOWED_HOSTS`` or
``WS_ALLOWED_ORIGINS``. Native apps send no Origin and are let through (they hold a ticket, and cross-site
hijacking needs a browser).
"""

from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from apps.accounts.tokens import redeem_ws_ticket


class TicketAuthMiddleware:
    """Sets ``scope["principal"]`` from ``?ticket=`` (or ``None`` when missing, unknown or used)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        ticket = (query.get("ticket") or [""])[0]
        scope = dict(scope, principal=await redeem_ws_ticket(ticket))
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
