"""A server-rendered SVG chart of a learner's writing level per week: the median as a line, the spread (25th to 75th
percentile) as a bar, placement results as diamonds. No JavaScript; prints cleanly."""

from datetime import date, timedelta

from django.utils.safestring import SafeString, mark_safe

from apps.core.levels import LEVEL_INDEX, LEVELS

LEFT, TOP, ROW, STEP, BOTTOM = 44, 16, 36, 12, 30


def _y(level: str) -> float:
    return TOP + (len(LEVELS) - 1 - LEVEL_INDEX[level]) * ROW + ROW / 2


def progress_chart(weeks: list[dict], placements: list[dict], today: date, span: int = 52) -> SafeString:
    """``weeks``: ``{"week": date, "level", "low", "high", "samples"}``; ``placements``: ``{"date": date,
    "level"}``; the chart covers the ``span`` weeks up to ``today``."""
    start = today - timedelta(weeks=span)
    width, height = LEFT + STEP * (span + 1) + 10, TOP + ROW * len(LEVELS) + BOTTOM

    def x(day: date) -> float:
        return LEFT + (day - start).days / 7 * STEP

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="Writing level per week" class="progress-chart">'
    ]
    for level in LEVELS:
        y = _y(level)
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{width - 10}" y2="{y}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4}" text-anchor="end" font-size="12">{level}</text>')
    month = date(start.year, start.month, 1)
    while month <= today:
        if month >= start:
            parts.append(
                f'<text x="{x(month):.1f}" y="{height - 10}" font-size="11" fill="#555">{month:%b}</text>'
                f'<line x1="{x(month):.1f}" y1="{TOP}" x2="{x(month):.1f}" y2="{TOP + ROW * len(LEVELS)}" '
                'stroke="#f0f0f0"/>'
            )
        month = (month + timedelta(days=32)).replace(day=1)
    shown = [w for w in weeks if w["level"] and w["week"] >= start]
    for w in shown:
        top, bottom = _y(w["high"]) - 8, _y(w["low"]) + 8
        parts.append(
            f'<rect class="spread" x="{x(w["week"]):.1f}" y="{top}" width="{STEP - 3}" height="{bottom - top}" '
            f'rx="2" fill="#b9d3ee"><title>{w["week"]:%d %b %Y}: {w["low"]}-{w["high"]}</title></rect>'
        )
    points = " ".join(f"{x(w['week']) + (STEP - 3) / 2:.1f},{_y(w['level'])}" for w in shown)
    if points:
        parts.append(f'<polyline points="{points}" fill="none" stroke="#2f6fb3" stroke-width="2"/>')
    for w in shown:
        parts.append(
            f'<circle class="median" data-week="{w["week"]}" data-level="{w["level"]}" '
            f'cx="{x(w["week"]) + (STEP - 3) / 2:.1f}" cy="{_y(w["level"])}" r="3" fill="#1f3b5c">'
            f"<title>week of {w['week']:%d %b %Y}: median {w['level']} ({w['samples']} texts)</title></circle>"
        )
    for p in placements:
        if p["date"] < start or p["level"] not in LEVEL_INDEX:
            continue
        cx, cy = x(p["date"]), _y(p["level"])
        parts.append(
            f'<path class="placement" data-level="{p["level"]}" d="M{cx:.1f} {cy - 7} l7 7 l-7 7 l-7 -7 z" '
            f'fill="#e07b00" stroke="#fff"><title>placement test {p["date"]:%d %b %Y}: {p["level"]}</title></path>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - only numbers, dates and fixed level names are interpolated
