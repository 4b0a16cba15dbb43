"""PDF checks, text layers and page rendering through pypdfium2.

PDFium is not thread-safe, so every call into it (opening, reading, rendering, closing) holds ``_PDFIUM_LOCK``.
Functions take the PDF's bytes and open the document themselves: parsing is cheap next to OCR, and no document
object is shared between threads.

Policies:
- A PDF that needs a password to open is refused (BadPdf). One encrypted with only an owner password (permissions)
  opens without one, so it is accepted.
- Pages with a side over 200 inches or under 1 inch are refused (BadPdf). A page that would exceed
  settings.OCR_MAX_PIXELS at the requested DPI is not refused: it is rendered at the highest DPI that fits
  (``page_dpi``), since a large poster page is usually legible at a lower resolution.
- ``text_layer`` returns embedded text only when it looks like real text (see ``is_good_text``); otherwise the
  caller should render and OCR the page.
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from PIL import Image

from apps.ocr.errors import BadPdf, CorruptFile

_PDFIUM_LOCK = threading.RLock()
_POINTS_PER_INCH = 72.0
MAX_SIDE_INCHES = 200.0
MIN_SIDE_INCHES = 1.0

# Text-layer heuristic thresholds (see is_good_text).
MIN_TEXT_CHARS = 40
MIN_LETTER_SHARE = 0.6
MAX_JUNK_SHARE = 0.02
MIN_WORDLIKE_SHARE = 0.6
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_VOWELS = set("aeiouyAEIOUY")


@dataclass(frozen=True)
class PdfInfo:
    """What ``inspect_pdf`` found: the page count and each page's (width, height) in PDF points (1/72 inch)."""

    page_count: int
    page_sizes: list[tuple[float, float]]


@contextlib.contextmanager
def _document(data: bytes) -> Iterator[pdfium.PdfDocument]:
    """Open ``data`` under the PDFium lock and close it afterwards; maps load failures onto the API's errors."""
    with _PDFIUM_LOCK:
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
                raise BadPdf("The PDF is password-protected; upload an unprotected copy.") from exc
            raise CorruptFile("The PDF is truncated or corrupt and cannot be opened.") from exc
        try:
            yield doc
        finally:
            doc.close()


def inspect_pdf(data: bytes) -> PdfInfo:
    """Check a PDF and return its page count and page sizes.

    Raises CorruptFile (not parseable or truncated), BadPdf (password-protected, no pages, more than
    settings.OCR_MAX_PAGES pages, or a page side over 200 inches or under 1 inch).
    """
    with _document(data) as doc:
        count = len(doc)
        if count == 0:
            raise BadPdf("The PDF has no pages.")
        limit = settings.OCR_MAX_PAGES
        if count > limit:
            raise BadPdf(f"The PDF has {count} pages; at most {limit} pages are accepted.")
        # Sizes by index (FPDF_GetPageSizeByIndexF) read the page dictionaries only: loading a page would parse its
        # content stream, which a hostile PDF can inflate to gigabytes (the web process runs this check).
        sizes = [_page_size(doc, index) for index in range(count)]
    for number, (width, height) in enumerate(sizes, start=1):
        _check_page_size(number, width, height)
    return PdfInfo(page_count=count, page_sizes=sizes)


def _page_size(doc: pdfium.PdfDocument, index: int) -> tuple[float, float]:
    try:
        width, height = doc.get_page_size(index)
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"Page {index + 1} of the PDF cannot be read.") from exc
    return float(width), float(height)


def _page(doc: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    try:
        return doc[index]
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"Page {index + 1} of the PDF cannot be read.") from exc


def _check_page_size(number: int, width_pt: float, height_pt: float) -> None:
    sides = (width_pt / _POINTS_PER_INCH, height_pt / _POINTS_PER_INCH)
    if max(sides) > MAX_SIDE_INCHES or min(sides) < MIN_SIDE_INCHES:
        raise BadPdf(
            f"Page {number} is {sides[0]:.1f} x {sides[1]:.1f} inches; each side must be between "
            f"{MIN_SIDE_INCHES:g} and {MAX_SIDE_INCHES:g} inches."
        )


