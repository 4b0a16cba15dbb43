"""What both runtimes of the CEFR classifier share, without torch or onnxruntime: the model folder's checks and
config, input validation, and calibrated probabilities from logits.

Scores are ``softmax(logits / T)`` with ``T`` the ``cefr_temperature`` that training writes into config.json
(temperature scaling; 1.0 when absent), so both runtimes give the same calibrated probabilities.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from apps.cefr.levels import LEVELS

MAX_LENGTH = 96  # tokens; training and inference truncate here (the longest training sentence has 48)
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer_config.json")


class ModelUnavailable(Exception):
    """Raised when the CEFR model folder is missing, incomplete or corrupt, so no level can be predicted."""


@dataclass(frozen=True)
class ModelConfig:
    """What inference needs from a model folder's config.json."""

    max_length: int
    temperature: float


def check_files(folder: Path) -> None:
    """Raise ModelUnavailable unless ``folder`` holds every file a model folder needs."""
    if not folder.is_dir():
        raise ModelUnavailable(
            f"CEFR model folder {folder} does not exist; build it with `python manage.py build_cefr_model`"
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelUnavailable(f"CEFR model folder {folder} is incomplete: missing {', '.join(missing)}")


def read_config(folder: Path) -> ModelConfig:
    """Return the folder's max length and temperature; raise ModelUnavailable for an unreadable config, labels that
    are not the six levels in order, or a temperature that is not a positive finite number."""
    try:
        config = json.loads((folder / "config.json").read_text())
        id2label = config["id2label"]
        labels = tuple(id2label[str(index)] for index in range(len(id2label)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelUnavailable(f"CEFR model in {folder} is corrupt or unreadable: {exc}") from exc
    if labels != LEVELS:
        raise ModelUnavailable(f"CEFR model in {folder} has labels {labels}; expected {LEVELS}")
    temperature = config.get("cefr_temperature", 1.0)
    if isinstance(temperature, bool) or not isinstance(temperature, int | float) or not 0 < temperature < math.inf:
        raise ModelUnavailable(f"CEFR model in {folder} has cefr_temperature {temperature!r}; expected a number > 0")
    return ModelConfig(int(config.get("cefr_max_length", MAX_LENGTH)), float(temperature))


def check_texts(texts: list[str]) -> None:
    """Raise ValueError for a text that is not a string or is empty/whitespace only."""
    for position, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"text {position} is empty; nothing to classify")


def probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise ``softmax(logits / temperature)`` in float64."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=-1, keepdims=True)


def results(logits: np.ndarray, temperature: float) -> list[dict[str, Any]]:
    """One ``{"level": "B1", "scores": {"A1": p, ..., "C2": p}}`` per row of ``logits`` (LEVELS order)."""
    return [_result(row) for row in probabilities(logits, temperature).tolist()]


def _result(row: list[float]) -> dict[str, Any]:
    scores = dict(zip(LEVELS, row, strict=True))
    return {"level": max(scores, key=scores.__getitem__), "scores": scores}
