"""The micro-batcher gathers concurrent callers into one forward pass and gives each caller its own results."""

import threading
import time

import pytest

from apps.cefr.batcher import MicroBatcher


class CountingPredict:
    """A stand-in ``predict`` that records each batch it is given (the batcher is model-agnostic)."""

    def __init__(self, delay: float = 0.0):
        self.batches: list[list[str]] = []
        self.delay = delay

    def __call__(self, texts: list[str]) -> list[str]:
        self.batches.append(list(texts))
        time.sleep(self.delay)
        return [text.upper() for text in texts]


def test_concurrent_callers_share_one_forward_pass_and_get_their_own_results():
    predict = CountingPredict()
    batcher = MicroBatcher(predict, max_batch=32, max_wait_ms=200)
    results: dict[int, list[str]] = {}

    def caller(n: int) -> None:
        results[n] = batcher.classify([f"text {n}a", f"text {n}b"])

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: [f"TEXT {n}A", f"TEXT {n}B"] for n in range(6)}
    assert len(predict.batches) == 1 and len(predict.batches[0]) == 12


def test_a_batch_never_exceeds_the_maximum_size():
    predict = CountingPredict()
    batcher = MicroBatcher(predict, max_batch=4, max_wait_ms=100)
    assert batcher.classify([str(i) for i in range(10)]) == [str(i) for i in range(10)]
    assert [len(b) for b in predict.batches] == [4, 4, 2]


def test_a_lone_request_waits_at_most_the_maximum_wait():
    predict = CountingPredict()
    batcher = MicroBatcher(predict, max_batch=32, max_wait_ms=30)
    started = time.monotonic()
    batcher.classify(["only one"])
    assert time.monotonic() - started < 1.0
    assert predict.batches == [["only one"]]


def test_a_model_error_reaches_every_caller_of_the_batch_and_the_batcher_keeps_working():
    calls = []

    def flaky(texts: list[str]) -> list[str]:
        calls.append(texts)
        if len(calls) == 1:
            raise RuntimeError("out of memory")
        return texts

    batcher = MicroBatcher(flaky, max_batch=8, max_wait_ms=5)
    with pytest.raises(RuntimeError, match="out of memory"):
        batcher.classify(["a", "b"])
    assert batcher.classify(["c"]) == ["c"]


def test_without_a_wait_a_lone_text_runs_at_once_and_texts_arriving_meanwhile_form_the_next_batch():
    predict = CountingPredict(delay=0.2)
    batcher = MicroBatcher(predict, max_batch=32, max_wait_ms=0)
    started = time.perf_counter()
    assert batcher.classify(["alone"]) == ["ALONE"]
    assert time.perf_counter() - started < 0.35  # one forward pass, no gathering delay
    first = batcher.submit(["first"])  # the model thread takes it at once and is busy for 0.2 s
    time.sleep(0.05)
    later = [batcher.submit([f"later {n}"]) for n in range(5)]  # queued while the model runs
    assert [f.result(5) for f in first] == ["FIRST"]
    assert [f.result(5) for fs in later for f in fs] == [f"LATER {n}" for n in range(5)]
    assert [len(b) for b in predict.batches] == [1, 1, 5]