def page_dpi(width_pt: float, height_pt: float, dpi: float) -> float:
    """Return ``dpi``, lowered where needed so the rendered page stays within settings.OCR_MAX_PIXELS pixels."""
    area_in2 = (width_pt / _POINTS_PER_INCH) * (height_pt / _POINTS_PER_INCH)
    if area_in2 <= 0:
        return dpi
    return min(float(dpi), math.sqrt(settings.OCR_MAX_PIXELS / area_in2) * 0.999)


def render_page(data: bytes, index: int, dpi: float | None = None) -> Image.Image:
    """Render page ``index`` (0-based) to an RGB PIL image at ``dpi`` (default settings.OCR_PDF_DPI).

    The DPI is lowered for pages that would otherwise exceed settings.OCR_MAX_PIXELS (see ``page_dpi``).
    Raises CorruptFile (unreadable document or page), BadPdf (password-protected, absurd page size),
    IndexError (no such page).
    """
    dpi = dpi or settings.OCR_PDF_DPI
    with _document(data) as doc:
        if not 0 <= index < len(doc):
            raise IndexError(f"page {index} out of range (0..{len(doc) - 1})")
        page = _page(doc, index)
        try:
            width, height = page.get_size()
            _check_page_size(index + 1, width, height)
            scale = page_dpi(width, height, dpi) / _POINTS_PER_INCH
            bitmap = page.render(scale=scale, may_draw_forms=True)
            try:
                # Copy the pixels out: the bitmap's buffer belongs to PDFium and dies with it.
                return bitmap.to_pil().convert("RGB")
            finally:
                bitmap.close()
        finally:
            page.close()


def text_layer(data: bytes, index: int) -> str | None:
    """Return page ``index``'s embedded text (lines joined with "\\n") when it looks usable, else None.

    None means: no text layer, or text that fails ``is_good_text`` (scanned page, CID/garbage glyphs), so the page
    should be rendered and OCR'd. Raises CorruptFile, BadPdf (as ``inspect_pdf``), IndexError (no such page).
    """
    with _document(data) as doc:
        if not 0 <= index < len(doc):
            raise IndexError(f"page {index} out of range (0..{len(doc) - 1})")
        page = _page(doc, index)
        try:
            textpage = page.get_textpage()
            try:
                raw = textpage.get_text_bounded()
            finally:
                textpage.close()
        finally:
            page.close()
    text = clean_text(raw)
    return text if is_good_text(text) else None


def clean_text(raw: str) -> str:
    """Normalise PDFium text: CRLF to LF, drop its hyphenation marks (\\x02) and other control characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def is_good_text(text: str) -> bool:
    """Decide whether extracted text is real text rather than junk.

    Heuristic, on non-space characters: at least MIN_TEXT_CHARS of them; at least MIN_LETTER_SHARE letters
    (tables of numbers fail, and are better OCR'd anyway); at most MAX_JUNK_SHARE replacement, private-use or
    unassigned characters (what fonts without a Unicode map, "CID junk", produce); and at least MIN_WORDLIKE_SHARE of
    the letter runs longer than 3 letters contain a vowel (glyph-shifted garbage like "Wkh txlfn" rarely passes).
    """
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < MIN_TEXT_CHARS:
        return False
    letters = sum(ch.isalpha() for ch in chars)
    junk = sum(ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cs") for ch in chars)
    if letters / len(chars) < MIN_LETTER_SHARE or junk / len(chars) > MAX_JUNK_SHARE:
        return False
    runs = [run for run in _WORD.findall(text) if len(run) > 3]
    if not runs:
        return False
    latin = [run for run in runs if run.isascii()]
    if len(latin) < len(runs) / 2:
        return True  # mostly non-Latin script: the vowel test does not apply
    wordlike = sum(any(ch in _VOWELS for ch in run) for run in latin)
    return wordlike / len(latin) >= MIN_WORDLIKE_SHARE
