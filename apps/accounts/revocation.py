"""Revoking sign-ins: the marks every request checks, and the message that closes open websockets.

Two kinds of mark live on ``REDIS_URL`` (``durable_kv``: ``noeviction``, so a mark is never dropped early), each kept
``JWT_REFRESH_TTL`` seconds, longer than any token it could refuse lives:

- ``auth-ver:{user_id}``: the user's lowest valid ``token_version``. ``User.save`` bumps the version on a password
  change, a deactivation or "revoke all tokens" and writes it here when the transaction commits.
- ``auth-sid:{sid}``: one session (a refresh-token family and the access tokens issued with it) signed out: a
  logout, or one of its refresh tokens used twice.

Every authenticated request reads both marks for its token in one MGET (``state_keys`` / ``is_revoked``), so a
revocation holds on every web process as soon as it is written, whatever ``JWT_CACHE_TTL`` is. The same write sends
``REVOKED`` to the user's websocket group (``apps.core.consumers``), which closes their open sockets.
"""

import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from apps.core.consumers import auth_group, revocation_message
from apps.core.kv import durable_kv

logger = logging.getLogger(__name__)


def state_keys(user_id: int, sid: str) -> list[str]:
    """The keys of a token's revocation marks, for one MGET on ``durable_kv()``."""
    return [f"auth-ver:{user_id}", f"auth-sid:{sid}"]


def is_revoked(state: list[str | None], version: int) -> bool:
    """Whether a token of ``version`` is revoked, given the values of ``state_keys`` (in that order)."""
    lowest_valid, session_revoked = state
    return session_revoked is not None or (lowest_valid is not None and version < int(lowest_valid))


async def check(user_id: int, sid: str, version: int) -> bool:
    """Whether that sign-in is revoked (one round trip to ``REDIS_URL``)."""
    return is_revoked(await durable_kv().mget(state_keys(user_id, sid)), version)


async def _notify(user_id: int, sid: str | None) -> None:
    await get_channel_layer().group_send(auth_group(user_id), revocation_message(sid))


async def arevoke_user(user_id: int, lowest_valid_version: int) -> None:
    """Refuse every token of the user older than ``lowest_valid_version`` and close their websockets."""
    await durable_kv().set_max(f"auth-ver:{user_id}", lowest_valid_version, settings.JWT_REFRESH_TTL)
    await _notify(user_id, None)
    logger.info("sign-ins revoked", extra={"user_id": user_id, "token_version": lowest_valid_version})


async def arevoke_session(user_id: int, sid: str) -> None:
    """Refuse every token of one session (refresh and access) and close the websockets opened with it."""
    await durable_kv().set(f"auth-sid:{sid}", "1", settings.JWT_REFRESH_TTL)
    await _notify(user_id, sid)
    logger.info("session revoked", extra={"user_id": user_id, "sid": sid})


def revoke_user(user_id: int, lowest_valid_version: int) -> None:
    """Sync twin of ``arevoke_user`` (admin, management commands, actors)."""
    async_to_sync(arevoke_user)(user_id, lowest_valid_version)


def revoke_user_on_commit(user_id: int, lowest_valid_version: int) -> None:
    """``revoke_user`` once the current transaction commits (at once outside one). If Redis cannot take the mark,
    the error reaches the caller: the database already refuses the old tokens, but cached lookups would not."""
    transaction.on_commit(partial(revoke_user, user_id, lowest_valid_version))
