"""Scoring a loaded model on a labelled set (duck-typed model: anything with ``predict``; no torch import here)."""

from dataclasses import dataclass
from typing import Any

from apps.cefr.data import LabelledSet
from apps.cefr.levels import LEVELS
from apps.cefr.metrics import confusion_matrix, evaluate, expected_calibration_error, format_confusion_matrix

CHUNK = 64  # texts per forward pass: bounds memory on long files


@dataclass(frozen=True)
class Report:
    """Metrics of one evaluation, the predictions in input order, and the confusion matrix as text."""

    metrics: dict[str, float]
    predictions: list[str]
    confusion: str
    rows: int
    annotator_columns: bool
    scores: list[dict[str, float]]


def predict_all(model: Any, texts: list[str], chunk: int = CHUNK) -> list[dict[str, Any]]:
    """Return ``model.predict``'s result for every text (input order), calling it on chunks of ``chunk``.

    Texts are grouped by length so that each chunk pads little.
    """
    order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
    results: dict[int, dict[str, Any]] = {}
    for start in range(0, len(order), chunk):
        indices = order[start : start + chunk]
        for index, item in zip(indices, model.predict([texts[i] for i in indices]), strict=True):
            results[index] = item
    return [results[index] for index in range(len(texts))]


def predict_levels(model: Any, texts: list[str], chunk: int = CHUNK) -> list[str]:
    """Return the predicted level of every text (input order); see ``predict_all``."""
    return [item["level"] for item in predict_all(model, texts, chunk)]


def evaluate_model(model: Any, data: LabelledSet) -> Report:
    """Predict every row of ``data`` and score it; raises ValueError when ``data`` has no rows.

    Besides ``metrics.evaluate``'s scores, ``ece`` is the expected calibration error (10 bins) of the top-class
    probability in the model's ``scores`` against the strict gold level.
    """
    if not data.rows:
        raise ValueError("no rows to evaluate")
    results = predict_all(model, data.texts)
    predictions = [item["level"] for item in results]
    scores = [{level: float(item["scores"][level]) for level in LEVELS} for item in results]
    gold = data.levels
    metrics = evaluate(gold, predictions, [r.level_low for r in data.rows], [r.level_high for r in data.rows])
    confidences = [row[level] for row, level in zip(scores, predictions, strict=True)]
    correct = [g == p for g, p in zip(gold, predictions, strict=True)]
    metrics["ece"] = expected_calibration_error(confidences, correct, bins=10)
    return Report(
        metrics=metrics,
        predictions=predictions,
        confusion=format_confusion_matrix(confusion_matrix(gold, predictions)),
        rows=len(gold),
        annotator_columns=data.annotator_columns,
        scores=scores,
    )


SUMMARY_KEYS = (
    "accuracy",
    "macro_f1",
    "within1",
    "lenient_accuracy",
    "lenient_macro_f1",
    "a1_recall",
    "c2_recall",
    "ece",
)


def summary_line(metrics: dict[str, float]) -> str:
    """Return ``accuracy=0.xxx macro_f1=0.xxx within1=0.xxx ...``: every SUMMARY_KEYS metric as key=value."""
    return " ".join(f"{key}={metrics[key]:.3f}" for key in SUMMARY_KEYS)


def report_lines(report: Report) -> list[str]:
    """Return the human-readable lines of ``report``; the last is ``summary_line`` (key=value pairs, first
    ``accuracy=0.xxx macro_f1=0.xxx within1=0.xxx``)."""
    m = report.metrics
    if report.annotator_columns:
        lenient_note = "lenient scores use the file's level_low/level_high columns"
    else:
        lenient_note = (
            "no level_low/level_high columns: lenient scores take level_low = one level below `level` "
            "and level_high = `level` (`level` is the higher of two annotators who differ by at most one level)"
        )
    return [
        f"rows: {report.rows}",
        f"accuracy (strict):        {m['accuracy']:.3f}",
        f"macro-F1 (strict):        {m['macro_f1']:.3f}",
        f"within-one-level acc:     {m['within1']:.3f}",
        f"lenient accuracy:         {m['lenient_accuracy']:.3f}",
        f"lenient macro-F1:         {m['lenient_macro_f1']:.3f}",
        f"A1 recall:                {m['a1_recall']:.3f}",
        f"C2 recall:                {m['c2_recall']:.3f}",
        f"ECE (10 bins, top class): {m['ece']:.3f}",
        lenient_note,
        "confusion matrix (rows = gold, columns = predicted):",
        report.confusion,
        summary_line(m),
    ]
