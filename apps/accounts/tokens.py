"""JWT access and refresh tokens (PyJWT, HS256), their sessions, and their verification.

Every pair carries the user's id, role and ``token_version`` and a session id (``sid``) that the refresh tokens of
one sign-in pass on from pair to pair: a refresh token works once and yields a new pair of the same session; used a
second time it signs the whole session out (it was stolen, or the legitimate holder's copy was), and no token of a
session outlives ``JWT_SESSION_TTL`` from its sign-in (``auth_time``), however often it is refreshed. A request's token
is refused as soon as the user's or the session's revocation mark is on ``REDIS_URL`` (``revocation``: one MGET per
request); the database lookup of a verified token (active user, current ``token_version``, role) is cached for
``JWT_CACHE_TTL`` seconds under a hash of the token.
"""

import asyncio
import base64
import hashlib
import json
import secrets
import time
import uuid
from dataclasses import asdict, dataclass

import jwt
from django.conf import settings

from apps.accounts import revocation
from apps.accounts.models import User
from apps.core.kv import durable_kv, kv
from apps.core.metrics import cache_result

ALGORITHM = "HS256"
CLAIMS = ("sub", "exp", "iat", "type", "ver", "sid", "auth_time", "jti")


class InvalidToken(Exception):
    """Raised when a token is malformed, tampered with, expired, revoked or of the wrong type."""


class ForeignToken(Exception):
    """Raised when a caller presents a valid token that was issued to another user."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: enough to authorize without a database hit."""

    id: int
    username: str
    role: str
    sid: str  # the session (sign-in) the token belongs to
    ver: int  # the token_version it was issued with

    @property
    def is_staff(self) -> bool:
        return self.role == "staff"


def _encode(user: User, token_type: str, exp: int, sid: str, auth_time: int) -> str:
    claims = {
        "sub": str(user.pk),
        "role": user.role,
        "name": user.username,
        "ver": user.token_version,
        "sid": sid,
        "auth_time": auth_time,
        "type": token_type,
        "iat": int(time.time()),
        "exp": exp,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM)


def issue_pair(user: User, sid: str | None = None, auth_time: int | None = None) -> dict[str, str | int]:
    """Return ``{"access", "refresh", "token_type", "expires_in"}`` for an active user: a new session (signed in
    now), or the session ``sid`` signed in at ``auth_time`` carried on. No token of a session outlives
    ``JWT_SESSION_TTL`` from its sign-in, however often it is refreshed."""
    now = int(time.time())
    sid, auth_time = sid or uuid.uuid4().hex, auth_time or now
    ends = auth_time + settings.JWT_SESSION_TTL
    access_exp = min(now + settings.JWT_ACCESS_TTL, ends)
    return {
        "access": _encode(user, "access", access_exp, sid, auth_time),
        "refresh": _encode(user, "refresh", min(now + settings.JWT_REFRESH_TTL, ends), sid, auth_time),
        "token_type": "Bearer",
        "expires_in": access_exp - now,
    }


def _decode(token: str, token_type: str, *, verify_exp: bool = True) -> dict:
    try:
        claims = jwt.decode(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=[ALGORITHM],
            options={"require": [*CLAIMS], "verify_exp": verify_exp},
        )
        claims["uid"] = int(claims["sub"])
    except jwt.ExpiredSignatureError:
        raise InvalidToken("Token has expired") from None
    except (jwt.InvalidTokenError, ValueError):
        raise InvalidToken("Token is invalid") from None
    if claims.get("type") != token_type:
        raise InvalidToken(f"Not an {token_type} token")
    if (
        not isinstance(claims["ver"], int)
        or not isinstance(claims["auth_time"], int)
        or not isinstance(claims["sid"], str)
    ):
        raise InvalidToken("Token is invalid")
    return claims


async def _active_user(claims: dict) -> User:
    try:
        user = await User.objects.aget(pk=claims["uid"], is_active=True)
    except User.DoesNotExist:
        raise InvalidToken("Unknown or inactive user") from None
    if user.token_version != claims["ver"]:
        raise InvalidToken("Token has been revoked")
    return user


