"""Core leases between OCR worker processes, and the ONNX engine that runs on more threads while cores are free."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from apps.ocr import imaging
from apps.ocr.engines.cores import CoreLeases
from apps.ocr.engines.onnx import ElasticSession, OnnxEngine

HOLDER = textwrap.dedent(
    """
    import sys, time
    from apps.ocr.engines.cores import CoreLeases
    with CoreLeases(sys.argv[1], int(sys.argv[2])).hold(int(sys.argv[3])) as held:
        print(held, flush=True)
        time.sleep(600)
    """
)


@pytest.fixture
def holder(tmp_path):
    """Start a separate process that holds ``count`` of ``cores`` leases in tmp_path until it is killed."""
    procs = []

    def start(cores: int, count: int) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(tmp_path), str(cores), str(count)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=os.getcwd(),
        )
        procs.append(proc)
        assert proc.stdout.readline().strip() == str(count)
        return proc

    yield start
    for proc in procs:
        proc.kill()
        proc.wait()


def test_leases_are_exclusive_and_never_wait(tmp_path):
    leases = CoreLeases(tmp_path, 2)
    with leases.hold() as held:
        assert held == 1 and leases.busy() == 1
        with leases.borrow(1) as borrowed:
            assert borrowed and leases.busy() == 2
            with leases.borrow(1) as again, leases.hold() as none_left:
                assert not again and none_left == 0  # all taken: told at once, nothing held
        assert leases.busy() == 1
        with leases.borrow(2) as too_many:
            assert not too_many and leases.busy() == 1  # a partial borrow is given back
    assert leases.busy() == 0


def test_another_process_lease_is_seen_and_freed_when_it_dies(tmp_path, holder):
    leases = CoreLeases(tmp_path, 2)
    proc = holder(2, 1)
    assert leases.busy() == 1
    with leases.hold() as held, leases.borrow(1) as borrowed:
        assert held == 1 and not borrowed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while leases.busy() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert leases.busy() == 0  # the kernel dropped the dead worker's lock


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
    sessions = _sessions(engine)
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
    before = sum(s.wide_runs for s in _sessions(engine))
    assert engine.recognize(page).text == narrow_text
    assert sum(s.wide_runs for s in _sessions(engine)) == before


def test_no_wide_sessions_without_enough_cores(tmp_path):
    engine = OnnxEngine(threads=1, leases=CoreLeases(tmp_path, 1))
    assert not any(isinstance(s, ElasticSession) for s in _sessions(engine))


def _sessions(engine):
    return [getattr(engine._ocr, stage).session.session for stage in ("text_det", "text_cls", "text_rec")]
