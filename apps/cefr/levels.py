"""Conversions between CEFR level names and 0-5 indices for the CEFR model (the levels are in apps.core.levels)."""

from apps.core.levels import LEVEL_INDEX, LEVELS

__all__ = ["LEVELS", "LEVEL_INDEX", "expected_level", "level_at", "level_below", "level_index", "normalize_level"]


def normalize_level(value: str) -> str:
    """Return ``value`` as one of LEVELS (surrounding spaces and case ignored); raise ValueError if it is not one."""
    level = str(value).strip().upper()
    if level not in LEVEL_INDEX:
        raise ValueError(f"unknown CEFR level {value!r}; expected one of {', '.join(LEVELS)}")
    return level


def level_index(level: str) -> int:
    """Return the 0-based index of ``level`` (A1 -> 0 ... C2 -> 5); raise ValueError for an unknown level."""
    return LEVEL_INDEX[normalize_level(level)]


def level_at(index: int) -> str:
    """Return the level name at ``index`` (0 -> A1 ... 5 -> C2); raise IndexError outside 0-5."""
    if not 0 <= index < len(LEVELS):
        raise IndexError(f"level index {index} is outside 0..{len(LEVELS) - 1}")
    return LEVELS[index]


def level_below(level: str) -> str:
    """Return the level one below ``level``; A1 has none below it, so A1 gives A1."""
    return LEVELS[max(level_index(level) - 1, 0)]


def expected_level(scores: dict[str, float]) -> float:
    """Return the probability-weighted mean level index (0.0 = A1 ... 5.0 = C2) of a ``scores`` mapping."""
    return sum(LEVEL_INDEX[level] * float(p) for level, p in scores.items())
