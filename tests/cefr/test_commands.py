"""Management commands: cefr_eval's report and last line, the cefr command's JSON lines and its errors."""

import csv
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.cefr.levels import LEVELS
from apps.cefr.metrics import accuracy

LAST_LINE = re.compile(
    r"^accuracy=\d\.\d{3} macro_f1=\d\.\d{3} within1=\d\.\d{3} lenient_accuracy=\d\.\d{3} "
    r"lenient_macro_f1=\d\.\d{3} a1_recall=\d\.\d{3} c2_recall=\d\.\d{3} ece=\d\.\d{3}$"
)
ROOT = Path(__file__).resolve().parents[2]


def _dev_sample(per_level: int = 4) -> list[dict[str, str]]:
    """A few rows of every level from the shared dev split, in file order."""
    with open(Path(settings.SHARED_DIR) / "data" / "cefr" / "dev.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row for level in LEVELS for row in [r for r in rows if r["level"] == level][:per_level]]


def _write(path: Path, rows: list[dict[str, str]], columns: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _run(*args) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().rstrip("\n").splitlines()


def test_cefr_eval_reports_and_ends_with_the_summary_line(tmp_path: Path):
    rows = _dev_sample()
    lines = _run("cefr_eval", str(_write(tmp_path / "dev.csv", rows, ["text", "level"])))
    assert LAST_LINE.match(lines[-1]), lines[-1]
    assert any("level_low = one level below" in line for line in lines)
    assert any(line.startswith("lenient macro-F1:") for line in lines)
    # The reported accuracy is the model's own accuracy on these rows.
    from apps.cefr.model import CefrModel

    predicted = [r["level"] for r in CefrModel.load().predict([row["text"] for row in rows])]
    expected = accuracy([row["level"] for row in rows], predicted)
    assert lines[-1].startswith(f"accuracy={expected:.3f} ")
    summary = dict(pair.split("=") for pair in lines[-1].split())
    assert float(summary["within1"]) >= expected
    assert any(line.startswith("ECE (10 bins, top class):") for line in lines)
    assert any(line.startswith("A1 recall:") for line in lines)


def test_cefr_eval_uses_annotator_columns_when_present(tmp_path: Path):
    rows = [{**row, "level_low": row["level"], "level_high": row["level"]} for row in _dev_sample(2)]
    path = _write(tmp_path / "annotated.csv", rows, ["text", "level", "level_low", "level_high"])
    lines = _run("cefr_eval", str(path))
    assert any("use the file's level_low/level_high" in line for line in lines)
    # Both annotators equal to `level`: lenient accuracy must equal strict accuracy.
    strict = next(line for line in lines if line.startswith("accuracy (strict)")).split()[-1]
    lenient = next(line for line in lines if line.startswith("lenient accuracy")).split()[-1]
    assert lenient == strict
    assert LAST_LINE.match(lines[-1])


def test_cefr_eval_errors(tmp_path: Path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("cefr_eval", str(tmp_path / "missing.csv"))
    path = _write(tmp_path / "ok.csv", _dev_sample(1), ["text", "level"])
    with pytest.raises(CommandError, match="does not exist"):
        call_command("cefr_eval", str(path), "--model", str(tmp_path / "no-model"))


def test_cefr_prints_one_json_object_per_sentence():
    texts = ["I like apples.", "The ramifications of the legislation were scrutinised by constitutional scholars."]
    lines = _run("cefr", *texts)
    assert len(lines) == len(texts)
    for text, line in zip(texts, lines, strict=True):
        item = json.loads(line)
        assert set(item) == {"text", "level", "scores"}
        assert item["text"] == text
        assert item["level"] in LEVELS
        assert list(item["scores"]) == list(LEVELS)
        assert sum(item["scores"].values()) == pytest.approx(1.0, abs=1e-3)


def test_cefr_rejects_blank_text():
    with pytest.raises(CommandError, match="empty"):
        call_command("cefr", "A fine sentence.", "   ")


def test_cefr_blank_text_exits_non_zero():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings"}
    done = subprocess.run(
        [sys.executable, "manage.py", "cefr", " "], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "empty" in done.stderr
    assert done.stdout == ""
