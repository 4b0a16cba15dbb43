"""The committed CEFR model: loads, ranks easy below hard sentences, returns distributions; broken folders fail."""

import shutil
from pathlib import Path

import pytest

from apps.cefr.levels import LEVELS, expected_level

model_module = pytest.importorskip("apps.cefr.model")
CefrModel, ModelUnavailable = model_module.CefrModel, model_module.ModelUnavailable

EASY = ["I have a cat.", "This is my mother.", "We play football on Sunday."]
HARD = [
    "The committee's deliberations were predicated on an ostensibly comprehensive yet methodologically contested "
    "appraisal of the socioeconomic ramifications.",
    "Notwithstanding considerable empirical scrutiny, the epistemological underpinnings of the hypothesis remain "
    "largely unsubstantiated.",
]


@pytest.fixture(scope="module")
def model():
    return CefrModel.load(model_module.default_model_path())


def test_default_path_follows_the_setting(settings):
    settings.CEFR_MODEL_DIR = "/somewhere/else"
    assert model_module.default_model_path() == Path("/somewhere/else")
    del settings.CEFR_MODEL_DIR
    assert model_module.default_model_path() == Path(settings.BASE_DIR) / "models" / "cefr-minilm"


def test_easy_sentences_score_lower_than_academic_ones(model):
    results = model.predict(EASY + HARD)
    easy = [expected_level(r["scores"]) for r in results[: len(EASY)]]
    hard = [expected_level(r["scores"]) for r in results[len(EASY) :]]
    # Expected level: 0.0 = A1 ... 5.0 = C2. The two groups must be at least two levels apart.
    assert min(hard) - max(easy) >= 2.0, (easy, hard)
    assert all(r["level"] in ("A1", "A2", "B1") for r in results[: len(EASY)])
    assert all(r["level"] in ("B2", "C1", "C2") for r in results[len(EASY) :])


def test_scores_are_a_distribution_in_level_order(model):
    for result in model.predict(EASY + HARD):
        assert list(result["scores"]) == list(LEVELS)
        assert sum(result["scores"].values()) == pytest.approx(1.0, abs=1e-5)
        assert all(0.0 <= p <= 1.0 for p in result["scores"].values())
        assert result["level"] == max(result["scores"], key=result["scores"].get)


def test_batch_and_single_predictions_agree(model):
    batch = model.predict(EASY + HARD)
    single = model.predict([HARD[0]])[0]
    assert single["level"] == batch[len(EASY)]["level"]
    for level in LEVELS:
        assert single["scores"][level] == pytest.approx(batch[len(EASY)]["scores"][level], abs=1e-4)


def test_long_text_is_truncated_not_rejected(model):
    assert model.max_length == 96
    [result] = model.predict(["word " * 1000])
    assert result["level"] in LEVELS


def test_empty_input(model):
    assert model.predict([]) == []
    with pytest.raises(ValueError, match="empty"):
        model.predict(["fine", "   "])


def test_missing_folder_raises_model_unavailable(tmp_path: Path):
    missing = tmp_path / "nope"
    with pytest.raises(ModelUnavailable, match=r"does not exist.*build_cefr_model") as info:
        CefrModel.load(missing)
    assert str(missing) in str(info.value)


def _copy_without_weights(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("model.safetensors"))
    return target


def test_missing_weights_file_raises(tmp_path: Path):
    folder = _copy_without_weights(model_module.default_model_path(), tmp_path / "m")
    with pytest.raises(ModelUnavailable, match="incomplete: missing model.safetensors"):
        CefrModel.load(folder)


def test_corrupt_weights_raise(tmp_path: Path):
    folder = _copy_without_weights(model_module.default_model_path(), tmp_path / "m")
    (folder / "model.safetensors").write_bytes(b"\x00garbage, not a safetensors file" * 10)
    with pytest.raises(ModelUnavailable, match="corrupt or unreadable"):
        CefrModel.load(folder)


def test_corrupt_config_raises(tmp_path: Path):
    source = model_module.default_model_path()
    folder = _copy_without_weights(source, tmp_path / "m")
    (folder / "model.safetensors").symlink_to(source / "model.safetensors")
    (folder / "config.json").write_text("{not json")
    with pytest.raises(ModelUnavailable, match="corrupt or unreadable"):
        CefrModel.load(folder)


def test_the_device_setting_resolves_to_what_torch_can_use(model):
    torch = pytest.importorskip("torch")
    resolve = model_module.resolve_device
    assert resolve("cpu") == torch.device("cpu") and model.device.type == "cpu"
    assert resolve("auto") == torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if not torch.cuda.is_available():  # this machine: asking for a GPU is a clear load error, not a crash later
        with pytest.raises(ModelUnavailable, match="sees no CUDA GPU"):
            CefrModel.load(model_module.default_model_path(), device="cuda")
    with pytest.raises(ModelUnavailable, match="not a torch device"):
        resolve("gpu-please")
