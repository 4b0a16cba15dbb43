"""The CEFR classifier's training loss: class weights, soft targets over the two annotators' levels, ordinal term."""

from collections import Counter
from typing import Any

import torch
import torch.nn.functional as F

from apps.cefr.levels import LEVEL_INDEX, LEVELS


def class_weights(levels: list[str], power: float, rare_only: bool = False) -> torch.Tensor:
    """Return per-level weights (N / (K n_c))^power, rescaled so the mean weight over training rows is 1.

    With ``rare_only`` a weight below 1 is raised to 1 before rescaling, so only levels rarer than 1/K of the rows
    (here A1, A2 and C2) are boosted and the frequent middle levels keep their natural balance. A level absent from
    ``levels`` gets weight 0 (it contributes no loss anyway).
    """
    counts = Counter(levels)
    total = len(levels)
    floor = 1.0 if rare_only else 0.0
    raw = torch.tensor(
        [max(floor, (total / (len(LEVELS) * counts[level])) ** power) if counts[level] else 0.0 for level in LEVELS]
    )
    per_row_mean = sum(raw[LEVEL_INDEX[level]].item() for level in levels) / total
    return raw / per_row_mean


def soft_targets(labels: torch.Tensor, lower_mass: float) -> torch.Tensor:
    """Return target distributions: 1 - lower_mass on the label, lower_mass on the level below (A1 keeps all)."""
    targets = F.one_hot(labels, len(LEVELS)).float()
    if lower_mass > 0:
        has_lower = labels > 0
        rows = torch.nonzero(has_lower).squeeze(1)
        targets[rows, labels[rows]] -= lower_mass
        targets[rows, labels[rows] - 1] += lower_mass
    return targets


def pair_targets(high: torch.Tensor, low: torch.Tensor, pair_mass: float) -> torch.Tensor:
    """Return target distributions over the two annotators' levels: 1 - pair_mass on ``high``, pair_mass on ``low``.

    Rows where the annotators agree (low == high) keep all their mass on that level.
    """
    targets = F.one_hot(high, len(LEVELS)).float()
    rows = torch.nonzero(low != high).squeeze(1)
    if pair_mass > 0 and len(rows):
        targets[rows, high[rows]] -= pair_mass
        targets[rows, low[rows]] += pair_mass
    return targets


def interval_distance(expected: torch.Tensor, low: torch.Tensor, high: torch.Tensor) -> torch.Tensor:
    """Return how far each expected level lies outside [low, high] (0 inside: either annotator may be right)."""
    return (low - expected).clamp(min=0) + (expected - high).clamp(min=0)


def cefr_loss(
    logits: torch.Tensor, labels: torch.Tensor, weights: torch.Tensor, config: Any, low: torch.Tensor | None = None
) -> torch.Tensor:
    """Return the batch loss: weighted soft-target cross-entropy + ordinal_weight * |E[level] - target level|.

    ``labels`` are the gold (higher annotator's) levels and pick the class weight. With ``low`` (the lower
    annotator's levels) and ``config.pair_mass`` > 0 the target is ``pair_targets``; otherwise ``soft_targets``
    with ``config.lower_mass`` (a guess at the lower annotator: one level below). The target level of the ordinal
    term is the target distribution's mean, so it lies between the two annotators; with ``config.ordinal_interval``
    (and ``low``) the ordinal term is instead the distance from the expected level to the interval [low, high].
    """
    log_probs = logits.log_softmax(dim=-1)
    pair_mass = getattr(config, "pair_mass", 0.0)
    if low is not None and pair_mass > 0:
        targets = pair_targets(labels, low, pair_mass)
    else:
        targets = soft_targets(labels, config.lower_mass)
    cross_entropy = -(targets * log_probs).sum(dim=-1)
    positions = torch.arange(len(LEVELS), dtype=log_probs.dtype)
    expected = (log_probs.exp() * positions).sum(dim=-1)
    if low is not None and getattr(config, "ordinal_interval", False):
        distance = interval_distance(expected, low.to(expected.dtype), labels.to(expected.dtype))
    else:
        distance = (expected - (targets * positions).sum(dim=-1)).abs()
    per_row = weights[labels] * (cross_entropy + config.ordinal_weight * distance)
    return per_row.mean()
