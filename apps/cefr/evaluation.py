"""Scoring a loaded model on a labelled set (duck-typed model: anything with ``predict``; no torch import here)."""

from dataclasses import dataclass
from typing import Any

from apps.cefr.data import LabelledSet
from apps.cefr.metrics import confusion_matrix, evaluate, format_confusion_matrix

CHUNK = 64  # texts per forward pass: bounds memory on long files


@dataclass(frozen=True)
class Report:
    """Metrics of one evaluation, the predictions in input order, and the confusion matrix as text."""

    metrics: dict[str, float]
    predictions: list[str]
    confusion: str
    rows: int
    annotator_columns: bool


def predict_levels(model: Any, texts: list[str], chunk: int = CHUNK) -> list[str]:
    """Return the predicted level of every text (input order), calling ``model.predict`` on chunks of ``chunk``.

    Texts are grouped by length so that each chunk pads little.
    """
    order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
    levels: dict[int, str] = {}
    for start in range(0, len(order), chunk):
        indices = order[start : start + chunk]
        for index, item in zip(indices, model.predict([texts[i] for i in indices]), strict=True):
            levels[index] = item["level"]
    return [levels[index] for index in range(len(texts))]


def evaluate_model(model: Any, data: LabelledSet) -> Report:
    """Predict every row of ``data`` and score it; raises ValueError when ``data`` has no rows."""
    if not data.rows:
        raise ValueError("no rows to evaluate")
    predictions = predict_levels(model, data.texts)
    gold = data.levels
    metrics = evaluate(gold, predictions, [r.level_low for r in data.rows], [r.level_high for r in data.rows])
    return Report(
        metrics=metrics,
        predictions=predictions,
        confusion=format_confusion_matrix(confusion_matrix(gold, predictions)),
        rows=len(gold),
        annotator_columns=data.annotator_columns,
    )


def report_lines(report: Report) -> list[str]:
    """Return the human-readable lines of ``report``; the last is ``accuracy=0.xxx macro_f1=0.xxx within1=0.xxx``."""
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
        lenient_note,
        "confusion matrix (rows = gold, columns = predicted):",
        report.confusion,
        f"accuracy={m['accuracy']:.3f} macro_f1={m['macro_f1']:.3f} within1={m['within1']:.3f}",
    ]