def _named_session(token: str) -> tuple[int, str] | None:
    """The user and session a token names, read without checking its signature, only to build the keys of the one
    round trip: nothing is trusted from it. A cached lookup exists only for a token string verified before, and any
    other token is verified in full."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return int(claims["sub"]), str(claims["sid"])
    except (IndexError, KeyError, TypeError, ValueError):
        return None


async def _cached_and_state(cache_key: str | None, user_id: int, sid: str) -> tuple[str | None, list[str | None]]:
    """The cached lookup (None: none or not cached) and the revocation marks, in one round trip when the cache and
    the durable store are one Redis (or one in-process store), else two at once."""
    keys = revocation.state_keys(user_id, sid)
    if cache_key is None:
        return None, await durable_kv().mget(keys)
    if kv() is durable_kv():
        cached, *state = await kv().mget([cache_key, *keys])
        return cached, state
    cached, state = await asyncio.gather(kv().get(cache_key), durable_kv().mget(keys))
    return cached, state


async def verify_access(token: str) -> Principal:
    """Return the caller for a valid access token; raise ``InvalidToken`` otherwise.

    A token whose lookup is cached (its exact string was verified before, the entry lives no longer than the token)
    skips the signature check and the database; its revocation marks are read on every call all the same.
    """
    key = "jwt:" + hashlib.sha256(token.encode()).hexdigest() if settings.JWT_CACHE_TTL else None
    named = _named_session(token) if key else None
    claims = None
    if named is None:
        claims = _decode(token, "access")
        named = (claims["uid"], claims["sid"])
    cached, state = await _cached_and_state(key, *named)
    cache_result("jwt", cached is not None)
    if cached is not None:
        principal = Principal(**json.loads(cached))
        if revocation.is_revoked(state, principal.ver):
            raise InvalidToken("Token has been revoked")
        return principal
    claims = claims or _decode(token, "access")
    if (claims["uid"], claims["sid"]) != named or revocation.is_revoked(state, claims["ver"]):
        raise InvalidToken("Token has been revoked")
    user = await _active_user(claims)
    principal = Principal(id=user.pk, username=user.username, role=user.role, sid=claims["sid"], ver=claims["ver"])
    ttl = min(settings.JWT_CACHE_TTL, claims["exp"] - time.time())
    if key is not None and ttl > 0:
        await kv().set(key, json.dumps(asdict(principal)), ttl)
    return principal


async def refresh_pair(refresh_token: str) -> dict[str, str | int]:
    """Exchange a refresh token (usable once) for a new pair of its session; raise ``InvalidToken`` if it is not
    valid. A second use revokes the session: the pair issued from the first use stops working too."""
    claims = _decode(refresh_token, "refresh")
    remaining = claims["exp"] - time.time()
    used, _ = await durable_kv().incr(f"jwt-used:{claims['jti']}", max(remaining, 1))
    if used > 1:
        await revocation.arevoke_session(claims["uid"], claims["sid"])
        raise InvalidToken("Refresh token has already been used: its session is signed out, sign in again")
    if await revocation.check(claims["uid"], claims["sid"], claims["ver"]):
        raise InvalidToken("Token has been revoked")
    return issue_pair(await _active_user(claims), claims["sid"], claims["auth_time"])


async def logout(principal: Principal, refresh_token: str) -> None:
    """Sign out the refresh token's session: its refresh and access tokens stop working, its websockets close.

    Raises ``InvalidToken`` when it is not a refresh token of ours (an expired one still names its session) and
    ``ForeignToken``, revoking nothing, when it was issued to someone else than the caller.
    """
    claims = _decode(refresh_token, "refresh", verify_exp=False)
    if claims["uid"] != principal.id:
        raise ForeignToken("This refresh token belongs to another account")
    await revocation.arevoke_session(principal.id, claims["sid"])


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
    try:
        return Principal(**json.loads(raw)) if raw else None
    except TypeError:  # a ticket issued by an older release, with other fields
        return None
