"""Reading order of detected text boxes: columns at clear gutters, else bands, else lines by vertical overlap.

Plain Python on (x0, y0, x1, y1) numbers, unit-tested on synthetic boxes (tests/ocr/test_postprocess.py).
"""

from __future__ import annotations

import statistics

Box = list[list[float]]

# Reading order: a vertical gap splits a region into columns only when it is at least this many line heights wide
# and each side is a real column (enough lines, enough of the region's width); receipts' price columns are not.
COLUMN_GAP_HEIGHTS = 0.5
COLUMN_MIN_LINES = 2
COLUMN_MIN_WIDTH_SHARE = 0.25
# ... and its lines fill it: text columns are justified or nearly so, while a receipt's or form's labels are short.
COLUMN_MIN_FILL = 0.6
# Two boxes are on the same line when their vertical overlap is at least this share of the smaller height.
SAME_LINE_OVERLAP = 0.5
# Detectors pad each box (DB "unclip") by roughly a fifth of its height on each side, which closes narrow gutters
# between justified columns; for layout, boxes are narrowed by this share of their height on each side.
BOX_SIDE_PADDING = 0.3


def bounds(box: Box) -> tuple[float, float, float, float]:
    """Return the axis-aligned (x0, y0, x1, y1) of a 4-point box."""
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return min(xs), min(ys), max(xs), max(ys)


def reading_order(boxes: list[Box]) -> list[list[int]]:
    """Return the boxes' indices grouped into lines, in reading order.

    A region is split into columns at a clear vertical gutter (``split_columns``) and each column read in turn.
    Where something crosses the gutter (a title across the page), the region is cut into horizontal bands, and
    consecutive bands that share a gutter are regrouped into segments (``segments``) that are ordered the same way.
    What cannot be split is grouped into lines by vertical overlap, each read left to right.
    """
    items = [_unpadded(index, *bounds(box)) for index, box in enumerate(boxes)]
    if not items:
        return []
    heights = [y1 - y0 for _, _, y0, _, y1 in items]
    line_height = max(statistics.median(heights), 1.0)
    return _order(items, line_height, {})


def _unpadded(index: int, x0: float, y0: float, x1: float, y1: float) -> tuple:
    """(index, x0, y0, x1, y1) with the detector's side padding taken off (never below half the box's width)."""
    trim = min(BOX_SIDE_PADDING * (y1 - y0), (x1 - x0) / 4)
    return index, x0 + trim, y0, x1 - trim, y1


def _order(items: list[tuple], line_height: float, cache: dict) -> list[list[int]]:
    if len(items) <= 1:
        return [[item[0]] for item in items]
    columns = split_columns(items, line_height, cache)
    if columns:
        return [line for column in columns for line in _order(column, line_height, cache)]
    parts = segments(split_bands(items), line_height)
    if len(parts) == 1:
        return group_lines(items)
    return [line for part in parts for line in _order(part, line_height, cache)]


def split_columns(items: list[tuple], line_height: float, cache: dict | None = None) -> list[list[tuple]] | None:
    """Split (index, x0, y0, x1, y1) items at the widest gutter that separates two real columns, else None.

    Whether a side is "columns" asks the same question of that side, so the answers are kept in ``cache`` (one per
    ``reading_order`` call, keyed by the items' indices): without it a table of 20 columns asked it some 557,000
    times, 40 s of a dense page's 58 s here; with it each run of columns is asked once.
    """
    if cache is None:
        cache = {}
    key = frozenset(item[0] for item in items)
    if key not in cache:
        cache[key] = _split_columns(items, line_height, cache)
    return cache[key]


def _split_columns(items: list[tuple], line_height: float, cache: dict) -> list[list[tuple]] | None:
    ordered = sorted(items, key=lambda item: item[1])
    left_edge, right_edge = ordered[0][1], max(item[3] for item in items)
    width = max(right_edge - left_edge, 1.0)
    best, best_gap = None, COLUMN_GAP_HEIGHTS * line_height
    reach = ordered[0][3]
    for position in range(1, len(ordered)):
        gap = ordered[position][1] - reach
        if gap >= best_gap and all(
            _is_columns(side, width, line_height, cache) for side in (ordered[:position], ordered[position:])
        ):
            best, best_gap = position, gap
        reach = max(reach, ordered[position][3])
    if best is None:
        return None
    return [ordered[:best], ordered[best:]]


