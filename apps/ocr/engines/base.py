"""The part of recognition every engine shares: upscale small images, run the engine, map back, assemble lines."""

from __future__ import annotations

import logging
import threading
import time

from PIL import Image, ImageDraw, ImageFont

from apps.ocr.engines import OcrResult
from apps.ocr.engines.postprocess import Fragment, assemble, clip_box, padded_size, scale_box, work_scale

logger = logging.getLogger(__name__)


class BaseEngine:
    """Subclasses set ``name`` and implement ``_fragments`` (text boxes in the given image's coordinates)."""

    name = "base"
    upscale = True
    # Per thread: one engine serves several threads of a process, each recognising its own image.
    _timings = threading.local()

    def recognize(self, image: Image.Image) -> OcrResult:
        """Return the image's text lines in reading order, boxes in ``image``'s own pixel coordinates.

        The image is converted to RGB if needed; small images are enlarged first and extremely elongated ones shrunk
        (see ``work_scale``).
        """
        started = time.perf_counter()
        if image.mode != "RGB":
            image = image.convert("RGB")
        width, height = image.size
        factor = work_scale(width, height, upscale=self.upscale)
        if factor != 1:
            size = (max(1, round(width * factor)), max(1, round(height * factor)))
            work = image.resize(size, Image.Resampling.LANCZOS)
        else:
            work = image
        work = _pad(work)
        fragments = self._fragments(work)
        if factor != 1:
            fragments = [_unscale(fragment, factor) for fragment in fragments]
        for fragment in fragments:
            fragment.box = clip_box(fragment.box, width, height)
            if fragment.chars is not None:
                fragment.chars = [(clip_box(box, width, height), score) for box, score in fragment.chars]
        ordering = time.perf_counter()
        lines = assemble(fragments)
        seconds = {**self.last_seconds(), "layout": round(time.perf_counter() - ordering, 4)}
        logger.debug(
            "%s: %d lines from %dx%d (x%.2f) in %.2fs",
            self.name,
            len(lines),
            width,
            height,
            factor,
            time.perf_counter() - started,
        )
        return OcrResult.from_lines(lines, engine=self.name, seconds=seconds)

    def _fragments(self, image: Image.Image) -> list[Fragment]:
        raise NotImplementedError

    def last_seconds(self) -> dict[str, float]:
        """This thread's seconds per stage ("detect", "classify", "recognize") of its last ``_fragments`` call."""
        return getattr(self._timings, "seconds", {})

    def _record_seconds(self, **seconds: float) -> None:
        self._timings.seconds = {name: round(value, 4) for name, value in seconds.items()}

    def warm_up(self) -> None:
        """Recognise a page-sized image, so a worker's first real page does not pay for what a first run costs
        (memory pools grown to a page's size, lazily initialised code); worker processes call it once at boot."""
        self.recognize(warmup_page())


def warmup_image() -> Image.Image:
    """A small image with a line of printed text, so a warm-up run loads every model (detector and recogniser)."""
    image = Image.new("RGB", (480, 96), "white")
    try:
        font = ImageFont.load_default(size=40)
    except (TypeError, OSError):  # Pillow without FreeType: the tiny bitmap font still gets detected
        font = ImageFont.load_default()
    ImageDraw.Draw(image).text((16, 24), "Warm up 123", fill="black", font=font)
    return image


# Worksheet-like lines of different lengths, so the recogniser sees batches of several widths.
_PAGE_LINES = (
    "Unit 4: Everyday life",
    "Read the text and answer the questions below.",
    "Maria gets up at seven o'clock every morning.",
    "She has breakfast with her brother and then walks to school.",
    "1. What time does Maria get up?",
    "2. Who does she have breakfast with?",
    "Vocabulary: morning, breakfast, brother, school, usually",
    "Write five sentences about your own day.",
)


def warmup_page(width: int = 1000, height: int = 1400) -> Image.Image:
    """A page-sized image of printed worksheet text (about the size of a phone photo of a page after resizing)."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=28)
    except (TypeError, OSError):  # Pillow without FreeType
        font = ImageFont.load_default()
    for index in range(16):
        draw.text((60, 50 + index * 82), _PAGE_LINES[index % len(_PAGE_LINES)], fill="black", font=font)
    return image


def _pad(image: Image.Image) -> Image.Image:
    """Pad an elongated image on the right/bottom with its own bottom-right colour (paper, usually)."""
    size = padded_size(*image.size)
    if size == image.size:
        return image
    canvas = Image.new("RGB", size, image.getpixel((image.width - 1, image.height - 1)))
    canvas.paste(image, (0, 0))
    return canvas


def _unscale(fragment: Fragment, factor: float) -> Fragment:
    char_x = None if fragment.char_x is None else [None if x is None else x / factor for x in fragment.char_x]
    chars = None if fragment.chars is None else [(scale_box(box, factor), score) for box, score in fragment.chars]
    return Fragment(fragment.text, fragment.confidence, scale_box(fragment.box, factor), char_x, chars)
