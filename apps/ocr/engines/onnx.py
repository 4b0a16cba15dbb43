"""PP-OCRv6 small detection + recognition on onnxruntime, through rapidocr 3.10 and the models its wheel ships.

Every model is given by path (``rapidocr/models/``), so rapidocr never reaches its download code; the recogniser's
character list is embedded in the ONNX model's metadata, so no dictionary is fetched either. onnxruntime sessions
are thread-safe and rapidocr's call path keeps no per-call state when called without overrides, so one engine
serves every thread of a process; each session uses ``threads`` intra-op threads.

With core leases (``apps.ocr.engines.cores``) each model also gets a wider session, ``threads`` more intra-op
threads, and every model run goes to it while that many other cores are free on the machine: the last images of a
burst then use the cores the finished workers left idle.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from apps.ocr.engines import EngineUnavailable, OcrResult
from apps.ocr.engines.base import BaseEngine, warmup_image
from apps.ocr.engines.postprocess import Fragment

if TYPE_CHECKING:
    from apps.ocr.engines.cores import CoreLeases

try:
    import onnxruntime
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
STAGES = {"Det": "text_det", "Cls": "text_cls", "Rec": "text_rec"}  # rapidocr's attribute for each stage


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

    def __init__(self, threads: int = 1, leases: CoreLeases | None = None):
        # rapidocr ignores a count above the machine's cores and would then use them all.
        threads = max(1, min(threads, os.cpu_count() or 1))
        self.threads = threads
        self.leases = leases
        params = {
            "Global.log_level": "warning",
            "Global.return_word_box": True,
            "Global.return_single_char_box": True,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        for stage, path in model_paths().items():
            params[f"{stage}.model_path"] = str(path)
        self._ocr = RapidOCR(params=params)
        # Build the sessions now (rapidocr loads them lazily) so the first request does not pay for it.
        self.recognize(warmup_image())
        if leases is not None and threads * 2 <= leases.cores:
            for stage, path in model_paths().items():
                infer = getattr(self._ocr, STAGES[stage]).session  # rapidocr's OrtInferSession
                infer.session = ElasticSession(infer.session, _session(path, threads * 2), leases, threads)
            self.recognize(warmup_image())

    def recognize(self, image: Image.Image) -> OcrResult:
        if self.leases is None:
            return super().recognize(image)
        with self.leases.hold(self.threads):
            return super().recognize(image)

    def _fragments(self, image: Image.Image) -> list[Fragment]:
        output = self._ocr(image)
        if output.boxes is None or output.txts is None:
            return []
        word_results = (
            output.word_results if output.word_results and len(output.word_results) == len(output.txts) else None
        )
        fragments = []
        for index, (box, text, score) in enumerate(zip(output.boxes.tolist(), output.txts, output.scores, strict=True)):
            chars = word_results[index] if word_results else None
            fragments.append(Fragment(text=text, confidence=float(score), box=box, char_x=_char_centres(text, chars)))
        return fragments


class ElasticSession:
    """An onnxruntime session that runs on ``wide`` (more intra-op threads) whenever ``extra`` more cores are free.

    Stands in for rapidocr's ``InferenceSession``: ``run`` picks a session per call, everything else (inputs,
    outputs, model metadata) comes from the narrow one.
    """

    def __init__(self, narrow, wide, leases: CoreLeases, extra: int):
        self.narrow = narrow
        self.wide = wide
        self.leases = leases
        self.extra = extra
        self.wide_runs = 0

    def run(self, output_names, input_feed, run_options=None):
        with self.leases.borrow(self.extra) as borrowed:
            if borrowed:
                self.wide_runs += 1
                return self.wide.run(output_names, input_feed, run_options)
        return self.narrow.run(output_names, input_feed, run_options)

    def __getattr__(self, name):
        return getattr(self.narrow, name)


def _session(path: Path, threads: int):
    """A CPU session like rapidocr's, with ``threads`` intra-op threads that sleep rather than spin when idle."""
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # A borrowed core must be free again the moment the run ends, not spinning for the next run.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


def _char_centres(text: str, chars) -> list[float | None] | None:
    """Map rapidocr's per-character boxes (non-space characters, in order) onto ``text``'s characters."""
    if not chars:
        return None
    centres = [sum(point[0] for point in box) / len(box) for _, _, box in chars if box is not None]
    if len(centres) != sum(not ch.isspace() for ch in text):
        return None
    iterator = iter(centres)
    return [None if ch.isspace() else next(iterator) for ch in text]


def build(threads: int = 1, leases: CoreLeases | None = None) -> OnnxEngine:
    """Return a new ONNX engine using ``threads`` intra-op threads (more on cores ``leases`` finds free); raises
    EngineUnavailable without its models."""
    return OnnxEngine(threads=threads, leases=leases)
