"""One page's result, shared by the pipeline (workers) and ``manage.py ocr``: a PDF page from its text layer, from
OCR, or both (``textlayer.plan``), or an image from OCR; with where its seconds went.

A page result is a plain dict in the API's page shape: ``source``, ``text``, ``lines`` (each with ``words``),
``width``/``height`` (the page's pixels: boxes are in them), ``dpi`` (a PDF page's render resolution, else None)
and ``seconds`` (``read``: the text layer, ``render``, ``detect``, ``classify``, ``recognize``, ``layout``: reading
order and words, ``total``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING

from django.conf import settings

from apps.ocr import pdf, textlayer

if TYPE_CHECKING:
    from PIL import Image

    from apps.ocr.engines import OcrEngine

STAGES = ("read", "render", "detect", "classify", "recognize", "layout")
# Image regions thinner than this (pixels) are rules or borders, not text worth a recogniser call.
MIN_REGION_SIDE = 16


def recognise_pdf_page(data: bytes, index: int, engine: Callable[[], OcrEngine]) -> dict:
    """Return page ``index`` (0-based) of a PDF; ``engine`` is called only when the page needs OCR.

    Raises what ``pdf.read_page``/``pdf.render_page`` raise and EngineUnavailable.
    """
    started = time.perf_counter()
    seconds = dict.fromkeys(STAGES, 0.0)
    layer = pdf.read_page(data, index, settings.OCR_PDF_DPI)
    decision = layer.plan()
    seconds["read"] = time.perf_counter() - started
    blocks = [(_top_left(line["box"]), [line]) for line in decision.lines]
    if decision.regions:
        rendering = time.perf_counter()
        image = pdf.render_page(data, index, settings.OCR_PDF_DPI)
        seconds["render"] = time.perf_counter() - rendering
        recogniser = engine()
        for region in decision.regions:
            lines = _recognise_region(recogniser, image, region, seconds)
            if lines:
                blocks.append(((region[1], region[0]), lines))
    lines = [line for _, block in sorted(blocks, key=lambda item: item[0]) for line in block]
    return _result(decision.source, lines, layer.size, layer.dpi, seconds, started)


def recognise_image(image: Image.Image, engine: OcrEngine) -> dict:
    """Return an image's result (source ``ocr``, ``dpi`` None)."""
    started = time.perf_counter()
    seconds = dict.fromkeys(STAGES, 0.0)
    result = engine.recognize(image)
    _add(seconds, result.seconds)
    return _result(textlayer.OCR, [asdict(line) for line in result.lines], image.size, None, seconds, started)


def _recognise_region(engine: OcrEngine, image: Image.Image, region: textlayer.Rect, seconds: dict) -> list[dict]:
    """OCR one region of the rendered page; its lines' and words' boxes moved into page pixels."""
    x0, y0 = max(int(region[0]), 0), max(int(region[1]), 0)
    x1, y1 = min(math.ceil(region[2]), image.width), min(math.ceil(region[3]), image.height)
    if x1 - x0 < MIN_REGION_SIDE or y1 - y0 < MIN_REGION_SIDE:
        return []
    whole = (x0, y0, x1, y1) == (0, 0, image.width, image.height)
    result = engine.recognize(image if whole else image.crop((x0, y0, x1, y1)))
    _add(seconds, result.seconds)
    lines = [asdict(line) for line in result.lines]
    if not whole:
        for line in lines:
            line["box"] = _shift(line["box"], x0, y0)
            for word in line["words"]:
                word["box"] = _shift(word["box"], x0, y0)
    return lines


def _shift(box: list[list[int]], dx: int, dy: int) -> list[list[int]]:
    return [[x + dx, y + dy] for x, y in box]


def _top_left(box: list[list[int]]) -> tuple[float, float]:
    return min(p[1] for p in box), min(p[0] for p in box)


def _add(seconds: dict, stages: dict[str, float]) -> None:
    for name, value in stages.items():
        seconds[name] = seconds.get(name, 0.0) + value


def _result(source: str, lines: list[dict], size: tuple[int, int], dpi, seconds: dict, started: float) -> dict:
    seconds["total"] = time.perf_counter() - started
    return {
        "source": source,
        "text": "\n".join(line["text"] for line in lines),
        "lines": lines,
        "width": size[0],
        "height": size[1],
        "dpi": None if dpi is None else round(dpi, 2),
        "seconds": {name: round(value, 4) for name, value in seconds.items()},
    }
