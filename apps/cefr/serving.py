"""Loading the CEFR model in a worker process with the runtime that ``CEFR_RUNTIME`` and ``CEFR_DEVICE`` select.

- ``torch``: transformers on ``CEFR_DEVICE`` (the CPU or a CUDA GPU).
- ``onnx``: ONNX Runtime on the CPU (or a CUDA GPU, with an onnxruntime build that has the CUDA provider).
- ``auto`` (default): torch on a GPU, ONNX Runtime on the CPU, where it is faster at identical levels
  (bench/results/cefr-runtime.json); should the export fail there, the worker logs why and serves with torch.
"""

import logging
from pathlib import Path
from typing import Any

from apps.cefr.inference import ModelUnavailable

logger = logging.getLogger(__name__)

RUNTIMES = ("auto", "onnx", "torch")


def load_model(folder: Path, cache_dir: Path, threads: int = 1, device: str = "auto", runtime: str = "auto") -> Any:
    """Return a loaded model (``CefrModel`` or ``OnnxCefrModel``: ``predict(texts)``, ``runtime``).

    Raises ModelUnavailable when the folder cannot be served by the chosen runtime on ``device``.
    """
    from apps.cefr.model import CefrModel, resolve_device

    if runtime not in RUNTIMES:
        raise ModelUnavailable(f"CEFR_RUNTIME {runtime!r} is not one of {', '.join(RUNTIMES)}")
    where = str(resolve_device(device))
    if runtime == "torch" or (runtime == "auto" and where != "cpu"):
        return CefrModel.load(folder, threads=threads, device=where)
    from apps.cefr.onnx_runtime import OnnxCefrModel

    try:
        return OnnxCefrModel.load(folder, cache_dir, threads=threads, device=where)
    except ModelUnavailable as exc:
        if runtime == "onnx":
            raise
        logger.warning("CEFR model served with torch: ONNX Runtime cannot serve it (%s)", exc)
        return CefrModel.load(folder, threads=threads, device=where)
