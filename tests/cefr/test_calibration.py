"""Scores are softmax(logits / T) with the model folder's ``cefr_temperature``, in torch and in ONNX Runtime."""

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("onnxruntime")

from apps.cefr.inference import ModelUnavailable, read_config  # noqa: E402
from apps.cefr.model import CefrModel, default_model_path  # noqa: E402
from apps.cefr.onnx_runtime import OnnxCefrModel  # noqa: E402

TEXTS = ["I have a cat.", "We went to the market and bought some apples.", "The results were inconclusive."]


def _with_config(tmp_path: Path, **changes) -> Path:
    """A copy of the committed model folder (files linked) whose config.json has ``changes``."""
    source, folder = default_model_path(), tmp_path / "model"
    folder.mkdir()
    for item in source.iterdir():
        if item.name != "config.json":
            (folder / item.name).symlink_to(item)
    config = {**json.loads((source / "config.json").read_text()), **changes}
    (folder / "config.json").write_text(json.dumps({k: v for k, v in config.items() if v is not None}))
    return folder


def _softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    """The committed model without a temperature (whatever the committed config.json says)."""
    return CefrModel.load(_with_config(tmp_path_factory.mktemp("plain"), cefr_temperature=None), threads=1)


@pytest.mark.parametrize("runtime", ["torch", "onnx"])
def test_the_temperature_flattens_the_scores_and_keeps_the_levels(tmp_path, plain, runtime):
    folder = _with_config(tmp_path, cefr_temperature=2.5)
    model = CefrModel.load(folder, threads=1) if runtime == "torch" else OnnxCefrModel.load(folder, tmp_path / "c")
    assert model.temperature == 2.5
    logits = plain.logits(TEXTS)
    for row, result, before in zip(logits, model.predict(TEXTS), plain.predict(TEXTS), strict=True):
        assert list(result["scores"].values()) == pytest.approx(list(_softmax(row / 2.5)), abs=1e-4)
        assert result["level"] == before["level"]
        assert max(result["scores"].values()) < max(before["scores"].values())  # less sure at T > 1


def test_without_a_temperature_scores_are_the_plain_softmax(plain):
    assert plain.temperature == 1.0
    for row, result in zip(plain.logits(TEXTS), plain.predict(TEXTS), strict=True):
        assert list(result["scores"].values()) == pytest.approx(list(_softmax(row)), abs=1e-5)


def test_the_committed_temperature_is_served(plain):
    served = CefrModel.load(default_model_path(), threads=1)
    assert served.temperature == read_config(default_model_path()).temperature
    for row, result in zip(plain.logits(TEXTS), served.predict(TEXTS), strict=True):
        assert list(result["scores"].values()) == pytest.approx(list(_softmax(row / served.temperature)), abs=1e-5)


@pytest.mark.parametrize("bad", [0, -1.0, "warm", True, float("inf")])
def test_a_temperature_that_is_not_a_positive_number_is_refused(tmp_path, bad):
    folder = _with_config(tmp_path, cefr_temperature=bad)
    with pytest.raises(ModelUnavailable, match="cefr_temperature"):
        read_config(folder)
