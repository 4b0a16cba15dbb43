"""The CEFR classifier served by ONNX Runtime (the CPU default: see bench/cefr_runtime.py for the measurement).

The repository commits only the fp16 safetensors (the fp32 ONNX graph is twice their size). A worker exports the
graph from them the first time it needs it, into a cache folder, under a name that is the weights' fingerprint, so
new weights get a new file. Several workers starting together take a file lock: one exports, the others wait and
load its file. The export is written to a temporary name, checked against torch on a few sentences, and renamed
into place, so a reader never sees half a file.
"""

import fcntl
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from apps.cefr import inference
from apps.cefr.fingerprint import fingerprint
from apps.cefr.inference import ModelUnavailable

logger = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
CHECK_SENTENCES = [
    "Hi.",
    "I have a cat and a dog.",
    "Notwithstanding the evidence, the committee remained unconvinced.",
]
MAX_EXPORT_DIFF = 1e-3  # largest logit difference from torch that an export may show on CHECK_SENTENCES
KEEP_OLDER_EXPORTS = 1  # exports of earlier weights kept beside the current one (91 MB each)


def onnx_file(folder: Path, cache_dir: Path) -> Path:
    """The cache path of the ONNX export of the model in ``folder``."""
    return cache_dir / f"cefr-{fingerprint(folder)[:24]}.onnx"


def ensure_onnx(folder: Path, cache_dir: Path, threads: int = 1) -> tuple[Path, bool]:
    """Return ``(path, exported)``: the ONNX export of ``folder``'s model, made now (``exported``) or found in
    ``cache_dir``. Raises ModelUnavailable when the folder cannot be loaded or the export does not match torch."""
    inference.check_files(folder)
    target = onnx_file(folder, cache_dir)
    if target.is_file():
        return target, False
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with open(cache_dir / ".export.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
            if target.is_file():  # another worker exported it while this one waited
                return target, False
            _export(folder, target, threads)
            _prune(cache_dir, keep=target)
    except OSError as exc:
        raise ModelUnavailable(f"the ONNX cache folder {cache_dir} cannot be used: {exc}") from exc
    return target, True


def _export(folder: Path, target: Path, threads: int) -> None:
    from apps.cefr.model import CefrModel  # torch: only a worker that has no export yet needs it

    started = time.perf_counter()
    model = CefrModel.load(folder, threads=threads, device="cpu")
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        model.export_onnx(partial)
        session = _session(partial, threads, ["CPUExecutionProvider"])
        difference = float(
            np.abs(
                _run(session, model.tokenizer, model.max_length, CHECK_SENTENCES) - model.logits(CHECK_SENTENCES)
            ).max()
        )
        if difference > MAX_EXPORT_DIFF:
            raise ModelUnavailable(f"the ONNX export of {folder} differs from torch by {difference:.4f} (logits)")
        os.replace(partial, target)
    except ModelUnavailable:
        raise
    except Exception as exc:
        raise ModelUnavailable(f"CEFR model in {folder} cannot be exported to ONNX: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    logger.info(
        "exported CEFR model to ONNX",
        extra={"path": str(target), "duration_ms": round((time.perf_counter() - started) * 1000)},
    )


def _prune(cache_dir: Path, keep: Path) -> None:
    """Delete what dead exports left (temporary files) and exports of older weights but the latest one (a worker
    rolled back to it finds it). Called with the lock held; a process still using a deleted file keeps its copy."""
    for partial in cache_dir.glob(".cefr-*.tmp"):
        partial.unlink(missing_ok=True)
    older = sorted((p for p in cache_dir.glob("cefr-*.onnx") if p != keep), key=lambda p: p.stat().st_mtime_ns)
    for stale in older[:-KEEP_OLDER_EXPORTS] if KEEP_OLDER_EXPORTS else older:
        stale.unlink(missing_ok=True)


def providers_for(device: str) -> list[Any]:
    """onnxruntime's execution providers for ``device`` ("cpu", "cuda", "cuda:N"); ModelUnavailable if this
    onnxruntime build cannot run there (the CPU package has no CUDA provider: use CEFR_RUNTIME=torch)."""
    if device == "cpu":
        return ["CPUExecutionProvider"]
    kind, _, index = device.partition(":")
    if kind != "cuda" or not (index or "0").isdigit():
        raise ModelUnavailable(f"CEFR_DEVICE {device!r} is not a device ONNX Runtime can use (cpu, cuda, cuda:N)")
    if "CUDAExecutionProvider" not in ort.get_available_providers():
        raise ModelUnavailable(f"CEFR_DEVICE is {device!r} but this onnxruntime has no CUDA provider")
    return [("CUDAExecutionProvider", {"device_id": int(index or 0)}), "CPUExecutionProvider"]


def _session(path: Path, threads: int, providers: list[Any]) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads  # as CEFR_TORCH_THREADS caps torch: processes x threads <= cores
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads must not burn a core
    return ort.InferenceSession(str(path), options, providers=providers)


def _run(session: ort.InferenceSession, tokenizer: Any, max_length: int, texts: list[str]) -> np.ndarray:
    encoded = tokenizer(list(texts), padding=True, truncation=True, max_length=max_length, return_tensors="np")
    return session.run(["logits"], {name: encoded[name].astype(np.int64) for name in INPUTS})[0]


class OnnxCefrModel:
    """The classifier as an ONNX Runtime session; ``predict`` as ``CefrModel.predict`` (thread-safe)."""

    runtime = "onnx"
    onnx_path: Path | None = None

    def __init__(self, session: ort.InferenceSession, tokenizer: Any, config: inference.ModelConfig, path: Path):
        self.session, self.tokenizer, self.path = session, tokenizer, path
        self.max_length, self.temperature = config.max_length, config.temperature

    @classmethod
    def load(cls, folder: Path, cache_dir: Path, threads: int = 1, device: str = "cpu") -> "OnnxCefrModel":
        """Load (exporting first if needed: ``ensure_onnx``) the model in ``folder`` on ``device``.

        Raises ModelUnavailable as ``CefrModel.load`` does, and when ONNX Runtime cannot run on ``device``.
        """
        providers = providers_for(device)
        path, _ = ensure_onnx(folder, cache_dir, threads)
        config = inference.read_config(folder)
        tokenizer = _tokenizer(folder)
        try:
            session = _session(path, threads, providers)
        except Exception as exc:
            raise ModelUnavailable(f"the ONNX export {path} cannot be loaded: {exc}") from exc
        logger.info("loaded CEFR model from %s with onnxruntime on %s (%s)", path, device, config)
        model = cls(session, tokenizer, config, folder)
        model.onnx_path = path
        return model

    def predict(self, texts: list[str]) -> list[dict[str, Any]]:
        """Classify ``texts`` in one batched run; see ``CefrModel.predict``."""
        inference.check_texts(texts)
        if not texts:
            return []
        return inference.results(self.logits(texts), self.temperature)

    def logits(self, texts: list[str]) -> np.ndarray:
        """The raw logits of ``texts`` (float32, shape (len(texts), 6))."""
        return _run(self.session, self.tokenizer, self.max_length, texts)


def _tokenizer(folder: Path) -> Callable:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(folder)
    except Exception as exc:
        raise ModelUnavailable(f"CEFR model in {folder} is corrupt or unreadable: {exc}") from exc
