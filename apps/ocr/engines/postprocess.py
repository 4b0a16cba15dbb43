"""Engine-independent post-processing: upscaling small images, word spacing, reading order, line assembly.

Engines hand over ``Fragment`` objects (a detected text box, its text, and where each character sits along the box);
``assemble`` turns them into ``OcrLine`` objects in reading order. Everything here is plain Python on numbers, so
it is unit-tested on synthetic boxes.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from apps.ocr.engines import OcrLine

Box = list[list[float]]

# Upscaling: images shorter than this are enlarged before detection/recognition.
UPSCALE_BELOW_HEIGHT = 600
UPSCALE_FACTOR = 2
UPSCALE_MAX_SIDE = 4000
# Images more elongated than this are padded before detection (see padded_size).
MAX_ASPECT_RATIO = 4.0

# Word spacing: a space is inserted where the distance between two character centres exceeds this many times the
# line's typical character pitch (measured on PP-OCRv6 output, whose spaces are mostly right; see the tests).
SPACE_PITCH_RATIO = 1.8
MIN_PAIRS_FOR_PITCH = 4

# Reading order: a vertical gap splits a region into columns only when it is at least this many line heights wide
# and each side is a real column (enough lines, enough of the region's width); receipts' price columns are not.
COLUMN_GAP_HEIGHTS = 0.5
# Detectors pad each box (DB "unclip") by roughly a fifth of its height on each side, which closes narrow gutters
# between justified columns; for layout, boxes are narrowed by this share of their height on each side.
BOX_SIDE_PADDING = 0.3
COLUMN_MIN_LINES = 2
COLUMN_MIN_WIDTH_SHARE = 0.25
# ... and its lines fill it: text columns are justified or nearly so, while a receipt's or form's labels are short.
COLUMN_MIN_FILL = 0.6
# Two boxes are on the same line when their vertical overlap is at least this share of the smaller height.
SAME_LINE_OVERLAP = 0.5


@dataclass
class Fragment:
    """One detected text box from an engine, in the original image's coordinates.

    ``char_x`` holds, for each character of ``text``, its centre's x (None for characters without a position, such as
    spaces); it is None altogether when the engine gave no positions.
    """

    text: str
    confidence: float
    box: Box
    char_x: list[float | None] | None = None


def upscale_factor(width: int, height: int) -> int:
    """Return 2 for images shorter than UPSCALE_BELOW_HEIGHT px (small text reads better enlarged), else 1.

    The factor stays 1 when enlarging would push the long side past UPSCALE_MAX_SIDE.
    """
    if height < UPSCALE_BELOW_HEIGHT and max(width, height) * UPSCALE_FACTOR <= UPSCALE_MAX_SIDE:
        return UPSCALE_FACTOR
    return 1


def padded_size(width: int, height: int, max_ratio: float = MAX_ASPECT_RATIO) -> tuple[int, int]:
    """Return the canvas size that brings a very wide or tall image to at most ``max_ratio`` (pad right/bottom).

    Detectors resize by the short side and cap the long side, which squashes a single text line out of shape;
    padding keeps its proportions (and its coordinates, since padding goes to the right and bottom).
    """
    if width > height * max_ratio:
        return width, math.ceil(width / max_ratio)
    if height > width * max_ratio:
        return math.ceil(height / max_ratio), height
    return width, height


def scale_box(box: Box, factor: float) -> Box:
    """Return ``box`` with every coordinate divided by ``factor`` (undoing an upscale)."""
    return [[x / factor, y / factor] for x, y in box]


def bounds(box: Box) -> tuple[float, float, float, float]:
    """Return the axis-aligned (x0, y0, x1, y1) of a 4-point box."""
    xs = [p[0] for p in box]
    ys = [p[1] for p in box]
    return min(xs), min(ys), max(xs), max(ys)


def respace(text: str, char_x: list[float | None] | None) -> str:
    """Return ``text`` with spaces inserted where the gap between two characters is much wider than usual.

    ``char_x`` gives each character's centre x. Existing spaces are kept; nothing changes when positions are
    missing or too few to estimate the character pitch (fewer than MIN_PAIRS_FOR_PITCH adjacent pairs).
    """
    if not char_x or len(char_x) != len(text):
        return text
    pairs = _adjacent_pairs(text, char_x)
    if len(pairs) < MIN_PAIRS_FOR_PITCH:
        return text
    pitch = statistics.median(distance for _, distance in pairs)
    if pitch <= 0:
        return text
    split_after = {index for index, distance in pairs if distance > SPACE_PITCH_RATIO * pitch}
    out = []
    for index, char in enumerate(text):
        out.append(char)
        if index in split_after:
            out.append(" ")
    return "".join(out)


def respace_by_ink(text: str, char_x: list[float | None] | None, blank: list[bool], min_gap: float) -> str:
    """Return ``text`` with a space inserted between two characters separated by a wide ink-free gap.

    ``char_x`` gives each character's centre in the crop's pixel columns and ``blank[x]`` whether pixel column x of
    the crop has no ink. Where the longest blank run between two touching characters' centres is at least
    ``min_gap`` pixels, they are split. Unchanged when positions are missing.
    """
    if not char_x or len(char_x) != len(text) or not blank:
        return text
    out = []
    for index, char in enumerate(text):
        out.append(char)
        pair = _adjacent_pairs(text[index : index + 2], char_x[index : index + 2])
        if (
            pair
            and _spaceable(text[index], text[index + 1])
            and _longest_run(blank, *char_x[index : index + 2]) >= min_gap
        ):
            out.append(" ")
    return "".join(out)


def _spaceable(left: str, right: str) -> bool:
    """Whether a space may go between two characters: not before closing punctuation, after "(", or in CJK text."""
    if left in "([{" or right in ".,:;!?)]}%":
        return False
    return ord(left) < 0x2E80 and ord(right) < 0x2E80  # CJK scripts are written without spaces


def _longest_run(blank: list[bool], start: float, end: float) -> int:
    longest = current = 0
    for value in blank[max(int(start), 0) : max(int(end) + 1, 0)]:
        current = current + 1 if value else 0
        longest = max(longest, current)
    return longest


def _adjacent_pairs(text: str, char_x: list[float | None]) -> list[tuple[int, float]]:
    """(index of left char, centre distance) for every two positioned non-space characters that touch in ``text``."""
    pairs = []
    for index in range(len(text) - 1):
        left, right = char_x[index], char_x[index + 1]
        if text[index].isspace() or text[index + 1].isspace() or left is None or right is None:
            continue
        pairs.append((index, right - left))
    return pairs


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
    return _order(items, line_height)


def _unpadded(index: int, x0: float, y0: float, x1: float, y1: float) -> tuple:
    """(index, x0, y0, x1, y1) with the detector's side padding taken off (never below half the box's width)."""
    trim = min(BOX_SIDE_PADDING * (y1 - y0), (x1 - x0) / 4)
    return index, x0 + trim, y0, x1 - trim, y1


def _order(items: list[tuple], line_height: float) -> list[list[int]]:
    if len(items) <= 1:
        return [[item[0]] for item in items]
    columns = split_columns(items, line_height)
    if columns:
        return [line for column in columns for line in _order(column, line_height)]
    parts = segments(split_bands(items), line_height)
    if len(parts) == 1:
        return group_lines(items)
    return [line for part in parts for line in _order(part, line_height)]


def split_columns(items: list[tuple], line_height: float) -> list[list[tuple]] | None:
    """Split (index, x0, y0, x1, y1) items at the widest gutter that separates two real columns, else None."""
    ordered = sorted(items, key=lambda item: item[1])
    left_edge, right_edge = ordered[0][1], max(item[3] for item in items)
    width = max(right_edge - left_edge, 1.0)
    best, best_gap = None, COLUMN_GAP_HEIGHTS * line_height
    reach = ordered[0][3]
    for position in range(1, len(ordered)):
        gap = ordered[position][1] - reach
        if gap >= best_gap and all(
            _is_columns(side, width, line_height) for side in (ordered[:position], ordered[position:])
        ):
            best, best_gap = position, gap
        reach = max(reach, ordered[position][3])
    if best is None:
        return None
    return [ordered[:best], ordered[best:]]


def _is_columns(items: list[tuple], region_width: float, line_height: float) -> bool:
    """One real column, or several side by side (the right two of three columns)."""
    return _is_column(items, region_width) or (
        len(items) >= 2 * COLUMN_MIN_LINES and split_columns(items, line_height) is not None
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


def assemble(fragments: list[Fragment]) -> list[OcrLine]:
    """Return OcrLines in reading order: fragments respaced, ordered, and those on one line joined with a space.

    A joined line's box is the axis-aligned rectangle around its fragments; its confidence is their
    character-weighted mean. Boxes are rounded to ints; empty texts are dropped.
    """
    fragments = [f for f in fragments if f.text.strip()]
    texts = [" ".join(respace(f.text, f.char_x).split()) for f in fragments]
    lines = []
    for members in reading_order([f.box for f in fragments]):
        text = " ".join(texts[i] for i in members)
        weights = [max(len(texts[i]), 1) for i in members]
        confidence = sum(fragments[i].confidence * w for i, w in zip(members, weights, strict=True)) / sum(weights)
        lines.append(OcrLine(text=text, confidence=_unit(confidence), box=_line_box([fragments[i] for i in members])))
    return lines


def _line_box(members: list[Fragment]) -> list[list[int]]:
    if len(members) == 1:
        return [[round(x), round(y)] for x, y in members[0].box]
    edges = [bounds(f.box) for f in members]
    x0, y0 = min(e[0] for e in edges), min(e[1] for e in edges)
    x1, y1 = max(e[2] for e in edges), max(e[3] for e in edges)
    return [[round(x0), round(y0)], [round(x1), round(y0)], [round(x1), round(y1)], [round(x0), round(y1)]]


def _unit(value: float) -> float:
    return 0.0 if math.isnan(value) else min(max(float(value), 0.0), 1.0)


def clip_box(box: Box, width: int, height: int) -> Box:
    """Return ``box`` with every point clamped inside a ``width`` x ``height`` image."""
    return [[min(max(x, 0.0), width - 1.0), min(max(y, 0.0), height - 1.0)] for x, y in box]
