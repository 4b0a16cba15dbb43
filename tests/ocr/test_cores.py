"""Core leases between OCR worker processes, and the ONNX engine that runs on more threads while cores are free."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from apps.ocr import imaging
from apps.ocr.engines.cores import CoreLeases
from apps.ocr.engines.onnx import ElasticSession, OnnxEngine

HOLDER = textwrap.dedent(
    """
    import sys, time
    from apps.ocr.engines.cores import CoreLeases
    with CoreLeases(sys.argv[1], int(sys.argv[2])).hold(int(sys.argv[3])):
        print("held", flush=True)
        time.sleep(600)
    """
)


@pytest.fixture
def holder(tmp_path):
    """Start a separate process that registers ``count`` of ``cores`` cores in tmp_path until it is killed."""
    procs = []

    def start(cores: int, count: int) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(tmp_path), str(cores), str(count)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=os.getcwd(),
        )
        procs.append(proc)
        assert proc.stdout.readline().strip() == "held"
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait()


def test_holds_always_count_and_borrows_only_fit(tmp_path):
    leases = CoreLeases(tmp_path, 2)
    with leases.hold():
        assert leases.busy() == 1
        with leases.borrow(1) as borrowed:
            assert borrowed and leases.busy() == 2
            with leases.borrow(1) as again:
                assert not again and leases.busy() == 2  # refused at once, nothing registered
        assert leases.busy() == 1
        with leases.borrow(2) as too_many:
            assert not too_many and leases.busy() == 1
        with leases.hold(), leases.hold():
            assert leases.busy() == 3  # holds count however many there are (two OCR pools on two cores)
    assert leases.busy() == 0
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".borrow")]  # every file removed


def _start_worker(leases: CoreLeases, **hold_options) -> tuple[threading.Thread, threading.Event, threading.Event]:
    """A thread that holds a core like a worker starting an image, until its ``stop`` event is set."""
    entered, stop = threading.Event(), threading.Event()

    def work():
        with leases.hold(**hold_options):
            entered.set()
            stop.wait(10)

    thread = threading.Thread(target=work)
    thread.start()
    return thread, entered, stop


def test_a_worker_starting_during_a_borrowed_run_waits_for_it_then_stops_the_borrowing(tmp_path):
    """The bug of the per-core design: the second worker found both cores taken, ran unregistered, and the first
    kept borrowing its core for the rest of its image."""
    leases = CoreLeases(tmp_path, 2)
    with leases.hold():
        with leases.borrow(1) as borrowed:
            assert borrowed
            thread, entered, stop = _start_worker(leases)  # another worker starts an image meanwhile
            time.sleep(0.3)
            assert leases.busy() == 3  # registered at once...
            assert not entered.is_set()  # ...but runs only when the borrowed run is over
        assert entered.wait(2)
        with leases.borrow(1) as again:
            assert not again  # the next model run stays on its own thread
        assert leases.busy() == 2
        stop.set()
        thread.join()


def test_the_wait_for_a_borrowed_run_is_bounded(tmp_path):
    leases = CoreLeases(tmp_path, 2)
    with leases.hold(), leases.borrow(1) as borrowed:
        assert borrowed
        thread, entered, stop = _start_worker(leases, max_wait=0.2)
        assert entered.wait(3)  # a borrower that never finishes cannot stop a worker for good
        stop.set()
        thread.join()


def test_concurrent_borrowers_never_overcommit(tmp_path):
    leases = CoreLeases(tmp_path, 3)
    seen, granted = [], []

    def borrower():
        for _ in range(100):
            with leases.borrow(1) as borrowed:
                if borrowed:
                    granted.append(1)
                    seen.append(leases.busy())

    with leases.hold():
        threads = [threading.Thread(target=borrower) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert granted and max(seen) <= 3


def test_a_dead_workers_registration_is_not_counted_and_is_removed(tmp_path, holder):
    leases = CoreLeases(tmp_path, 2)
    proc = holder(2, 1)
    assert leases.busy() == 1
    with leases.hold(), leases.borrow(1) as borrowed:
        assert not borrowed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while leases.busy() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert leases.busy() == 0  # the kernel dropped the dead worker's lock
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("lease-")]


@pytest.fixture(scope="module")
def page(request):
    from django.conf import settings

    path = settings.SHARED_DIR / "data" / "ocr" / "images" / "tess_phototest.png"
    return imaging.open_image(path.read_bytes())


@pytest.fixture(scope="module")
def narrow_text(page):
    return OnnxEngine(threads=1).recognize(page).text


def test_engine_borrows_free_cores_and_reads_the_same(tmp_path, page, narrow_text):
    leases = CoreLeases(tmp_path, 2)
    engine = OnnxEngine(threads=1, leases=leases)
    sessions = engine._sessions()
    assert len(sessions) == 3 and all(isinstance(s, ElasticSession) for s in sessions)
    before = sum(s.wide_runs for s in sessions)
    result = engine.recognize(page)
    assert result.text == narrow_text
    assert sum(s.wide_runs for s in sessions) > before
    assert leases.busy() == 0  # nothing kept after the call


def test_engine_stays_on_its_own_thread_while_the_other_core_is_busy(tmp_path, holder, page, narrow_text):
    leases = CoreLeases(tmp_path, 2)
    engine = OnnxEngine(threads=1, leases=leases)
    holder(2, 1)
    before = sum(s.wide_runs for s in engine._sessions())
    assert engine.recognize(page).text == narrow_text
    assert sum(s.wide_runs for s in engine._sessions()) == before


def test_no_wide_sessions_without_enough_cores(tmp_path):
    engine = OnnxEngine(threads=1, leases=CoreLeases(tmp_path, 1))
    assert not any(isinstance(s, ElasticSession) for s in engine._sessions())


def test_warm_up_reads_a_page_on_both_sessions_without_registering(tmp_path):
    from apps.ocr.engines.base import warmup_page

    leases = CoreLeases(tmp_path, 2)
    engine = OnnxEngine(threads=1, leases=leases)
    page = warmup_page()
    lines = engine.recognize(page).lines
    assert len(lines) == 16 and lines[0].text == "Unit 4: Everyday life"  # a real page of text: every model runs
    sessions = engine._sessions()
    narrow_runs = []
    for session in sessions:
        session.narrow = _Counting(session.narrow, narrow_runs)
    before = sum(s.wide_runs for s in sessions)
    with leases.hold(2):  # the machine is busy: a recognize would stay narrow, the warm-up still runs both
        engine.warm_up()
        assert leases.busy() == 2
    assert len(narrow_runs) >= 3 and sum(s.wide_runs for s in sessions) - before >= 3
    assert all(s.forced is None for s in sessions)


def test_sessions_share_one_memory_arena(tmp_path):
    engine = OnnxEngine(threads=1, leases=CoreLeases(tmp_path, 2))
    for elastic in engine._sessions():
        for session in (elastic.narrow, elastic.wide):
            options = session.get_session_options()
            assert options.enable_cpu_mem_arena
            assert options.get_session_config_entry("session.use_env_allocators") == "1"


class _Counting:
    def __init__(self, inner, calls):
        self.inner, self.calls = inner, calls

    def run(self, *args, **kwargs):
        self.calls.append(args[1] if len(args) > 1 else kwargs.get("input_feed"))  # the input feed
        return self.inner.run(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def test_worker_boot_warms_the_engine_once_per_process(monkeypatch):
    import actors.ocr
    from apps.ocr import vocabulary
    from apps.ocr.engines import get_engine

    engine = get_engine()
    calls = []
    real = engine.warm_up
    monkeypatch.setattr(engine, "warm_up", lambda: calls.append(real()))
    monkeypatch.setattr(actors.ocr, "_warmed_up", False)
    for cached in (vocabulary._analyzer, vocabulary.lemma, vocabulary.word_level):
        cached.cache_clear()
    actors.ocr.warm_up()
    actors.ocr.warm_up()  # the middleware runs again for every worker started in this process: no second page
    assert len(calls) == 1
    assert vocabulary._analyzer.cache_info().currsize == 1  # the word list is loaded too


def test_a_borrowed_batch_runs_in_two_halves_with_the_same_output(tmp_path):
    import numpy

    engine = OnnxEngine(threads=1, leases=CoreLeases(tmp_path, 2))
    rec = engine._ocr.text_rec.session.session
    assert isinstance(rec, ElasticSession)
    batch = numpy.random.default_rng(7).random((5, 3, 48, 320), dtype=numpy.float32)  # five line crops
    name = rec.narrow.get_inputs()[0].name
    halves = []
    rec.narrow = _Counting(rec.narrow, halves)
    wide = rec.run(None, {name: batch})
    assert [len(feed[name]) for feed in halves] in ([3, 2], [2, 3])  # split, not run on the wide session
    expected = rec.narrow.run(None, {name: batch})
    assert len(wide) == len(expected) and wide[0].shape == expected[0].shape == (5, *expected[0].shape[1:])
    numpy.testing.assert_allclose(wide[0], expected[0], rtol=1e-4, atol=1e-5)
    det = engine._ocr.text_det.session.session
    det.narrow = _Counting(det.narrow, halves)
    image = numpy.random.default_rng(8).random((1, 3, 320, 320), dtype=numpy.float32)
    before = len(halves)
    assert det.run(None, {det.narrow.get_inputs()[0].name: image})[0].shape[0] == 1
    assert len(halves) == before and det.wide_runs >= 1  # one image: the wide session
