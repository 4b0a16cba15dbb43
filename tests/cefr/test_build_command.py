"""build_cefr_model end to end on a tiny sample: the folder it writes loads and classifies, and a seed reproduces it."""

import csv
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.cefr.levels import LEVELS

pytest.importorskip("torch")

COLUMNS = ["text", "level", "level_low", "level_high"]


def _sample(split: str, per_level: int, tmp_path: Path) -> Path:
    """Write the first ``per_level`` rows of every level of a shared CEFR split to a CSV; return its path."""
    with open(Path(settings.SHARED_DIR) / "data" / "cefr" / f"{split}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    picked = [row for level in LEVELS for row in [r for r in rows if r["level"] == level][:per_level]]
    path = tmp_path / f"{split}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(picked)
    return path


def _build(tmp_path: Path, out: Path, seed: int) -> str:
    stdout = StringIO()
    call_command(
        "build_cefr_model",
        "--train",
        str(_sample("train", 4, tmp_path)),
        "--dev",
        str(_sample("dev", 2, tmp_path)),
        "--out",
        str(out),
        "--epochs",
        "1",
        "--average-last",
        "0",
        "--pair-mass",
        "0.25",
        "--seed",
        str(seed),
        stdout=stdout,
    )
    return stdout.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    tmp_path = tmp_path_factory.mktemp("build")
    out = tmp_path / "model"
    return out, _build(tmp_path, out, seed=3)


def test_a_built_model_loads_and_classifies(built):
    from apps.cefr.model import CefrModel

    out, stdout = built
    results = CefrModel.load(out).predict(["I like apples.", "Notwithstanding the caveats, the thesis holds."])
    assert [result["level"] in LEVELS for result in results] == [True, True]
    assert all(sum(result["scores"].values()) == pytest.approx(1.0, abs=1e-4) for result in results)
    assert "dev ECE" in stdout


def test_the_folder_has_a_temperature_a_card_and_small_weights(built):
    out, _ = built
    config = json.loads((out / "config.json").read_text())
    assert 0.05 <= config["cefr_temperature"] <= 20.0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["recipe"]["pair_mass"] == 0.25
    assert metrics["recipe"]["seed"] == 3
    assert metrics["calibration"]["temperature"] == config["cefr_temperature"]
    assert {"a1_recall", "c2_recall", "ece", "lenient_macro_f1"} <= set(metrics["dev"])
    card = (out / "README.md").read_text()
    assert "cefr_temperature" in card and "CC BY-NC-SA 4.0" in card and "A1 recall" in card
    assert (out / "model.safetensors").stat().st_size < 80 * 1000 * 1000


def test_the_same_seed_builds_the_same_weights_and_another_does_not(built, tmp_path, capsys):
    out, _ = built
    weights = (out / "model.safetensors").read_bytes()
    again = tmp_path / "again"
    shutil.copytree(out, again)
    _build(tmp_path, again, seed=3)  # replaces the model in `again`, scoring it first for the card
    assert (again / "model.safetensors").read_bytes() == weights
    assert "epoch 1/1" in capsys.readouterr().err  # the tqdm progress bar
    previous = json.loads((again / "metrics.json").read_text())["previous"]
    # The model it replaced (the same weights) scores the same on the same dev rows.
    assert previous["dev"]["accuracy"] == json.loads((out / "metrics.json").read_text())["dev"]["accuracy"]
    assert "previous model" in (again / "README.md").read_text()
    _build(tmp_path, tmp_path / "other", seed=4)
    assert (tmp_path / "other" / "model.safetensors").read_bytes() != weights


def test_calibrating_again_keeps_the_temperature_and_refreshes_the_card(built, tmp_path):
    out, _ = built
    folder = tmp_path / "calibrated"
    shutil.copytree(out, folder)
    before = json.loads((folder / "config.json").read_text())["cefr_temperature"]
    stdout = StringIO()
    call_command(
        "calibrate_cefr_model", "--model", str(folder), "--dev", str(_sample("dev", 2, tmp_path)), stdout=stdout
    )
    assert json.loads((folder / "config.json").read_text())["cefr_temperature"] == pytest.approx(before, rel=1e-3)
    assert "re-scored" in (folder / "README.md").read_text()
    assert stdout.getvalue().rstrip().splitlines()[-1].startswith("cefr_temperature ")


def test_the_card_lists_other_recipes_compared(built):
    from apps.cefr.model_card import model_card

    out, _ = built
    info = json.loads((out / "metrics.json").read_text())
    assert "Recipes compared" not in model_card(info)
    info["experiments"] = [{"name": "pair 0.1", "command": "build_cefr_model --pair-mass 0.1", "dev": info["dev"]}]
    card = model_card(info)
    assert "## Recipes compared" in card
    assert f"| pair 0.1 | {info['dev']['accuracy']:.3f} |" in card
