"""Cheap, defensive handling of uploaded bytes: what kind of file it is, and a safe decode to an RGB image.

Everything here is cheap enough for the web process (PIL only): ``check_upload`` looks at sizes, magic bytes and the
image header without decoding pixels, so bad uploads are rejected before a job is queued. ``open_image`` does the full
decode in the worker. Names and Content-Type headers are never trusted: only the bytes decide.
"""

from __future__ import annotations

import io
import logging
import struct
import zlib

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from apps.ocr.errors import CorruptFile, FileTooLarge, UnsupportedMediaType

logger = logging.getLogger(__name__)

#: The kinds ``sniff`` can return, with the PIL format that may decode each image kind.
PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP", "tiff": "TIFF", "bmp": "BMP"}
MIME_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "tiff": "image/tiff",
    "bmp": "image/bmp",
    "pdf": "application/pdf",
}
# BMP's "BM" is only two bytes, so also require a known DIB header size at offset 14.
_BMP_DIB_SIZES = {12, 40, 52, 56, 64, 108, 124}
# PDF readers (pdfium included) accept a header anywhere in the first 1024 bytes.
_PDF_HEADER_WINDOW = 1024
# Errors PIL's decoders raise on truncated or malformed data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)


def sniff(data: bytes) -> str | None:
    """Return the file kind from its magic bytes ("png", "jpeg", "webp", "tiff", "bmp", "pdf"), or None."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:2] == b"BM" and len(data) >= 18 and struct.unpack("<I", data[14:18])[0] in _BMP_DIB_SIZES:
        return "bmp"
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return "pdf"
    return None


def check_upload(data: bytes, declared_name: str | None = None) -> str:
    """Validate an upload cheaply and return its kind: "image" or "pdf".

    For images the header is parsed (no pixels decoded) so oversized images are refused here; PDFs should then go
    through ``apps.ocr.pdf.inspect_pdf``. ``declared_name`` is only used in messages.

    Raises CorruptFile (empty, or an image header that cannot be parsed), FileTooLarge (over
    settings.OCR_MAX_UPLOAD_BYTES bytes, or over settings.OCR_MAX_PIXELS pixels), UnsupportedMediaType (neither a
    supported image nor a PDF, whatever the name says).
    """
    label = f"'{declared_name}'" if declared_name else "The file"
    if not data:
        raise CorruptFile(f"{label} is empty.")
    limit = settings.OCR_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise FileTooLarge(f"{label} is {len(data):,} bytes; the limit is {limit:,} bytes.")
    kind = sniff(data)
    if kind is None:
        raise UnsupportedMediaType(f"{label} is not a supported image (PNG, JPEG, WebP, TIFF, BMP) or a PDF.")
    if kind == "pdf":
        return "pdf"
    _open_header(data, kind).close()
    return "image"


def open_image(data: bytes) -> Image.Image:
    """Decode an image upload fully and return it as an upright RGB PIL image (first frame of multi-frame files).

    Raises UnsupportedMediaType (not a supported image format; a PDF is not an image either), FileTooLarge (more
    than settings.OCR_MAX_PIXELS pixels, checked from the header before decoding), CorruptFile (truncated or
    undecodable data).
    """
    kind = sniff(data)
    if kind is None or kind == "pdf":
        what = "a PDF" if kind == "pdf" else "not a supported image format"
        raise UnsupportedMediaType(f"The file is {what}; expected PNG, JPEG, WebP, TIFF or BMP.")
    img = _open_header(data, kind)
    try:
        img.seek(0)
        img.load()  # decode now so truncation surfaces here, not later in the engine
    except Image.DecompressionBombError as exc:
        raise FileTooLarge(f"The image decodes to too many pixels: {exc}") from exc
    except _DECODE_ERRORS as exc:
        raise CorruptFile(f"The {kind.upper()} image is truncated or corrupt ({exc}).") from exc
    return to_rgb(_upright(img))


def _open_header(data: bytes, kind: str) -> Image.Image:
    """Parse only the header of an image of ``kind``, refusing more pixels than settings.OCR_MAX_PIXELS."""
    try:
        img = Image.open(io.BytesIO(data), formats=[PIL_FORMATS[kind]])
    except Image.DecompressionBombError as exc:
        raise FileTooLarge(f"The image has too many pixels: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise CorruptFile(f"The {kind.upper()} header cannot be read.") from exc
    except _DECODE_ERRORS as exc:
        raise CorruptFile(f"The {kind.upper()} header is corrupt ({exc}).") from exc
    width, height = img.size
    limit = settings.OCR_MAX_PIXELS
    if width * height > limit:
        img.close()
        raise FileTooLarge(f"The image is {width}x{height} = {width * height:,} pixels; the limit is {limit:,} pixels.")
    if width < 1 or height < 1:
        img.close()
        raise CorruptFile("The image has no pixels.")
    return img


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation tag; a broken EXIF block is ignored (the pixels are still fine)."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:  # EXIF parsing has many failure modes; orientation is best effort
        logger.warning("ignoring unreadable EXIF orientation", exc_info=True)
        return img


def to_rgb(img: Image.Image) -> Image.Image:
    """Return ``img`` as 8-bit RGB: alpha is composited on white, 16-bit/float data is stretched to 0..255."""
    if img.mode == "RGB":
        return img
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif img.mode in ("PA", "LA", "La", "RGBa"):
        img = img.convert("RGBA")
    if img.mode == "RGBA":
        # Transparent pixels often hold black; dropping alpha would turn dark text on them invisible.
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        return background
    if img.mode.startswith("I") or img.mode == "F":
        img = _stretch_to_l(img)
    return img.convert("RGB")


def _stretch_to_l(img: Image.Image) -> Image.Image:
    """Map a 16/32-bit integer or float image onto 8-bit grey using its own range (12-bit scans stay visible)."""
    img = img.convert("F")
    low, high = img.getextrema()
    scale = 255.0 / (high - low) if high > low else 1.0
    return img.point(lambda v: (v - low) * scale).convert("L")
