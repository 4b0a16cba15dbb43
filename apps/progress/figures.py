"""Figures from small level histograms (``{level index: count}``, built by database aggregates): median, spread,
band and trend. Pure functions: nothing here touches the database."""

from apps.cefr import bands
from apps.core.levels import LEVELS

#: Weekly mean levels change by at least this much per week (least squares) to count as a trend up or down.
TREND_THRESHOLD = 0.1


def quantile(hist: dict[int, int], q: float) -> int | None:
    """The level index at quantile ``q`` (0-1) of the histogram; None when it is empty."""
    total = sum(hist.values())
    if not total:
        return None
    seen = 0
    for index in sorted(hist):
        seen += hist[index]
        if seen >= q * total:
            return index
    return max(hist)


def mean(hist: dict[int, int]) -> float | None:
    total = sum(hist.values())
    return sum(i * n for i, n in hist.items()) / total if total else None


def level_summary(hist: dict[int, int]) -> dict:
    """``{"level", "band", "low", "high", "samples"}``: the median level, the band (``apps.cefr.bands``' rule on the
    levels' shares), and the spread (25th to 75th percentile level). Levels are None without samples."""
    total = sum(hist.values())
    median = quantile(hist, 0.5)
    if median is None:
        return {"level": None, "band": None, "low": None, "high": None, "samples": 0}
    shares = {LEVELS[i]: n / total for i, n in hist.items()}
    return {
        "level": LEVELS[median],
        "band": bands.band(shares, LEVELS[median]),
        "low": LEVELS[quantile(hist, 0.25) or 0],
        "high": LEVELS[quantile(hist, 0.75) or 0],
        "samples": total,
    }


def trend(weekly_means: list[float | None]) -> dict:
    """``{"direction": "up"|"down"|"steady"|None, "per_week": slope}`` from the weeks' mean levels, oldest first
    (None for a week without samples); at least two weeks with samples are needed."""
    points = [(x, y) for x, y in enumerate(weekly_means) if y is not None]
    if len(points) < 2:
        return {"direction": None, "per_week": None}
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    direction = "up" if slope >= TREND_THRESHOLD else "down" if slope <= -TREND_THRESHOLD else "steady"
    return {"direction": direction, "per_week": round(slope, 3)}


def shares(counts: dict[str, int]) -> dict[str, float]:
    """Each key's share of the total (0 when there is nothing), rounded to 3 places."""
    total = sum(counts.values())
    return {k: round(n / total, 3) if total else 0.0 for k, n in counts.items()}
