"""Scores for CEFR predictions: strict, within-one-level and lenient (either annotator) metrics; pure Python.

All functions take parallel sequences of level names (A1..C2). They raise ValueError when the sequences are empty or
of different lengths, or hold an unknown level.
"""

from collections.abc import Sequence

from apps.cefr.levels import LEVEL_INDEX, LEVELS


def _check(*columns: Sequence[str]) -> None:
    lengths = {len(column) for column in columns}
    if len(lengths) != 1:
        raise ValueError(f"sequences differ in length: {sorted(lengths)}")
    if not lengths.pop():
        raise ValueError("no predictions to score")
    for column in columns:
        unknown = set(column) - set(LEVELS)
        if unknown:
            raise ValueError(f"unknown level(s) {sorted(unknown)}")


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Return the share of predictions equal to the gold level."""
    _check(gold, pred)
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def within_one_accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Return the share of predictions at most one level away from the gold level."""
    _check(gold, pred)
    return sum(abs(LEVEL_INDEX[g] - LEVEL_INDEX[p]) <= 1 for g, p in zip(gold, pred, strict=True)) / len(gold)


def f1_per_level(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float | None]:
    """Return each level's F1; None for a level that occurs neither in ``gold`` nor in ``pred`` (F1 undefined)."""
    _check(gold, pred)
    scores: dict[str, float | None] = {}
    for level in LEVELS:
        true_pos = sum(g == level and p == level for g, p in zip(gold, pred, strict=True))
        gold_count, pred_count = list(gold).count(level), list(pred).count(level)
        if gold_count + pred_count == 0:
            scores[level] = None
        else:
            scores[level] = 2 * true_pos / (gold_count + pred_count)
    return scores


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Return the unweighted mean F1 over the levels that occur in ``gold`` or ``pred`` (all six on real data)."""
    defined = [score for score in f1_per_level(gold, pred).values() if score is not None]
    return sum(defined) / len(defined)


def lenient_gold(low: Sequence[str], high: Sequence[str], pred: Sequence[str]) -> list[str]:
    """Return per-item gold levels for lenient scoring.

    A prediction equal to either annotator's level (``low`` or ``high``) is its own gold; any other prediction is
    scored against the nearer annotator level (``low`` when it is below, ``high`` when above).
    """
    _check(low, high, pred)
    gold = []
    for lo, hi, p in zip(low, high, pred, strict=True):
        if p in (lo, hi):
            gold.append(p)
        else:
            gold.append(lo if LEVEL_INDEX[p] < LEVEL_INDEX[lo] else hi)
    return gold


def lenient_accuracy(low: Sequence[str], high: Sequence[str], pred: Sequence[str]) -> float:
    """Return the share of predictions equal to either annotator's level."""
    return accuracy(lenient_gold(low, high, pred), pred)


def lenient_macro_f1(low: Sequence[str], high: Sequence[str], pred: Sequence[str]) -> float:
    """Return macro-F1 against the lenient gold levels (see ``lenient_gold``)."""
    return macro_f1(lenient_gold(low, high, pred), pred)


def recall(gold: Sequence[str], pred: Sequence[str], level: str) -> float:
    """Return the share of ``level`` items in ``gold`` predicted as ``level``; 0.0 when ``gold`` has none."""
    _check(gold, pred)
    relevant = [p for g, p in zip(gold, pred, strict=True) if g == level]
    return sum(p == level for p in relevant) / len(relevant) if relevant else 0.0


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    """Return the expected calibration error of top-class probabilities (``bins`` equal-width bins over [0, 1]).

    ECE = sum over bins of (share of items in the bin) x |accuracy in the bin - mean confidence in the bin|; a
    confidence of exactly 1.0 falls in the last bin. Raises ValueError for empty or mismatched sequences.
    """
    if len(confidences) != len(correct) or not confidences:
        raise ValueError("need one correctness flag per confidence, and at least one")
    totals = [[0, 0.0, 0] for _ in range(bins)]  # count, sum of confidences, correct count
    for confidence, right in zip(confidences, correct, strict=True):
        slot = totals[min(int(confidence * bins), bins - 1)]
        slot[0] += 1
        slot[1] += confidence
        slot[2] += bool(right)
    return sum(abs(hits - conf_sum) for count, conf_sum, hits in totals if count) / len(confidences)


def evaluate(gold: Sequence[str], pred: Sequence[str], low: Sequence[str], high: Sequence[str]) -> dict[str, float]:
    """Return accuracy, macro_f1, within1, lenient_accuracy, lenient_macro_f1, a1_recall and c2_recall in one dict."""
    return {
        "accuracy": accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred),
        "within1": within_one_accuracy(gold, pred),
        "lenient_accuracy": lenient_accuracy(low, high, pred),
        "lenient_macro_f1": lenient_macro_f1(low, high, pred),
        "a1_recall": recall(gold, pred, "A1"),
        "c2_recall": recall(gold, pred, "C2"),
    }


def confusion_matrix(gold: Sequence[str], pred: Sequence[str]) -> list[list[int]]:
    """Return a 6x6 count matrix: row = gold level, column = predicted level, both in LEVELS order."""
    _check(gold, pred)
    matrix = [[0] * len(LEVELS) for _ in LEVELS]
    for g, p in zip(gold, pred, strict=True):
        matrix[LEVEL_INDEX[g]][LEVEL_INDEX[p]] += 1
    return matrix


def format_confusion_matrix(matrix: list[list[int]]) -> str:
    """Return the matrix as aligned text with a header row of predicted levels and one line per gold level."""
    width = max(4, *(len(str(count)) + 1 for row in matrix for count in row))
    lines = ["gold\\pred" + "".join(level.rjust(width) for level in LEVELS)]
    for level, row in zip(LEVELS, matrix, strict=True):
        lines.append(level.ljust(9) + "".join(str(count).rjust(width) for count in row))
    return "\n".join(lines)
