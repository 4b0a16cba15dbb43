"""ONNX Runtime serves the committed model with torch's levels; its export is made once per weights and reused."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytest.importorskip("torch")
pytest.importorskip("onnxruntime")

from apps.cefr.inference import ModelUnavailable  # noqa: E402
from apps.cefr.model import CefrModel, default_model_path  # noqa: E402
from apps.cefr.onnx_runtime import OnnxCefrModel, ensure_onnx, onnx_file, providers_for  # noqa: E402
from apps.cefr.serving import load_model  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_model(onnx_cache) -> OnnxCefrModel:
    return OnnxCefrModel.load(default_model_path(), onnx_cache)


@pytest.fixture(scope="module")
def torch_model() -> CefrModel:
    return CefrModel.load(default_model_path(), threads=1)


def _dev_texts(count: int) -> list[str]:
    with open(Path(settings.SHARED_DIR) / "data" / "cefr" / "dev.csv", newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle)][:count]


def test_onnx_and_torch_give_the_same_levels_and_scores_on_dev_sentences(onnx_model, torch_model):
    texts = _dev_texts(48)
    for batch in (texts[:1], texts[1:33], texts[33:]):
        for ours, theirs in zip(onnx_model.predict(batch), torch_model.predict(batch), strict=True):
            assert ours["level"] == theirs["level"]
            assert ours["scores"] == pytest.approx(theirs["scores"], abs=1e-4)


def test_the_export_is_made_once_and_reused(onnx_model, onnx_cache):
    path = onnx_model.onnx_path
    assert path == onnx_file(default_model_path(), onnx_cache) and path.is_file()
    written = path.stat().st_mtime_ns
    again, exported = ensure_onnx(default_model_path(), onnx_cache)
    assert (again, exported) == (path, False) and path.stat().st_mtime_ns == written
    assert [p.name for p in onnx_cache.iterdir() if p.suffix == ".onnx"] == [path.name]  # no temporary left behind


def test_new_weights_or_config_get_their_own_export(tmp_path):
    source = default_model_path()
    folder = tmp_path / "model"
    folder.mkdir()
    for item in source.iterdir():
        (folder / item.name).symlink_to(item)
    (folder / "config.json").unlink()
    config = json.loads((source / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "cefr_temperature": 1.5}))
    assert onnx_file(folder, tmp_path) != onnx_file(source, tmp_path)


def test_an_export_for_new_weights_clears_leftovers_and_keeps_one_older_export(onnx_model, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    for age, name in enumerate(["cefr-oldest.onnx", "cefr-older.onnx", ".cefr-dead.onnx.123.tmp"]):
        (cache / name).write_bytes(b"x")
        os.utime(cache / name, ns=(age * 10**9, age * 10**9))
    (cache / onnx_file(default_model_path(), cache).name).symlink_to(onnx_model.onnx_path)
    assert ensure_onnx(default_model_path(), cache)[1] is False  # found: nothing is exported or deleted
    assert len(list(cache.iterdir())) == 4
    (cache / onnx_file(default_model_path(), cache).name).unlink()
    assert ensure_onnx(default_model_path(), cache)[1] is True
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [".export.lock", "cefr-older.onnx", onnx_file(default_model_path(), cache).name]
    )


def test_workers_starting_together_export_once(tmp_path):
    script = (
        "import sys; from pathlib import Path; from apps.cefr.onnx_runtime import ensure_onnx; "
        "print(ensure_onnx(Path(sys.argv[1]), Path(sys.argv[2]))[1])"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", script, str(default_model_path()), str(tmp_path)]
    workers = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=300)[0].strip().splitlines()[-1] for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    assert sorted(outputs) == ["False", "True"]  # one exported, the other waited and loaded its file
    assert len(list(tmp_path.glob("*.onnx"))) == 1 and not list(tmp_path.glob(".*.tmp"))


def test_auto_serves_with_onnx_on_the_cpu_and_torch_when_asked(onnx_cache):
    assert load_model(default_model_path(), onnx_cache, device="cpu").runtime == "onnx"
    model = load_model(default_model_path(), onnx_cache, device="cpu", runtime="torch")
    assert model.runtime == "torch" and model.predict(["I have a cat."])[0]["level"] in ("A1", "A2")


def test_auto_falls_back_to_torch_when_onnx_cannot_serve_and_onnx_says_why(tmp_path):
    not_a_folder = tmp_path / "cache"
    not_a_folder.write_text("a file where the cache folder should be")
    assert load_model(default_model_path(), not_a_folder, device="cpu").runtime == "torch"
    with pytest.raises(ModelUnavailable, match="cannot be exported to ONNX|cache"):
        load_model(default_model_path(), not_a_folder, device="cpu", runtime="onnx")
    with pytest.raises(ModelUnavailable, match="CEFR_RUNTIME 'tensorflow'"):
        load_model(default_model_path(), tmp_path, runtime="tensorflow")


def test_onnx_on_a_gpu_needs_the_cuda_provider():
    import onnxruntime

    assert providers_for("cpu") == ["CPUExecutionProvider"]
    if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():  # the CPU package (this machine)
        with pytest.raises(ModelUnavailable, match="no CUDA provider"):
            providers_for("cuda:0")
    with pytest.raises(ModelUnavailable, match="not a device ONNX Runtime can use"):
        providers_for("tpu")
