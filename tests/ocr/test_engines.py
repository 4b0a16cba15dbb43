"""Both OCR engines on real images: accuracy against ground truth, boxes, confidences, order, threads."""

import threading
import time

import pytest

from apps.ocr import engines, imaging
from apps.ocr.engines import EngineUnavailable, OcrLine, OcrResult, get_engine
from apps.ocr.evaluation import cer

# Lowercased CER limits: measured value (see ocr_measure) x 1.5, with a floor of 0.02 for images read perfectly.
CER_LIMITS = {
    ("onnx", "tess_phototest.png"): 0.02,
    ("onnx", "uw3_010001.png"): 0.03,
    ("paddle", "tess_phototest.png"): 0.02,
    ("paddle", "uw3_010001.png"): 0.02,
}
ENGINES = ["onnx", "paddle"]


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    return get_engine(request.param)


def _load(images_dir, name):
    return imaging.open_image((images_dir / name).read_bytes())


@pytest.mark.parametrize("name", ["tess_phototest.png", "uw3_010001.png"])
def test_accuracy_boxes_and_confidences(engine, images_dir, name):
    image = _load(images_dir, name)
    result = engine.recognize(image)
    assert isinstance(result, OcrResult) and result.engine == engine.name
    truth = (images_dir / name.replace(".png", ".gt.txt")).read_text()
    assert cer(result.text, truth) < CER_LIMITS[(engine.name, name)], result.text
    assert result.text == "\n".join(line.text for line in result.lines)
    for line in result.lines:
        assert isinstance(line, OcrLine) and line.text.strip()
        assert 0.0 <= line.confidence <= 1.0
        assert len(line.box) == 4
        for x, y in line.box:
            assert isinstance(x, int) and isinstance(y, int)
            assert 0 <= x < image.width and 0 <= y < image.height
        (x0, y0), (x1, _), (_, y2), _ = line.box
        assert x1 > x0 and y2 > y0  # clockwise from the top-left


def test_reading_order_and_spaces(engine, images_dir):
    result = engine.recognize(_load(images_dir, "tess_phototest.png"))
    lines = [line.text.lower() for line in result.lines]
    assert lines[0].startswith("this is a lot of 12 point text")
    assert lines[1].startswith("ocr code and see if it works")
    assert "the quick brown dog jumped over the" in lines
    tops = [line.box[0][1] for line in result.lines]
    assert tops == sorted(tops)


def test_single_line_image_keeps_word_spaces(engine, images_dir):
    text = engine.recognize(_load(images_dir, "uw3_010001.png")).text
    assert "simplified for our purposes" in text


def test_blank_image_gives_no_lines(engine):
    from PIL import Image

    result = engine.recognize(Image.new("RGB", (300, 200), "white"))
    assert result.lines == [] and result.text == ""


def test_concurrent_calls_give_the_same_result(engine, images_dir):
    image = _load(images_dir, "uw3_010003.png")
    expected = engine.recognize(image).text
    outputs: list[str] = []

    def work():
        outputs.append(engine.recognize(image).text)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outputs == [expected] * 3


def test_engine_is_built_once_per_process():
    assert get_engine("onnx") is get_engine("onnx")
    assert get_engine() is get_engine(None)


def test_concurrent_first_calls_build_one_engine(monkeypatch):
    built = []

    def slow_build(name):
        time.sleep(0.2)
        built.append(name)
        return object()

    monkeypatch.setitem(engines._MODULES, "fake", "not.imported")
    monkeypatch.setattr(engines, "_build", slow_build)
    monkeypatch.delitem(engines._engines, "fake", raising=False)
    results = []
    threads = [threading.Thread(target=lambda: results.append(get_engine("fake"))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engines._engines.pop("fake", None)
    assert built == ["fake"]
    assert len({id(r) for r in results}) == 1


def test_unknown_or_missing_engine_is_unavailable(monkeypatch):
    with pytest.raises(EngineUnavailable, match="unknown"):
        get_engine("tesseract")
    monkeypatch.setitem(engines._MODULES, "broken", "apps.ocr.engines.no_such_module")
    with pytest.raises(EngineUnavailable, match="not installed"):
        get_engine("broken")


@pytest.mark.parametrize("name", ENGINES)
def test_engines_build_and_run_without_network(monkeypatch, images_dir, name):
    """A fresh engine (not the cached one) loads only shipped model files: any network use fails this test."""
    import importlib
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    module = importlib.import_module(engines._MODULES[name])
    fresh = module.build(threads=1)
    assert fresh is not get_engine(name)
    assert "assumed" in fresh.recognize(_load(images_dir, "uw3_010003.png")).text
