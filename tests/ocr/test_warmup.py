"""The ONNX engine's configuration (threads, memory arena) and the warm-up a worker process runs at boot."""

import pytest

from apps.ocr.engines.base import warmup_page
from apps.ocr.engines.onnx import OnnxEngine


def _session_options(engine: OnnxEngine) -> list:
    """The onnxruntime options of the engine's three sessions (rapidocr's objects, read only to check them)."""
    stages = (engine._ocr.text_det, engine._ocr.text_cls, engine._ocr.text_rec)
    return [stage.session.session.get_session_options() for stage in stages]


@pytest.mark.parametrize("arena", [True, False])
def test_the_memory_arena_and_threads_reach_every_session(arena):
    engine = OnnxEngine(threads=1, memory_arena=arena)
    options = _session_options(engine)
    assert len(options) == 3
    assert all(o.enable_cpu_mem_arena is arena and o.intra_op_num_threads == 1 for o in options)


def test_the_warm_up_page_is_real_text_every_model_reads():
    lines = OnnxEngine(threads=1).recognize(warmup_page()).lines
    assert len(lines) == 16 and lines[0].text == "Unit 4: Everyday life"


def test_worker_boot_warms_the_engine_once_per_process(monkeypatch):
    from apps.ocr import pipeline, vocabulary
    from apps.ocr.engines import get_engine

    engine = get_engine()
    calls = []
    real = engine.warm_up
    monkeypatch.setattr(engine, "warm_up", lambda: calls.append(real()))
    monkeypatch.setattr(pipeline, "warmed_up", False)
    for cached in (vocabulary._analyzer, vocabulary.lemma, vocabulary.word_level):
        cached.cache_clear()
    pipeline.warm_up()
    pipeline.warm_up()  # the middleware runs again for every worker started in this process: no second page
    assert len(calls) == 1
    assert vocabulary._analyzer.cache_info().currsize == 1  # the word list is loaded too
