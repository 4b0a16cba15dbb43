"""Temperature scaling for the CEFR classifier's probabilities (NumPy only; no torch here).

The served probabilities are softmax(logits / T); ``fit_temperature`` picks the T that minimises the negative
log-likelihood of the gold levels on held-out rows (Guo et al., "On Calibration of Modern Neural Networks", 2017).
Log-probabilities work as well as logits: softmax is unchanged by a per-row constant, so log(p) = logits - c.
"""

from collections.abc import Sequence

import numpy as np

from apps.cefr.levels import LEVEL_INDEX, LEVELS
from apps.cefr.metrics import expected_calibration_error

BOUNDS = (0.05, 20.0)  # the searched range of T; a fitted value at a bound means the search was cut short


def log_probabilities(scores: Sequence[dict[str, float]]) -> np.ndarray:
    """Return an (n, 6) array of log-probabilities from ``{"A1": p, ...}`` score mappings (LEVELS order)."""
    probabilities = np.array([[row[level] for level in LEVELS] for row in scores], dtype=np.float64)
    return np.log(np.clip(probabilities, 1e-12, 1.0))


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Return softmax(logits / temperature) row by row."""
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def negative_log_likelihood(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    """Return the mean NLL of ``labels`` (level indices) under softmax(logits / temperature)."""
    probabilities = softmax(logits, temperature)[np.arange(len(labels)), labels]
    return float(-np.log(np.clip(probabilities, 1e-12, 1.0)).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray, iterations: int = 80) -> float:
    """Return the temperature in BOUNDS that minimises the NLL of ``labels``; raises ValueError with no rows.

    Golden-section search on log T (the NLL is convex in 1/T, so it has one minimum).
    """
    if not len(labels):
        raise ValueError("no rows to fit a temperature on")
    low, high = np.log(BOUNDS[0]), np.log(BOUNDS[1])
    ratio = (np.sqrt(5) - 1) / 2
    for _ in range(iterations):
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        if negative_log_likelihood(logits, labels, np.exp(left)) <= negative_log_likelihood(
            logits, labels, np.exp(right)
        ):
            high = right
        else:
            low = left
    return round(float(np.exp((low + high) / 2)), 4)


def ece(logits: np.ndarray, labels: np.ndarray, temperature: float = 1.0, bins: int = 10) -> float:
    """Return the expected calibration error of the top-class probability of softmax(logits / temperature)."""
    probabilities = softmax(logits, temperature)
    correct = probabilities.argmax(axis=1) == labels
    return expected_calibration_error(probabilities.max(axis=1).tolist(), correct.tolist(), bins)


def level_indices(levels: Sequence[str]) -> np.ndarray:
    """Return the level names as an integer array of indices (A1 -> 0 ... C2 -> 5)."""
    return np.array([LEVEL_INDEX[level] for level in levels], dtype=np.int64)


def cross_fitted(logits: np.ndarray, labels: np.ndarray, seed: int = 0) -> dict[str, float]:
    """Calibrate on dev without scoring on the rows a temperature was fitted on.

    The rows are split at random (``seed``) into two halves; each half's probabilities are scaled by the temperature
    fitted on the other half, and the ECE after calibration is that of all rows so scaled. Returns
    ``temperature`` (fitted on all rows: the value to serve), ``temperature_half_a``/``_b`` (their spread shows how
    stable the fit is), ``ece_before`` (T = 1) and ``ece_after`` (cross-fitted), and the NLL before/after likewise.
    """
    order = np.random.default_rng(seed).permutation(len(labels))
    halves = (order[: len(order) // 2], order[len(order) // 2 :])
    fitted = [fit_temperature(logits[half], labels[half]) for half in halves]
    scaled = np.empty_like(logits)
    for half, temperature in zip(halves, reversed(fitted), strict=True):
        scaled[half] = logits[half] / temperature
    return {
        "temperature": fit_temperature(logits, labels),
        "temperature_half_a": fitted[0],
        "temperature_half_b": fitted[1],
        "ece_before": round(ece(logits, labels), 4),
        "ece_after": round(ece(scaled, labels), 4),
        "nll_before": round(negative_log_likelihood(logits, labels, 1.0), 4),
        "nll_after": round(negative_log_likelihood(scaled, labels, 1.0), 4),
    }
