"""The class table's rows as HTML, built in Python: Django's template loop took ~5.6 ms for 40 rows, most of a cached
class page's CPU (``bench/scenarios/progress_pages.py``); this takes a fraction of a millisecond. Every value is
escaped by ``format_html``."""

from datetime import datetime

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _day(when: datetime, with_time: bool = False) -> str:
    """ "29 Nov" or "29 Nov 2026, 23:10" (UTC, the site's time zone), as the templates' ``date`` filter shows them."""
    return f"{when.day} {when:%b %Y, %H:%M}" if with_time else f"{when.day} {when:%b}"


DASH = mark_safe('<span class="muted">–</span>')  # noqa: S308 - a fixed string


def _placement(row: dict) -> SafeString:
    p = row["placement"]
    return format_html('{} <span class="muted">{}</span>', p["level"], _day(p["date"])) if p else DASH


def _current(row: dict) -> SafeString:
    c = row["current"]
    if not c["level"]:
        return mark_safe('<span class="muted">no writing</span>')  # noqa: S308 - a fixed string
    band = format_html(" ({})", c["band"]) if c["band"] != c["level"] else ""
    return format_html(
        '<span class="level">{}</span>{} <span class="muted">{}–{}, {} texts</span>',
        c["level"], band, c["low"], c["high"], c["samples"],
    )  # fmt: skip


def _trend(row: dict) -> SafeString:
    t = row["trend"]
    if not t["direction"]:
        return DASH
    return format_html('{} <span class="muted">{}/week</span>', t["direction"], f"{t['per_week']:.2f}")


def class_rows(rows: list[dict]) -> SafeString:
    """``<tr>`` elements of the class table for ``views.class_page``'s rows (dates already parsed)."""
    if not rows:
        return mark_safe('<tr><td colspan="6" class="muted">No students in this class yet.</td></tr>')  # noqa: S308
    student_url = reverse("progress:student", args=[0])[: -len("0/")]
    return format_html_join(
        "\n",
        '<tr data-student="{}"><td><a href="{}{}/">{}</a></td><td class="level">{}</td><td class="current">{}</td>'
        '<td class="trend-{}">{}</td><td class="messages">{}</td><td>{}</td></tr>',
        (
            (r["student"]["username"], student_url, r["student"]["id"], r["student"]["name"], _placement(r),
             _current(r), r["trend"]["direction"] or "", _trend(r), r["week_messages"],
             _day(r["last_activity"], with_time=True) if r["last_activity"] else "–")
            for r in rows
        ),
    )  # fmt: skip
