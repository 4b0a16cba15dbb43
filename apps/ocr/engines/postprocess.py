"""Engine-independent post-processing: upscaling small images, word spacing, line assembly (order: ``layout``).

Engines hand over ``Fragment`` objects (a detected text box, its text, and where each character sits along the box);
``assemble`` turns them into ``OcrLine`` objects in reading order. Everything here is plain Python on numbers, so
it is unit-tested on synthetic boxes.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from apps.ocr.engines import OcrLine, OcrWord
from apps.ocr.engines.layout import bounds, reading_order

Box = list[list[float]]

# Upscaling: images shorter than this are enlarged before detection/recognition.
UPSCALE_BELOW_HEIGHT = 600
UPSCALE_FACTOR = 2
UPSCALE_MAX_SIDE = 4000
# Images more elongated than this are padded before detection (see padded_size).
MAX_ASPECT_RATIO = 4.0
# The padded canvas never exceeds this many pixels (72 MB of RGB): a 65535x1 upload would otherwise be padded to a
# 65535x16384 canvas (3 GB). Images that would need more are shrunk first (see work_scale).
MAX_WORK_PIXELS = 24_000_000

# Word spacing: a space is inserted where the distance between two character centres exceeds this many times the
# line's typical character pitch (measured on PP-OCRv6 output, whose spaces are mostly right; see the tests).
SPACE_PITCH_RATIO = 1.8
MIN_PAIRS_FOR_PITCH = 4


@dataclass
class Fragment:
    """One detected text box from an engine, in the original image's coordinates.

    ``char_x`` holds, for each character of ``text``, its centre's x (None for characters without a position, such as
    spaces); it is None altogether when the engine gave no positions. ``chars`` holds, for each non-space character
    of ``text`` in order, its box and the recogniser's confidence (None when the engine gave none): word boxes are
    made from them, else estimated along ``box`` by character count.
    """

    text: str
    confidence: float
    box: Box
    char_x: list[float | None] | None = None
    chars: list[tuple[Box, float]] | None = None


def upscale_factor(width: int, height: int) -> int:
    """Return 2 for images shorter than UPSCALE_BELOW_HEIGHT px (small text reads better enlarged), else 1.

    The factor stays 1 when enlarging would push the long side past UPSCALE_MAX_SIDE.
    """
    if height < UPSCALE_BELOW_HEIGHT and max(width, height) * UPSCALE_FACTOR <= UPSCALE_MAX_SIDE:
        return UPSCALE_FACTOR
    return 1


def work_scale(width: int, height: int, *, upscale: bool = True) -> float:
    """Return the factor the image is resized by before detection: ``upscale_factor`` (or 1), lowered where the
    padded canvas (``padded_size``) would exceed MAX_WORK_PIXELS, so memory stays bounded whatever the shape."""
    factor: float = upscale_factor(width, height) if upscale else 1
    canvas_width, canvas_height = padded_size(math.ceil(width * factor), math.ceil(height * factor))
    if canvas_width * canvas_height > MAX_WORK_PIXELS:
        factor *= math.sqrt(MAX_WORK_PIXELS / (canvas_width * canvas_height))
    return factor


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
        box = _line_box([fragments[i] for i in members])
        words = [word for i in members for word in fragment_words(fragments[i], texts[i])]
        lines.append(OcrLine(text=text, confidence=_unit(confidence), box=box, words=_inside(words, box)))
    return lines


def fragment_words(fragment: Fragment, text: str) -> list[OcrWord]:
    """The words of ``text`` (``fragment.text`` respaced and normalised: the same non-space characters in order) with
    boxes: the union of their characters' boxes when the engine gave one per character, else a share of the
    fragment's box by character position. A word's confidence is its characters' mean (else the fragment's)."""
    chars = fragment.chars if fragment.chars and len(fragment.chars) == sum(not c.isspace() for c in text) else None
    words, consumed, position = [], 0, 0
    for word in text.split(" "):
        if chars is not None:
            own = chars[consumed : consumed + len(word)]
            rect = _union([bounds(box) for box, _ in own])
            confidence = sum(score for _, score in own) / len(own)
        else:
            rect = along_box(fragment.box, position / max(len(text), 1), (position + len(word)) / max(len(text), 1))
            confidence = fragment.confidence
        words.append(OcrWord(text=word, box=_rect_box(rect), confidence=_unit(confidence)))
        consumed += len(word)
        position += len(word) + 1
    return words


def along_box(box: Box, start: float, end: float) -> tuple[float, float, float, float]:
    """The bounds of the part of a 4-point box between fractions ``start`` and ``end`` of its length."""
    (tl, tr, br, bl) = box[:4]

    def lerp(a: list[float], b: list[float], t: float) -> list[float]:
        return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]

    return bounds([lerp(tl, tr, start), lerp(tl, tr, end), lerp(bl, br, end), lerp(bl, br, start)])


def _union(rects: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects)


def _rect_box(rect: tuple[float, float, float, float]) -> list[list[int]]:
    x0, y0, x1, y1 = (round(v) for v in rect)
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def _inside(words: list[OcrWord], line_box: list[list[int]]) -> list[OcrWord]:
    """Clamp each word's box into its line's bounds (characters' boxes can stray a pixel or two past the line's)."""
    x0, y0, x1, y1 = bounds(line_box)
    for word in words:
        wx0, wy0, wx1, wy1 = bounds(word.box)
        wx0, wx1 = min(max(wx0, x0), x1), min(max(wx1, x0), x1)
        wy0, wy1 = min(max(wy0, y0), y1), min(max(wy1, y0), y1)
        word.box = _rect_box((wx0, wy0, wx1, wy1))
    return words


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
