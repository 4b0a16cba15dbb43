"""What to do with a PDF page's text layer: use it, OCR the page, or both (OCR its scanned image regions only).

Plain Python on the characters and image rectangles ``pdf.read_page`` extracts, in page pixels at the page's
render size (top-left origin), so every rule here is unit-tested on small generated PDFs.

Policy (``plan``): a text layer is used whenever its characters are real text, whatever their share of digits or
punctuation (tables of figures, numbered worksheets, timetables). It is refused only when it is really broken:
- more than MAX_JUNK_SHARE of its characters are replacement, private-use or unassigned code points, or come from a
  font without a Unicode map (PDFium flags each such character);
- it is glyph-shifted ("Wkh txlfn eurzq" or "7KH TXLFN" rather than "The quick"): among at least
  MIN_LETTERS_FOR_SHIFT Latin letters, vowels are under MIN_VOWEL_SHARE (0.32-0.41 in the shared samples' English,
  prose or receipts; 0.12-0.16 for text shifted by 3 or by the usual 29 glyph ids), or among at least
  MIN_RUNS_FOR_SHIFT letter runs longer than 3 letters, fewer than MIN_WORDLIKE_SHARE contain a vowel. Some shifts
  keep a vowel share like English's and pass: those pages keep their (wrong) text.
A refused or empty layer means OCR of the whole page. Otherwise every large image (at least MIN_IMAGE_SHARE of the
page) that the layer does not cover (fewer than MIN_COVER_CHARS of its characters inside, e.g. a scan under a typed
header) is OCR'd, and the layer's characters on such an image are dropped (OCR reads what is drawn there). The page
is then ``mixed`` when some layer text remains, ``ocr`` when none does, else ``text_layer``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, top-left origin

TEXT_LAYER, OCR, MIXED = "text_layer", "ocr", "mixed"
MAX_JUNK_SHARE = 0.02
MIN_RUNS_FOR_SHIFT = 5
MIN_LETTERS_FOR_SHIFT = 40
MIN_VOWEL_SHARE = 0.25
MIN_WORDLIKE_SHARE = 0.6
MIN_IMAGE_SHARE = 0.05
MIN_COVER_CHARS = 20
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_VOWELS = set("aeiouyAEIOUY")
_LINE_BREAKS = "\r\n"


@dataclass(frozen=True)
class Char:
    """One character of the text layer: its text, its box in page pixels, and whether its font lacks a Unicode
    map for it (PDFium's FPDFText_HasUnicodeMapError)."""

    text: str
    box: Rect
    map_error: bool = False


@dataclass
class Plan:
    """What ``plan`` decided for one page: its source, the layer's lines kept (API line dicts with words), the
    pixel regions to OCR (the whole page for an ``ocr`` page) and why, in words."""

    source: str
    lines: list[dict] = field(default_factory=list)
    regions: list[Rect] = field(default_factory=list)
    reason: str = ""


def plan(chars: list[Char], images: list[Rect], size: tuple[int, int]) -> Plan:
    """Decide a page's source from its text layer's ``chars`` and its ``images``, page ``size`` in pixels."""
    whole: Rect = (0.0, 0.0, float(size[0]), float(size[1]))
    broken = why_broken(chars)
    if broken:
        return Plan(OCR, regions=[whole], reason=broken)
    visible = [c for c in chars if not c.text.isspace()]
    if not visible:
        return Plan(OCR, regions=[whole], reason="no text layer")
    page_area = max(size[0] * size[1], 1)
    large = [r for r in images if _area(_clip(r, whole)) >= MIN_IMAGE_SHARE * page_area]
    regions = [_clip(r, whole) for r in large if sum(_inside(c.box, r) for c in visible) < MIN_COVER_CHARS]
    kept = [c for c in chars if not any(_inside(c.box, r) for r in regions)]
    lines = layer_lines(kept)
    if not regions:
        return Plan(TEXT_LAYER, lines=lines, reason="real text")
    if not lines:
        return Plan(OCR, regions=[whole], reason="text layer only on image regions")
    return Plan(MIXED, lines=lines, regions=regions, reason=f"{len(regions)} image region(s) without text layer")


def why_broken(chars: list[Char]) -> str:
    """Return why a text layer is unusable ("" when it is real text): junk characters, or glyph-shifted text."""
    visible = [c for c in chars if not c.text.isspace()]
    if not visible:
        return ""
    junk = sum(c.map_error or _is_junk(c.text) for c in visible)
    if junk > MAX_JUNK_SHARE * len(visible):
        return f"{junk} of {len(visible)} characters without a Unicode meaning"
    text = "".join(c.text for c in chars)
    letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
    vowels = sum(ch in _VOWELS for ch in letters)
    if len(letters) >= MIN_LETTERS_FOR_SHIFT and vowels < MIN_VOWEL_SHARE * len(letters):
        return f"glyph-shifted text ({vowels} vowels in {len(letters)} letters)"
    latin = [run for run in _WORD.findall(text) if len(run) > 3 and run.isascii()]
    if len(latin) >= MIN_RUNS_FOR_SHIFT:
        wordlike = sum(any(ch in _VOWELS for ch in run) for run in latin)
        if wordlike < MIN_WORDLIKE_SHARE * len(latin):
            return f"glyph-shifted text ({wordlike} of {len(latin)} words with a vowel)"
    return ""


def _is_junk(ch: str) -> bool:
    return ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cs")


def layer_lines(chars: list[Char]) -> list[dict]:
    """Group the layer's characters (PDFium's text order) into lines of words: ``[{"text", "confidence", "box",
    "words": [{"text", "box", "confidence"}]}]``. Lines end at PDFium's line breaks, words at spaces; control
    characters (PDFium's hyphenation mark \\x02 among them) are dropped. Confidence is 1.0 (the text is exact)."""
    lines: list[list[list[Char]]] = [[[]]]
    for char in chars:
        if char.text in _LINE_BREAKS:
            lines.append([[]])
        elif char.text.isspace():
            lines[-1].append([])
        elif unicodedata.category(char.text) != "Cc":
            lines[-1][-1].append(char)
    out = []
    for line in lines:
        words = [_word(w) for w in line if w]
        if words:
            out.append(
                {
                    "text": " ".join(w["text"] for w in words),
                    "confidence": 1.0,
                    "box": _quad(_union([_rect(w["box"]) for w in words])),
                    "words": words,
                }
            )
    return out


def _word(chars: list[Char]) -> dict:
    return {"text": "".join(c.text for c in chars), "box": _quad(_union([c.box for c in chars])), "confidence": 1.0}


def _union(rects: list[Rect]) -> Rect:
    return min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects)


def _quad(rect: Rect) -> list[list[int]]:
    """A rectangle as the API's box: four [x, y] integer points clockwise from the top-left, never inverted."""
    x0, y0 = int(rect[0]), int(rect[1])
    x1, y1 = max(x0, round(rect[2])), max(y0, round(rect[3]))
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def _rect(quad: list[list[int]]) -> Rect:
    return quad[0][0], quad[0][1], quad[2][0], quad[2][1]


def _area(rect: Rect) -> float:
    return max(rect[2] - rect[0], 0.0) * max(rect[3] - rect[1], 0.0)


def _clip(rect: Rect, bounds: Rect) -> Rect:
    return max(rect[0], bounds[0]), max(rect[1], bounds[1]), min(rect[2], bounds[2]), min(rect[3], bounds[3])


def _inside(box: Rect, region: Rect) -> bool:
    """Whether the centre of ``box`` lies in ``region``."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] <= cx <= region[2] and region[1] <= cy <= region[3]
