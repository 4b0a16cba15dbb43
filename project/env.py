"""Typed readers for settings that come from the environment.

Each helper fails loudly (``ImproperlyConfigured``) on a value it cannot parse, so a typo in a deployment stops the
process at start instead of silently falling back to a default. ``NAME_FILE`` may point at a file that holds the
value (Docker/Kubernetes secrets); it wins over ``NAME``.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    """Return the variable's text (or the content of ``NAME_FILE``), ``default`` when unset."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    """Return a boolean; accepts 1/0, true/false, yes/no, on/off (any case)."""
    raw = envstr(name, "").strip().lower()
    if name not in os.environ and f"{name}_FILE" not in os.environ:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def envint(name: str, default: int, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """Return an integer within ``[min_value, max_value]``."""
    raw = envstr(name, "").strip()
    if not raw:
        value = default
    else:
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    _check_range(name, value, min_value, max_value)
    return value


def envfloat(name: str, default: float, *, min_value: float | None = None, max_value: float | None = None) -> float:
    """Return a float within ``[min_value, max_value]``."""
    raw = envstr(name, "").strip()
    if not raw:
        value = default
    else:
        try:
            value = float(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    _check_range(name, value, min_value, max_value)
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list with blanks dropped."""
    raw = envstr(name, "")
    if not raw.strip():
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def envchoice(name: str, default: str, choices: set[str]) -> str:
    """Return one of ``choices``."""
    value = envstr(name, default).strip() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of {sorted(choices)}")
    return value


def envurl(name: str, schemes: set[str]) -> str:
    """Return a URL whose scheme is one of ``schemes``, or "" when unset."""
    value = envstr(name, "").strip()
    if value and value.split("://", 1)[0] not in schemes:
        raise ImproperlyConfigured(f"{name} must start with one of {sorted(s + '://' for s in schemes)}")
    if value and "://" not in value:
        raise ImproperlyConfigured(f"{name}={value!r} is not a URL")
    return value


def _check_range(name: str, value: float, low: float | None, high: float | None) -> None:
    if low is not None and value < low:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum {low}")
    if high is not None and value > high:
        raise ImproperlyConfigured(f"{name}={value} is above the maximum {high}")


def envpools(name: str, default: str) -> list[dict]:
    """Worker pools as ``queue[+queue]:processes:threads:nice[:prefetch]`` items separated by commas.

    ``prefetch`` (default: Dramatiq's, twice the threads) is how many messages a process takes from Redis at once.
    """
    raw = envstr(name, "").strip() or default
    pools = []
    for item in raw.split(","):
        parts = item.strip().split(":")
        if len(parts) not in (4, 5):
            raise ImproperlyConfigured(f"{name}: {item!r} is not queue:processes:threads:nice[:prefetch]")
        queues, *numbers = parts
        try:
            processes, threads, nice, *rest = (int(n) for n in numbers)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} has a part that is not an integer") from None
        prefetch = rest[0] if rest else threads * 2
        if not queues or processes < 1 or threads < 1 or not 0 <= nice <= 19 or prefetch < 1:
            raise ImproperlyConfigured(
                f"{name}: {item!r} needs queues, processes >= 1, threads >= 1, nice 0-19, prefetch >= 1"
            )
        pools.append(
            {
                "queues": queues.split("+"),
                "processes": processes,
                "threads": threads,
                "nice": nice,
                "prefetch": prefetch,
            }
        )
    return pools


def envintmap(name: str, default: str) -> dict[str, int]:
    """``key:int`` pairs separated by commas, e.g. ``cefr:2000,interactive:200``."""
    raw = envstr(name, "").strip() or default
    result = {}
    for item in raw.split(","):
        key, sep, value = item.strip().partition(":")
        if not sep or not key:
            raise ImproperlyConfigured(f"{name}: {item!r} is not key:number")
        try:
            result[key] = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} has a value that is not an integer") from None
        if result[key] < 1:
            raise ImproperlyConfigured(f"{name}: {item!r} must be at least 1")
    return result
