"""Inference with the fine-tuned CEFR classifier (a BERT sequence classifier saved by ``build_cefr_model``).

This is the only place besides ``training`` that imports torch and transformers; import it lazily from worker code,
never from the web process.
"""

import logging
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

from apps.cefr.levels import LEVELS  # noqa: E402

logger = logging.getLogger(__name__)

MAX_LENGTH = 96  # tokens; training and inference truncate here (the longest training sentence has 48)
MAX_THREADS = 2
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer_config.json")


class ModelUnavailable(Exception):
    """Raised when the CEFR model folder is missing, incomplete or corrupt, so no level can be predicted."""


def default_model_path() -> Path:
    """Return settings.CEFR_MODEL_DIR when that setting exists, else BASE_DIR / "models/cefr-minilm"."""
    from django.conf import settings

    configured = getattr(settings, "CEFR_MODEL_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "models" / "cefr-minilm"


def resolve_device(name: str) -> torch.device:
    """``"auto"``: the first CUDA GPU when torch sees one, else the CPU; otherwise the torch device named."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError as exc:
        raise ModelUnavailable(f"CEFR_DEVICE {name!r} is not a torch device: {exc}") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailable(f"CEFR_DEVICE is {name!r} but torch sees no CUDA GPU")
    return device


def limit_threads(threads: int = MAX_THREADS) -> None:
    """Cap torch's intra-op threads at ``threads`` (process-wide); never raises the current count."""
    if torch.get_num_threads() > threads:
        torch.set_num_threads(threads)


class CefrModel:
    """A loaded classifier; ``predict`` is safe to call from several threads (inference only, no state changes)."""

    def __init__(self, model: Any, tokenizer: Any, max_length: int, path: Path, device: torch.device) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.path = path
        self.device = device

    @classmethod
    def load(cls, path: str | Path | None = None, threads: int = MAX_THREADS, device: str = "cpu") -> "CefrModel":
        """Load the model folder at ``path`` (default: ``default_model_path()``) in float32 on ``device`` (see
        ``resolve_device``), ready for ``predict``.

        Raises ModelUnavailable, naming the folder and the cause, when the folder or one of its files is missing,
        when a file cannot be parsed, or when the weights or labels do not match a six-level classifier.
        """
        folder = Path(path) if path is not None else default_model_path()
        _check_files(folder)
        limit_threads(threads)
        try:
            model, tokenizer = _load_pretrained(folder)
        except ModelUnavailable:
            raise
        except Exception as exc:  # any parse or shape error means the folder is unusable
            raise ModelUnavailable(f"CEFR model in {folder} is corrupt or unreadable: {exc}") from exc
        _check_labels(folder, model.config)
        where = resolve_device(device)
        model.to(where)
        max_length = int(getattr(model.config, "cefr_max_length", MAX_LENGTH))
        logger.info("loaded CEFR model from %s on %s (max_length=%d)", folder, where, max_length)
        return cls(model, tokenizer, max_length, folder, where)

    def predict(self, texts: list[str]) -> list[dict[str, Any]]:
        """Classify ``texts`` in one batched forward pass.

        Returns one ``{"level": "B1", "scores": {"A1": p, ..., "C2": p}}`` per text, in input order; scores are
        probabilities in LEVELS order that sum to 1. Texts longer than ``max_length`` tokens are truncated.
        Raises ValueError for a text that is not a string or is empty/whitespace only.
        """
        for position, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"text {position} is empty; nothing to classify")
        if not texts:
            return []
        encoded = self.tokenizer(
            list(texts), padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        with torch.inference_mode():
            logits = self.model(**encoded.to(self.device)).logits
            probabilities = logits.float().softmax(dim=-1).cpu().tolist()
        return [_result(row) for row in probabilities]


def _result(probabilities: list[float]) -> dict[str, Any]:
    scores = dict(zip(LEVELS, probabilities, strict=True))
    return {"level": max(scores, key=scores.__getitem__), "scores": scores}


def _check_files(folder: Path) -> None:
    if not folder.is_dir():
        raise ModelUnavailable(
            f"CEFR model folder {folder} does not exist; build it with `python manage.py build_cefr_model`"
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelUnavailable(f"CEFR model folder {folder} is incomplete: missing {', '.join(missing)}")


def _load_pretrained(folder: Path) -> tuple[Any, Any]:
    progress_was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder)
        model, info = AutoModelForSequenceClassification.from_pretrained(
            folder, dtype=torch.float32, output_loading_info=True
        )
    finally:
        if progress_was_enabled:
            hf_logging.enable_progress_bar()
    incomplete = info.get("missing_keys") or info.get("mismatched_keys")
    if incomplete:
        raise ModelUnavailable(f"CEFR model weights in {folder} are incomplete: {sorted(incomplete)[:5]}")
    return model.eval(), tokenizer


def _check_labels(folder: Path, config: Any) -> None:
    labels = tuple(config.id2label[index] for index in range(len(config.id2label)))
    if labels != LEVELS:
        raise ModelUnavailable(f"CEFR model in {folder} has labels {labels}; expected {LEVELS}")
