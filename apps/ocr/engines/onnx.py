"""PP-OCRv6 small detection + recognition on onnxruntime, through rapidocr 3.10 and the models its wheel ships.

Every model is given by path (``rapidocr/models/``), so rapidocr never reaches its download code; the recogniser's
character list is embedded in the ONNX model's metadata, so no dictionary is fetched either. onnxruntime sessions
are thread-safe and rapidocr's call path keeps no per-call state when called without overrides, so one engine
serves every thread of a process. Everything is set through rapidocr's own configuration: ``threads`` intra-op
threads, and onnxruntime's CPU memory arena (``OCR_MEMORY_ARENA``; rapidocr's default is off, and then every
operator output is a fresh ``malloc``, the large ones ``mmap``-ed and faulted in page by page).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PIL import Image

from apps.ocr.engines import EngineUnavailable
from apps.ocr.engines.base import BaseEngine, warmup_image
from apps.ocr.engines.postprocess import Fragment

try:
    import rapidocr
    from rapidocr import RapidOCR
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise EngineUnavailable(f"the onnx OCR engine needs rapidocr and onnxruntime: {exc}") from exc

logger = logging.getLogger(__name__)

MODELS_DIR = Path(rapidocr.__file__).resolve().parent / "models"
MODEL_FILES = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


# The recogniser's batches: rapidocr sorts the crops by width/height and pads each batch to its widest crop, but never
# below rec_img_shape's width (rapidocr's default 320 px, a 6.7:1 line). A table cell ("12/40", 2:1) was padded to
# 320 px and cost as much as a line: on a 480-cell page 29 ms a crop. With the floor at 96 px each batch is as wide
# as the crops it holds: 10 ms a cell crop (bench/dense_page.py cells, 1 thread; lines wider than 320 px are
# unchanged). Batches of 6 (rapidocr's default) were measured against 1-32: larger batches were no faster on one
# intra-op thread (16: within noise on cells, slower on lines; 32: slower on both).
REC_HEIGHT, REC_MIN_WIDTH, REC_BATCH = 48, 96, 6


def model_paths() -> dict[str, Path]:
    """Return the shipped model file for each stage; raises EngineUnavailable if one is missing."""
    paths = {stage: MODELS_DIR / name for stage, name in MODEL_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise EngineUnavailable(f"rapidocr model files are missing: {', '.join(missing)}")
    return paths


class OnnxEngine(BaseEngine):
    """PP-OCRv6 small (rapidocr + onnxruntime); safe to call from several threads at once."""

    name = "onnx"

    def __init__(
        self,
        threads: int = 1,
        memory_arena: bool = True,
        rec_min_width: int = REC_MIN_WIDTH,
        rec_batch: int = REC_BATCH,
    ):
        # rapidocr ignores a count above the machine's cores and would then use them all.
        self.threads = max(1, min(threads, os.cpu_count() or 1))
        params = {
            "Global.log_level": "warning",
            "Global.return_word_box": True,
            "Global.return_single_char_box": True,
            "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": memory_arena,
            "Rec.rec_batch_num": rec_batch,
            "Rec.rec_img_shape": [3, REC_HEIGHT, rec_min_width],
        }
        for stage, path in model_paths().items():
            params[f"{stage}.model_path"] = str(path)
        self._ocr = RapidOCR(params=params)
        self.recognize(warmup_image())  # rapidocr builds its stages on first use: not on the first request

    def _fragments(self, image: Image.Image) -> list[Fragment]:
        started = time.perf_counter()
        output = self._ocr(image)
        # rapidocr's seconds per stage; an image without text returns none (all of it was detection).
        elapsed = [float(value or 0.0) for value in (getattr(output, "elapse_list", None) or [])]
        elapsed = elapsed + [0.0] * 3 if elapsed else [time.perf_counter() - started, 0.0, 0.0]
        self._record_seconds(detect=elapsed[0], classify=elapsed[1], recognize=elapsed[2])
        if output.boxes is None or output.txts is None:
            return []
        word_results = (
            output.word_results if output.word_results and len(output.word_results) == len(output.txts) else None
        )
        fragments = []
        for index, (box, text, score) in enumerate(zip(output.boxes.tolist(), output.txts, output.scores, strict=True)):
            chars = word_results[index] if word_results else None
            fragments.append(
                Fragment(
                    text=text,
                    confidence=float(score),
                    box=box,
                    char_x=_char_centres(text, chars),
                    chars=_char_boxes(text, chars),
                )
            )
        return fragments


def _char_centres(text: str, chars) -> list[float | None] | None:
    """Map rapidocr's per-character boxes (non-space characters, in order) onto ``text``'s characters."""
    if not chars:
        return None
    centres = [sum(point[0] for point in box) / len(box) for _, _, box in chars if box is not None]
    if len(centres) != sum(not ch.isspace() for ch in text):
        return None
    iterator = iter(centres)
    return [None if ch.isspace() else next(iterator) for ch in text]


def _char_boxes(text: str, chars) -> list[tuple[list[list[float]], float]] | None:
    """rapidocr's per-character (box, confidence) for ``text``'s non-space characters, when there is one for each."""
    if not chars:
        return None
    boxes = [([[float(x), float(y)] for x, y in box], float(score)) for _, score, box in chars if box is not None]
    return boxes if len(boxes) == sum(not ch.isspace() for ch in text) else None


def build(threads: int = 1, memory_arena: bool = True) -> OnnxEngine:
    """Return a new ONNX engine using ``threads`` intra-op threads; raises EngineUnavailable without its models."""
    return OnnxEngine(threads=threads, memory_arena=memory_arena)
