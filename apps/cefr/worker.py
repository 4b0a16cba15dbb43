"""CEFR classification in worker processes: one model per process, micro-batched across worker threads."""

import logging
import threading
from pathlib import Path

from django.conf import settings

from apps.cefr.batcher import MicroBatcher
from apps.jobs import rpc

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_batcher: MicroBatcher | None = None
_load_error: str | None = None


def batcher() -> MicroBatcher:
    """The process's batcher around the loaded model; raises ``RuntimeError`` when the model cannot be loaded."""
    global _batcher, _load_error
    with _lock:
        if _batcher is None and _load_error is None:
            from apps.cefr.inference import ModelUnavailable
            from apps.cefr.serving import load_model

            try:
                model = load_model(
                    Path(settings.CEFR_MODEL_DIR),
                    Path(settings.CEFR_ONNX_CACHE_DIR),
                    threads=settings.CEFR_TORCH_THREADS,
                    device=settings.CEFR_DEVICE,
                    runtime=settings.CEFR_RUNTIME,
                )
            except ModelUnavailable as exc:
                _load_error = str(exc)
                logger.error("CEFR model cannot be loaded: %s", exc)
            else:
                _batcher = MicroBatcher(
                    model.predict, settings.CEFR_MAX_BATCH, settings.CEFR_MAX_WAIT_MS, name="cefr-model"
                )
        if _batcher is None:
            raise RuntimeError(_load_error or "CEFR model not loaded")
        return _batcher


def warm_up() -> None:
    """Load the model at worker start so a missing or corrupt model is logged at once, not at the first request."""
    try:
        batcher()
    except RuntimeError:
        pass  # already logged; each request will be answered with the error (the API says 503)


def classify(texts: list[str], reply_to: str, deadline: float | None) -> None:
    """Classify ``texts`` and reply to the waiting web request (``rpc.call``); skip when nobody waits any more."""
    if rpc.expired(deadline):
        logger.info("skipping CEFR request nobody waits for", extra={"texts": len(texts)})
        return
    try:
        results = batcher().classify(texts, timeout=60)
    except Exception as exc:
        rpc.reply(reply_to, error=str(exc) or type(exc).__name__)
        return
    rpc.reply(reply_to, result=results)
