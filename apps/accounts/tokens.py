"""JWT access and refresh tokens (PyJWT, HS256) and their verification with a short-lived cache.

Access tokens carry the user's id, role and ``token_version``; a refresh token can be used once (its ``jti`` is
remembered until it expires) and yields a new pair. A verified access token is cached for ``JWT_CACHE_TTL``
seconds under a hash of the token, so repeated requests skip the signature check and the user lookup; revocation
(``User.revoke_tokens``) therefore takes effect within that many seconds.
"""

import hashlib
import json
import secrets
import time
import uuid
from dataclasses import asdict, dataclass

import jwt
from django.conf import settings

from apps.accounts.models import User
from apps.core.kv import durable_kv, kv
from apps.core.metrics import cache_result

ALGORITHM = "HS256"


class InvalidToken(Exception):
    """Raised when a token is malformed, tampered with, expired, revoked or of the wrong type."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: enough to authorize without a database hit."""

    id: int
    username: str
    role: str

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"


def _encode(user: User, token_type: str, ttl: int) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user.pk),
        "role": user.role,
        "name": user.username,
        "ver": user.token_version,
        "type": token_type,
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM)


def issue_pair(user: User) -> dict[str, str | int]:
    """Return ``{"access", "refresh", "token_type", "expires_in"}`` for an active user."""
    return {
        "access": _encode(user, "access", settings.JWT_ACCESS_TTL),
        "refresh": _encode(user, "refresh", settings.JWT_REFRESH_TTL),
        "token_type": "Bearer",
        "expires_in": settings.JWT_ACCESS_TTL,
    }


def _decode(token: str, token_type: str) -> dict:
    try:
        claims = jwt.decode(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "iat", "type", "ver", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise InvalidToken("Token has expired") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("Token is invalid") from None
    if claims.get("type") != token_type:
        raise InvalidToken(f"Not an {token_type} token")
    return claims


async def _active_user(claims: dict) -> User:
    try:
        user = await User.objects.aget(pk=int(claims["sub"]), is_active=True)
    except (User.DoesNotExist, ValueError):
        raise InvalidToken("Unknown or inactive user") from None
    if user.token_version != claims["ver"]:
        raise InvalidToken("Token has been revoked")
    return user


async def verify_access(token: str) -> Principal:
    """Return the caller for a valid access token; raise ``InvalidToken`` otherwise."""
    key = "jwt:" + hashlib.sha256(token.encode()).hexdigest()
    cached = await kv().get(key) if settings.JWT_CACHE_TTL else None
    cache_result("jwt", cached is not None)
    if cached is not None:
        return Principal(**json.loads(cached))
    claims = _decode(token, "access")
    user = await _active_user(claims)
    principal = Principal(id=user.pk, username=user.username, role=user.role)
    ttl = min(settings.JWT_CACHE_TTL, claims["exp"] - time.time())
    if ttl > 0:
        await kv().set(key, json.dumps(asdict(principal)), ttl)
    return principal


async def refresh_pair(refresh_token: str) -> dict[str, str | int]:
    """Exchange a refresh token (usable once) for a new pair; raise ``InvalidToken`` if it is not valid."""
    claims = _decode(refresh_token, "refresh")
    remaining = claims["exp"] - time.time()
    used, _ = await durable_kv().incr(f"jwt-used:{claims['jti']}", max(remaining, 1))
    if used > 1:
        raise InvalidToken("Refresh token has already been used")
    return issue_pair(await _active_user(claims))


async def issue_ws_ticket(principal: Principal) -> str:
    """Return a one-time ticket (valid ``WS_TICKET_TTL`` s) that authenticates one websocket connection."""
    ticket = secrets.token_urlsafe(32)
    await kv().set(f"ws-ticket:{ticket}", json.dumps(asdict(principal)), settings.WS_TICKET_TTL)
    return ticket


async def redeem_ws_ticket(ticket: str) -> Principal | None:
    """Return the ticket's owner and burn the ticket; ``None`` when unknown, expired or already used."""
    if not ticket or len(ticket) > 128:
        return None
    raw = await kv().getdel(f"ws-ticket:{ticket}")
    return Principal(**json.loads(raw)) if raw else None
