"""One sign-in throttle for the API, the teacher login and the admin login.

Failures are counted per account and client address (the account's username normalised as the database's
``utf8mb4_unicode_ci`` collation compares it: case and accents ignored). After ``AUTH_FAILURE_LIMIT`` failures that
pair is locked for ``AUTH_LOCKOUT_SECONDS``, the correct password included: the API answers 429 with Retry-After,
the HTML forms an error. Keyed on the pair, a stranger cannot lock a learner out from another address. Counters live
in the cache (``CACHE_URL``); a success clears them.
"""

import hashlib
import time
import unicodedata

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest

from apps.core.errors import RateLimited


def client_address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR") if request is not None else None) or "unknown"


def account_key(username: str) -> str:
    folded = unicodedata.normalize("NFKD", username.strip()).casefold()
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _key(kind: str, username: str, address: str) -> str:
    digest = hashlib.sha256(f"{account_key(username)}\0{address}".encode()).hexdigest()[:32]
    return f"signin-{kind}:{digest}"


def locked_for(username: str, address: str) -> int:
    """Seconds until this account may be tried again from this address (0: now)."""
    until = cache.get(_key("lock", username, address))
    if until is None:
        return 0
    return max(1, int(until - time.time()))


def check(username: str, request: HttpRequest | None) -> None:
    """Raise ``RateLimited`` (429 + Retry-After) while the account is locked for this client."""
    wait = locked_for(username, client_address(request))
    if wait:
        raise RateLimited(wait, f"Too many failed sign-ins; try again in {wait} s")


def failed(username: str, request: HttpRequest | None) -> None:
    address = client_address(request)
    key = _key("fail", username, address)
    cache.add(key, 0, settings.AUTH_LOCKOUT_SECONDS)
    if cache.incr(key) >= settings.AUTH_FAILURE_LIMIT:
        lock = time.time() + settings.AUTH_LOCKOUT_SECONDS
        cache.set(_key("lock", username, address), lock, settings.AUTH_LOCKOUT_SECONDS)
        cache.delete(key)


def succeeded(username: str, request: HttpRequest | None) -> None:
    cache.delete(_key("fail", username, client_address(request)))


@receiver(user_login_failed)
def _count_failure(sender, credentials: dict, request=None, **kwargs) -> None:
    if credentials.get("username"):
        failed(credentials["username"], request)


@receiver(user_logged_in)
def _clear_failures(sender, request, user, **kwargs) -> None:
    succeeded(user.get_username(), request)
