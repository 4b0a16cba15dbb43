"""An inline SVG bar chart of levels per skill (no JavaScript, prints cleanly)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.core.levels import LEVELS

LEFT, TOP, ROW, STEP = 110, 30, 34, 70


def level_chart(rows: list[tuple[str, str | None]]) -> SafeString:
    """Bars from A1 up to each row's level; ``rows`` are ``(label, level or None)``."""
    width, height = LEFT + STEP * len(LEVELS) + 20, TOP + ROW * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="Level per skill" class="level-chart">'
    ]
    for i, name in enumerate(LEVELS):
        x = LEFT + STEP * i
        parts.append(f'<line x1="{x}" y1="{TOP - 8}" x2="{x}" y2="{height - 6}" stroke="#ddd"/>')
        parts.append(f'<text x="{x + STEP / 2}" y="{TOP - 12}" text-anchor="middle" font-size="12">{name}</text>')
    for row, (label, level) in enumerate(rows):
        y = TOP + ROW * row
        parts.append(f'<text x="{LEFT - 8}" y="{y + 20}" text-anchor="end" font-size="13">{escape(label)}</text>')
        if level in LEVELS:
            bar = STEP * (LEVELS.index(level) + 1)
            parts.append(f'<rect x="{LEFT}" y="{y + 6}" width="{bar}" height="20" rx="3" fill="#2f6fb3"/>')
            parts.append(
                f'<text x="{LEFT + bar - 6}" y="{y + 20}" text-anchor="end" font-size="12" fill="#fff" '
                f'data-level="{level}">{level}</text>'
            )
        else:
            parts.append(f'<text x="{LEFT + 6}" y="{y + 20}" font-size="12" fill="#777">not assessed</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every dynamic text above is escaped or a fixed level name
