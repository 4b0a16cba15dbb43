"""PP-OCRv6 small detection + recognition on onnxruntime, through rapidocr 3.10 and the models its wheel ships.

Every model is given by path (``rapidocr/models/``), so rapidocr never reaches its download code; the recogniser's
character list is embedded in the ONNX model's metadata, so no dictionary is fetched either. onnxruntime sessions
are thread-safe and rapidocr's call path keeps no per-call state when called without overrides, so one engine
serves every thread of a process. rapidocr's sessions are replaced by the engine's own (``_session``): the same
models and graph optimisations, ``threads`` intra-op threads, and one memory arena shared by the process.

With core leases (``apps.ocr.engines.cores``) a model run borrows ``threads`` more cores while that many are not
registered by busy workers: a batch of line crops then runs as two halves at once, a single image on a wider session
(twice the intra-op threads). The last images of a burst so use the cores the finished workers left idle.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy
from PIL import Image

from apps.ocr.engines import EngineUnavailable, OcrResult
from apps.ocr.engines.base import BaseEngine, warmup_image, warmup_page
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
        super().recognize(warmup_image())  # rapidocr builds its stages on first use; then their sessions are replaced
        wide = leases is not None and threads * 2 <= leases.cores
        for stage, path in model_paths().items():
            infer = getattr(self._ocr, STAGES[stage]).session  # rapidocr's OrtInferSession
            infer.session = _session(path, threads)
            if wide:
                assert leases is not None
                infer.session = ElasticSession(infer.session, _session(path, threads * 2), leases, threads)
        # Run every session once now so the first request does not pay for the lazy initialisation.
        self.recognize(warmup_image())

    def recognize(self, image: Image.Image) -> OcrResult:
        if self.leases is None:
            return super().recognize(image)
        with self.leases.hold(self.threads):
            return super().recognize(image)

    def warm_up(self) -> None:
        """Recognise a page on the narrow sessions and, where there are any, on the wide ones too (outside the core
        accounting: a worker process does this once, at boot)."""
        page = warmup_page()
        elastic = [s for s in self._sessions() if isinstance(s, ElasticSession)]
        for wide in (False, True) if elastic else (False,):
            for session in elastic:
                session.forced = wide
            try:
                super().recognize(page)
            finally:
                for session in elastic:
                    session.forced = None

    def _sessions(self) -> list:
        return [getattr(self._ocr, attr).session.session for attr in STAGES.values()]

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
    """An onnxruntime session that uses ``extra`` more cores whenever they are free: a batch as two halves at once on
    the narrow session, a single input on ``wide`` (more intra-op threads).

    Stands in for rapidocr's ``InferenceSession``: ``run`` picks a session per call, everything else (inputs,
    outputs, model metadata) comes from the narrow one.
    """

    def __init__(self, narrow, wide, leases: CoreLeases, extra: int):
        self.narrow = narrow
        self.wide = wide
        self.leases = leases
        self.extra = extra
        self.wide_runs = 0
        self.forced: bool | None = None  # True or False: always wide or narrow, cores unasked (warm-up)
        self.halves = True  # a borrowed batch as two halves at once (False: on the wide session, for comparison)

    def run(self, output_names, input_feed, run_options=None):
        if self.forced is not None:
            self.wide_runs += self.forced
            if self.forced:
                return self._run_wide(output_names, input_feed, run_options)
            return self.narrow.run(output_names, input_feed, run_options)
        with self.leases.borrow(self.extra) as borrowed:
            if borrowed:
                self.wide_runs += 1
                return self._run_wide(output_names, input_feed, run_options)
        return self.narrow.run(output_names, input_feed, run_options)

    def _run_wide(self, output_names, input_feed, run_options):
        """A batch of several crops (the recogniser's lines, the classifier's) is cut in two halves that run at once
        on the narrow session, one on a helper thread: the crops are independent, so the outputs are the same,
        and two narrow runs used the borrowed core better than one run on twice the threads (1.94x against 1.81x
        for the recogniser's runs of the five ocr-burst pages). A single image (the detector's) runs wide."""
        ((name, batch),) = input_feed.items() if len(input_feed) == 1 else ((None, None),)
        if not self.halves or batch is None or getattr(batch, "ndim", 0) < 1 or len(batch) < 2:
            return self.wide.run(output_names, input_feed, run_options)
        half = (len(batch) + 1) // 2
        other = _helpers().submit(self.narrow.run, output_names, {name: batch[half:]}, run_options)
        try:
            first = self.narrow.run(output_names, {name: batch[:half]}, run_options)
        finally:
            second = other.result()
        return [numpy.concatenate(pair) for pair in zip(first, second, strict=True)]

    def __getattr__(self, name):
        return getattr(self.narrow, name)


_helper_lock = threading.Lock()
_helper_pool: ThreadPoolExecutor | None = None


def _helpers() -> ThreadPoolExecutor:
    """The process's threads for the second half of a borrowed batch (created on first use, never in a process
    that does not borrow)."""
    global _helper_pool
    with _helper_lock:
        if _helper_pool is None:
            _helper_pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="ocr-borrowed")
        return _helper_pool


_arena_lock = threading.Lock()
_arena_registered = False


def _shared_arena() -> None:
    """Register one onnxruntime memory arena for the process, shared by every session that asks for it."""
    global _arena_registered
    with _arena_lock:
        if not _arena_registered:
            info = onnxruntime.OrtMemoryInfo(
                "Cpu", onnxruntime.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, onnxruntime.OrtMemType.DEFAULT
            )
            # No limit, buffers grown to the next power of two, default chunk sizes.
            onnxruntime.create_and_register_allocator(info, onnxruntime.OrtArenaCfg(0, 0, -1, -1))
            _arena_registered = True


def _session(path: Path, threads: int):
    """A CPU session with ``threads`` intra-op threads that sleep rather than spin when idle, on the process's
    shared memory arena.

    rapidocr builds its sessions without onnxruntime's arena, so every operator's output is a fresh ``malloc``: the
    large ones are ``mmap``-ed, faulted in page by page and unmapped again. That was 10% of the time of the five
    ocr-burst pages (1.1 of 11.2 s in the kernel, one process) and grew when several workers did it at once. One
    arena for all of a process's sessions (detector, classifier, recogniser, narrow and wide) keeps the buffers for
    the next run; it holds the largest run's working set, about 400 MB more per process than without (rapidocr
    resizes every page to at most 2000 px a side, so that is bounded). ``OCR_MEMORY_ARENA=false`` turns it off.
    """
    from django.conf import settings

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = settings.OCR_MEMORY_ARENA
    if settings.OCR_MEMORY_ARENA:
        _shared_arena()
        options.add_session_config_entry("session.use_env_allocators", "1")
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
