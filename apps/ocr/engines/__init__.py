"""OCR engines behind one small interface, built once per process and shared by its threads.

Only worker processes call ``get_engine``; this module imports nothing heavy, and each implementation module
(``onnx``: PP-OCRv6 small on onnxruntime via rapidocr; ``paddle``: PP-OCRv4 on PaddlePaddle via paddleocr) is
imported lazily on the first ``get_engine`` for its name.
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from django.conf import settings

if TYPE_CHECKING:
    from PIL import Image

logger = logging.getLogger(__name__)

ENGINE_NAMES = ("onnx", "paddle")
_MODULES = {"onnx": "apps.ocr.engines.onnx", "paddle": "apps.ocr.engines.paddle"}
_engines: dict[str, OcrEngine] = {}
_engines_lock = threading.Lock()


class EngineUnavailable(RuntimeError):
    """Raised when an OCR engine cannot be built: its packages or model files are missing, or the name is unknown."""


@dataclass
class OcrWord:
    """One word of a line (its text has no spaces), its box (as ``OcrLine.box``) and confidence in [0, 1]."""

    text: str
    box: list[list[int]]
    confidence: float


@dataclass
class OcrLine:
    """One recognised line: its text, the recogniser's confidence in [0, 1], its box, and its words.

    ``box`` is four [x, y] integer points, clockwise from the top-left, in the original image's pixel coordinates.
    ``words`` joined with single spaces give ``text``; each word's box lies inside the line's box.
    """

    text: str
    confidence: float
    box: list[list[int]]
    words: list[OcrWord] = field(default_factory=list)


@dataclass
class OcrResult:
    """All lines of one image in reading order; ``text`` is the lines joined with "\\n"."""

    text: str
    lines: list[OcrLine] = field(default_factory=list)
    engine: str = ""
    seconds: dict[str, float] = field(default_factory=dict)  # detect, classify, recognize, layout

    @classmethod
    def from_lines(cls, lines: list[OcrLine], engine: str, seconds: dict[str, float] | None = None) -> OcrResult:
        return cls(text="\n".join(line.text for line in lines), lines=lines, engine=engine, seconds=seconds or {})


@runtime_checkable
class OcrEngine(Protocol):
    """What every engine offers; ``recognize`` may be called from several threads of one process at once."""

    name: str

    def recognize(self, image: Image.Image) -> OcrResult:
        """Return the text lines of an RGB image in reading order, boxes in the image's own coordinates."""
        ...

    def warm_up(self) -> None:
        """Run once what a first page costs (called at a worker process's boot)."""
        ...


def get_engine(name: str | None = None) -> OcrEngine:
    """Return this process's engine called ``name`` (default settings.OCR_ENGINE), building it on first use.

    Thread-safe: concurrent first calls build one engine. Raises EngineUnavailable when the name is unknown or the
    engine's packages or model files are missing.
    """
    name = name or settings.OCR_ENGINE
    engine = _engines.get(name)
    if engine is not None:
        return engine
    if name not in _MODULES:
        raise EngineUnavailable(f"unknown OCR engine {name!r}; expected one of {', '.join(ENGINE_NAMES)}")
    with _engines_lock:
        engine = _engines.get(name)
        if engine is None:
            engine = _build(name)
            _engines[name] = engine
    return engine


def _build(name: str) -> OcrEngine:
    return build_engine(name)


def build_engine(name: str) -> OcrEngine:
    """Build a new engine called ``name`` with OCR_THREADS intra-op threads (``get_engine`` keeps one per process)."""
    try:
        module = importlib.import_module(_MODULES[name])
    except ImportError as exc:
        raise EngineUnavailable(f"OCR engine {name!r} is not installed: {exc}") from exc
    threads = int(settings.OCR_THREADS)
    logger.info("building OCR engine %s with %d intra-op thread(s)", name, threads)
    if name == "onnx":
        return module.build(threads=threads, memory_arena=settings.OCR_MEMORY_ARENA)
    return module.build(threads=threads)


def loaded_engines() -> list[str]:
    """Return the names of the engines this process has built (for health checks and tests)."""
    return sorted(_engines)
