"""Writing a trained classifier to its folder: fp16 safetensors, config, tokenizer, metrics.json and README.md."""

import copy
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import torch

logger = logging.getLogger(__name__)

MAX_WEIGHTS_BYTES = 50 * 1000 * 1000
WEIGHTS_FILE = "model.safetensors"


def staging_folder(out: Path) -> Path:
    """Return an empty sibling folder of ``out`` to build into; raise ValueError if ``out`` is not a model folder.

    An existing ``out`` must be empty or hold a config.json, so a wrong ``--out`` never deletes unrelated files.
    """
    if out.exists() and any(out.iterdir()) and not (out / "config.json").is_file():
        raise ValueError(f"{out} exists and is not a model folder; refusing to replace it")
    staging = out.with_name(out.name + ".building")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def save_weights(model: Any, tokenizer: Any, folder: Path, max_length: int) -> int:
    """Save an fp16 copy of ``model`` and ``tokenizer`` into ``folder``; return the weights file's size in bytes.

    Raises ValueError when the weights file exceeds MAX_WEIGHTS_BYTES.
    """
    half = copy.deepcopy(model).to(torch.float16)
    half.config.cefr_max_length = max_length
    half.save_pretrained(folder, safe_serialization=True)
    tokenizer.model_max_length = max_length
    tokenizer.save_pretrained(folder)
    size = (folder / WEIGHTS_FILE).stat().st_size
    if size > MAX_WEIGHTS_BYTES:
        raise ValueError(f"{WEIGHTS_FILE} is {size / 1e6:.1f} MB, over the {MAX_WEIGHTS_BYTES / 1e6:.0f} MB limit")
    return size


def write_temperature(folder: Path, temperature: float) -> None:
    """Store ``temperature`` as ``cefr_temperature`` in ``folder``/config.json (serving divides logits by it)."""
    path = folder / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config["cefr_temperature"] = float(temperature)
    path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def publish(staging: Path, out: Path) -> None:
    """Replace ``out`` with the finished ``staging`` folder."""
    if out.exists():
        shutil.rmtree(out)
    staging.rename(out)
    logger.info("CEFR model written to %s", out)


def write_metrics(folder: Path, info: dict[str, Any]) -> None:
    """Write ``info`` as metrics.json (sorted keys, indented) into ``folder``."""
    (folder / "metrics.json").write_text(json.dumps(info, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_model_card(folder: Path, info: dict[str, Any]) -> None:
    """Write README.md into ``folder`` from the metrics.json content ``info``."""
    from apps.cefr.model_card import model_card

    (folder / "README.md").write_text(model_card(info), encoding="utf-8")


def calibrate_folder(folder: Path, dev_set: Any, seed: int, threads: int) -> tuple[Any, dict[str, float]]:
    """Score the model in ``folder`` on ``dev_set`` and store the temperature fitted on it in its config.json.

    Returns (the ``evaluation.Report`` of the uncalibrated scores, ``calibration.cross_fitted``'s figures). A
    temperature already in the folder is undone first (the log of a scaled softmax times T is the logits up to a
    per-row constant), so calibrating twice gives the same temperature.
    """
    from apps.cefr import calibration
    from apps.cefr.evaluation import evaluate_model
    from apps.cefr.model import CefrModel

    model = CefrModel.load(folder, threads=threads)
    report = evaluate_model(model, dev_set)
    logits = calibration.log_probabilities(report.scores) * float(getattr(model, "temperature", 1.0))
    figures = calibration.cross_fitted(logits, calibration.level_indices(dev_set.levels), seed)
    write_temperature(folder, figures["temperature"])
    report.metrics["ece"] = calibration.ece(logits, calibration.level_indices(dev_set.levels))
    return report, figures
