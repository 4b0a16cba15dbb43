"""Fitting the temperature (apps.cefr.calibration): it recovers a known temperature, lowers the ECE, cross-fits."""

import numpy as np
import pytest

from apps.cefr import calibration
from apps.cefr.levels import LEVELS


def _sample(rows: int, true_temperature: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Logits whose labels are drawn from softmax(logits / true_temperature): calibrated at that temperature."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 4.0, size=(rows, len(LEVELS)))
    probabilities = calibration.softmax(logits, true_temperature)
    labels = np.array([rng.choice(len(LEVELS), p=row) for row in probabilities])
    return logits, labels


def test_fit_recovers_the_temperature_the_labels_were_drawn_with():
    logits, labels = _sample(4000, 2.5)
    assert calibration.fit_temperature(logits, labels) == pytest.approx(2.5, rel=0.1)


def test_scaling_lowers_the_ece_of_over_confident_scores():
    logits, labels = _sample(3000, 3.0)
    fitted = calibration.fit_temperature(logits, labels)
    assert calibration.ece(logits, labels, fitted) < calibration.ece(logits, labels) / 2


def test_cross_fitted_reports_both_halves_and_improves():
    logits, labels = _sample(2000, 2.0, seed=1)
    result = calibration.cross_fitted(logits, labels)
    assert result["temperature_half_a"] == pytest.approx(result["temperature_half_b"], rel=0.25)
    assert result["ece_after"] < result["ece_before"]
    assert result["nll_after"] < result["nll_before"]


def test_log_probabilities_from_scores_keep_the_softmax():
    scores = [{"A1": 0.1, "A2": 0.2, "B1": 0.3, "B2": 0.2, "C1": 0.1, "C2": 0.1}]
    logs = calibration.log_probabilities(scores)
    assert calibration.softmax(logs)[0].tolist() == pytest.approx([0.1, 0.2, 0.3, 0.2, 0.1, 0.1])


def test_fit_needs_rows():
    with pytest.raises(ValueError):
        calibration.fit_temperature(np.zeros((0, 6)), np.zeros(0, dtype=np.int64))
