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
- ``read_page`` returns a page's text-layer characters and image rectangles in pixels at the page's render size;
  ``apps.ocr.textlayer.plan`` decides from them whether the page's text comes from its layer, from OCR, or both.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from django.conf import settings
from PIL import Image

from apps.ocr import textlayer
from apps.ocr.errors import BadPdf, CorruptFile
from apps.ocr.textlayer import Char, Rect

_PDFIUM_LOCK = threading.RLock()
_POINTS_PER_INCH = 72.0
MAX_SIDE_INCHES = 200.0
MIN_SIDE_INCHES = 1.0


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


@dataclass
class PageLayer:
    """One page as ``read_page`` found it: its render ``dpi`` and ``size`` in pixels, its text layer's characters
    and its image objects' rectangles (both in those pixels, top-left origin), and the seconds reading took."""

    dpi: float
    size: tuple[int, int]
    chars: list[Char]
    images: list[Rect]
    seconds: float = 0.0

    def plan(self) -> textlayer.Plan:
        return textlayer.plan(self.chars, self.images, self.size)


def read_page(data: bytes, index: int, dpi: float | None = None) -> PageLayer:
    """Return page ``index``'s text-layer characters and image rectangles in pixels of the page rendered at ``dpi``
    (default settings.OCR_PDF_DPI, lowered as ``render_page`` lowers it), so they line up with ``render_page``.

    Raises CorruptFile, BadPdf (as ``inspect_pdf``), IndexError (no such page).
    """
    started = time.perf_counter()
    dpi = dpi or settings.OCR_PDF_DPI
    with _document(data) as doc:
        if not 0 <= index < len(doc):
            raise IndexError(f"page {index} out of range (0..{len(doc) - 1})")
        page = _page(doc, index)
        try:
            width, height = page.get_size()
            _check_page_size(index + 1, width, height)
            dpi = page_dpi(width, height, dpi)
            scale = dpi / _POINTS_PER_INCH
            # pypdfium2's render() sizes its bitmap so; device coordinates below use the same size.
            size = (math.ceil(width * scale), math.ceil(height * scale))
            to_pixels = _PageToPixels(page, size)
            chars = _chars(page, to_pixels)
            images = [
                to_pixels.rect(*obj.get_bounds()) for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])
            ]
        finally:
            page.close()
    return PageLayer(dpi=dpi, size=size, chars=chars, images=images, seconds=time.perf_counter() - started)


class _PageToPixels:
    """Page coordinates (points, bottom-left origin, before /Rotate) to pixels of the rendered page."""

    def __init__(self, page: pdfium.PdfPage, size: tuple[int, int]):
        self.page, self.size = page, size
        self._x, self._y = ctypes.c_int(), ctypes.c_int()

    def point(self, x: float, y: float) -> tuple[int, int]:
        pdfium.raw.FPDF_PageToDevice(
            self.page.raw, 0, 0, self.size[0], self.size[1], 0, x, y, ctypes.byref(self._x), ctypes.byref(self._y)
        )
        return self._x.value, self._y.value

    def rect(self, left: float, bottom: float, right: float, top: float) -> Rect:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return float(min(ax, bx)), float(min(ay, by)), float(max(ax, bx)), float(max(ay, by))


def _chars(page: pdfium.PdfPage, to_pixels: _PageToPixels) -> list[Char]:
    textpage = page.get_textpage()
    try:
        chars = []
        for index in range(textpage.count_chars()):
            code = pdfium.raw.FPDFText_GetUnicode(textpage.raw, index)
            text = chr(code) if 0 < code < 0x110000 else "\ufffd"
            box = to_pixels.rect(*textpage.get_charbox(index, loose=True))
            chars.append(Char(text, box, bool(pdfium.raw.FPDFText_HasUnicodeMapError(textpage.raw, index))))
        return chars
    finally:
        textpage.close()


def text_layer(data: bytes, index: int) -> str | None:
    """Return page ``index``'s embedded text (lines joined with "\\n") when the page comes from its text layer
    alone (``textlayer.plan``), else None (no layer, a broken one, or image regions to OCR).

    Raises CorruptFile, BadPdf (as ``inspect_pdf``), IndexError (no such page).
    """
    result = read_page(data, index).plan()
    if result.source != textlayer.TEXT_LAYER:
        return None
    return "\n".join(line["text"] for line in result.lines)


def clean_text(raw: str) -> str:
    """Normalise PDFium text: CRLF to LF, drop its hyphenation marks (\\x02) and other control characters."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
