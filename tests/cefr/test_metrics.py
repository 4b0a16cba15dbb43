"""Metric functions on small hand-computed examples; the CSV reader's lenient defaults; no torch in light modules."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from apps.cefr import metrics
from apps.cefr.data import read_labelled_csv
from apps.cefr.levels import LEVELS, expected_level, level_below, level_index

GOLD = ["A1", "A2", "B1", "B1", "C2", "B2"]
PRED = ["A1", "B1", "B1", "B2", "B2", "B1"]


def test_accuracy_and_within_one():
    assert metrics.accuracy(GOLD, PRED) == pytest.approx(2 / 6)
    # Only C2 -> B2 is two levels away.
    assert metrics.within_one_accuracy(GOLD, PRED) == pytest.approx(5 / 6)


def test_macro_f1_averages_levels_that_occur():
    per_level = metrics.f1_per_level(GOLD, PRED)
    assert per_level == {"A1": 1.0, "A2": 0.0, "B1": pytest.approx(0.4), "B2": 0.0, "C1": None, "C2": 0.0}
    assert metrics.macro_f1(GOLD, PRED) == pytest.approx(1.4 / 5)


def test_perfect_predictions_score_one():
    assert metrics.accuracy(LEVELS, LEVELS) == 1.0
    assert metrics.macro_f1(LEVELS, LEVELS) == 1.0


def test_lenient_without_annotator_columns_takes_one_level_below(tmp_path: Path):
    path = tmp_path / "plain.csv"
    path.write_text("text,level\n" + "".join(f"sentence {i},{level}\n" for i, level in enumerate(GOLD)))
    data = read_labelled_csv(path)
    assert not data.annotator_columns
    low = [row.level_low for row in data.rows]
    high = [row.level_high for row in data.rows]
    assert low == ["A1", "A1", "A2", "A2", "C1", "B1"]
    assert high == GOLD
    # Right: A1 (exact), B1 (exact), B1 for B2 (lower annotator). Wrong ones are scored against the nearer level.
    assert metrics.lenient_gold(low, high, PRED) == ["A1", "A2", "B1", "B1", "C1", "B1"]
    assert metrics.lenient_accuracy(low, high, PRED) == pytest.approx(3 / 6)
    # F1: A1 1, A2 0, B1 2*2/(3+3), B2 0 (predicted twice, never gold), C1 0; C2 occurs nowhere.
    assert metrics.lenient_macro_f1(low, high, PRED) == pytest.approx((1 + 0 + 4 / 6 + 0 + 0) / 5)


def test_lenient_with_annotator_columns_uses_them(tmp_path: Path):
    path = tmp_path / "annotated.csv"
    low = ["A1", "A2", "B1", "A2", "C2", "B2"]
    high = ["A1", "B1", "B1", "B1", "C2", "B2"]
    rows = "".join(f"s{i},{h},{lo},{h}\n" for i, (lo, h) in enumerate(zip(low, high, strict=True)))
    path.write_text("text,level,level_low,level_high\n" + rows)
    data = read_labelled_csv(path)
    assert data.annotator_columns
    assert [row.level_low for row in data.rows] == low
    # B1 for (A2, B1) counts; B1 for (B2, B2) does not (the annotators agreed on B2).
    assert metrics.lenient_gold(low, high, PRED) == ["A1", "B1", "B1", "B1", "C2", "B2"]
    assert metrics.lenient_accuracy(low, high, PRED) == pytest.approx(3 / 6)
    assert metrics.lenient_macro_f1(low, high, PRED) == pytest.approx((1 + 4 / 6 + 0 + 0) / 4)


def test_evaluate_bundles_all_seven():
    low = [level_below(level) for level in GOLD]
    result = metrics.evaluate(GOLD, PRED, low, GOLD)
    expected = {"accuracy", "macro_f1", "within1", "lenient_accuracy", "lenient_macro_f1", "a1_recall", "c2_recall"}
    assert set(result) == expected
    assert result["accuracy"] == pytest.approx(2 / 6)
    assert result["lenient_accuracy"] == pytest.approx(3 / 6)


def test_confusion_matrix_counts_and_text():
    matrix = metrics.confusion_matrix(GOLD, PRED)
    assert sum(map(sum, matrix)) == len(GOLD)
    assert matrix[level_index("B1")] == [0, 0, 1, 1, 0, 0]
    assert matrix[level_index("C2")][level_index("B2")] == 1
    lines = metrics.format_confusion_matrix(matrix).splitlines()
    assert lines[0].split()[1:] == list(LEVELS)
    assert lines[3].split() == ["B1", "0", "0", "1", "1", "0", "0"]


@pytest.mark.parametrize(
    ("gold", "pred"),
    [([], []), (["A1"], ["A1", "A2"]), (["A1"], ["D1"])],
)
def test_bad_input_raises(gold, pred):
    with pytest.raises(ValueError):
        metrics.accuracy(gold, pred)


def test_reader_rejects_bad_rows(tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text("text,level\nfine,B1\n   ,B2\n")
    with pytest.raises(ValueError, match="empty text"):
        read_labelled_csv(path)
    path.write_text("text,level\nfine,B7\n")
    with pytest.raises(ValueError, match="unknown CEFR level"):
        read_labelled_csv(path)
    path.write_text("sentence,level\nfine,B1\n")
    with pytest.raises(ValueError, match="missing column"):
        read_labelled_csv(path)


def test_level_helpers():
    assert level_below("A1") == "A1"
    assert level_below(" c2 ") == "C1"
    assert expected_level({"A1": 0.5, "A2": 0.5}) == pytest.approx(0.5)


def test_light_modules_do_not_import_torch():
    """The web process imports the app, its metrics and commands' modules; none of that may pull in torch."""
    code = (
        "import sys, django; django.setup(); "
        "import apps.cefr, apps.cefr.apps, apps.cefr.metrics, apps.cefr.levels, apps.cefr.data, apps.cefr.evaluation; "
        "import apps.cefr.management.commands.cefr, apps.cefr.management.commands.cefr_eval; "
        "print('torch' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings"}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_recall_of_a_level():
    assert metrics.recall(GOLD, PRED, "A1") == 1.0
    assert metrics.recall(GOLD, PRED, "B1") == 0.5
    assert metrics.recall(GOLD, PRED, "C2") == 0.0
    assert metrics.recall(GOLD, PRED, "C1") == 0.0  # no C1 in gold


def test_expected_calibration_error_by_hand():
    # Bin 0.9-1.0: confidences 0.95 and 1.0, one right -> |1 - 1.95| = 0.95; bin 0.6-0.7: 0.65, right -> 0.35.
    ece = metrics.expected_calibration_error([0.95, 1.0, 0.65], [True, False, True])
    assert ece == pytest.approx((0.95 + 0.35) / 3)
    assert metrics.expected_calibration_error([0.8, 0.8, 0.8, 0.8, 0.8], [True] * 4 + [False]) == pytest.approx(0)
    with pytest.raises(ValueError):
        metrics.expected_calibration_error([], [])


def test_evaluate_reports_rare_level_recall():
    result = metrics.evaluate(GOLD, PRED, GOLD, GOLD)
    assert result["a1_recall"] == 1.0
    assert result["c2_recall"] == 0.0