def _is_columns(items: list[tuple], region_width: float, line_height: float, cache: dict) -> bool:
    """One real column, or several side by side (the right two of three columns)."""
    return _is_column(items, region_width) or (
        len(items) >= 2 * COLUMN_MIN_LINES and split_columns(items, line_height, cache) is not None
    )


def _is_column(items: list[tuple], region_width: float) -> bool:
    """A column has enough lines, spans enough of the region, and its typical line fills most of its width."""
    column_width = max(item[3] for item in items) - min(item[1] for item in items)
    typical = statistics.median(item[3] - item[1] for item in items)
    return (
        len(items) >= COLUMN_MIN_LINES
        and column_width >= COLUMN_MIN_WIDTH_SHARE * region_width
        and typical >= COLUMN_MIN_FILL * column_width
    )


def split_bands(items: list[tuple]) -> list[list[tuple]]:
    """Split items into horizontal bands at rows that no box crosses, top to bottom."""
    ordered = sorted(items, key=lambda item: item[2])
    bands = [[ordered[0]]]
    bottom = ordered[0][4]
    for item in ordered[1:]:
        if item[2] >= bottom:
            bands.append([item])
        else:
            bands[-1].append(item)
        bottom = max(bottom, item[4])
    return bands


def segments(bands: list[list[tuple]], line_height: float) -> list[list[tuple]]:
    """Regroup consecutive bands that keep a common gutter (an empty vertical strip inside the region).

    Rows of a two-column page share the gutter between the columns, so they regroup into one segment that can be
    split into columns; a band that crosses the gutter (a title) starts a new segment.
    """
    x0 = min(item[1] for band in bands for item in band)
    x1 = max(item[3] for band in bands for item in band)
    min_gap = COLUMN_GAP_HEIGHTS * line_height
    parts: list[list[tuple]] = []
    gutters: list[tuple[float, float]] = []
    for band in bands:
        free = _free_intervals(band, x0, x1)
        shared = _internal(_intersect(gutters, free), x0, x1, min_gap) if parts else []
        if shared:
            parts[-1].extend(band)
            gutters = shared
        else:
            parts.append(list(band))
            gutters = _internal(free, x0, x1, min_gap)
    return parts


def _free_intervals(band: list[tuple], x0: float, x1: float) -> list[tuple[float, float]]:
    """The horizontal stretches of [x0, x1] that no item of ``band`` covers."""
    free, cursor = [], x0
    for item in sorted(band, key=lambda item: item[1]):
        if item[1] > cursor:
            free.append((cursor, item[1]))
        cursor = max(cursor, item[3])
    if cursor < x1:
        free.append((cursor, x1))
    return free


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            low, high = max(a0, b0), min(a1, b1)
            if high > low:
                out.append((low, high))
    return out


def _internal(intervals: list[tuple[float, float]], x0: float, x1: float, min_gap: float) -> list[tuple[float, float]]:
    """Keep the intervals that lie strictly inside (x0, x1) and are at least ``min_gap`` wide: gutters."""
    return [(low, high) for low, high in intervals if low > x0 and high < x1 and high - low >= min_gap]


def group_lines(items: list[tuple]) -> list[list[int]]:
    """Group items that overlap vertically into lines (top to bottom), each line left to right."""
    lines: list[list[tuple]] = []
    for item in sorted(items, key=lambda item: (item[2] + item[4]) / 2):
        if lines and _same_line(lines[-1], item):
            lines[-1].append(item)
        else:
            lines.append([item])
    return [[item[0] for item in sorted(line, key=lambda item: item[1])] for line in lines]


def _same_line(line: list[tuple], item: tuple) -> bool:
    top = statistics.median(member[2] for member in line)
    bottom = statistics.median(member[4] for member in line)
    overlap = min(bottom, item[4]) - max(top, item[2])
    smaller = min(bottom - top, item[4] - item[2])
    return smaller > 0 and overlap >= SAME_LINE_OVERLAP * smaller
