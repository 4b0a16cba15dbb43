"""Machine-wide core accounting, so an OCR engine can use a core that no other OCR worker is using at that moment.

Each OCR worker process runs one single-threaded engine per core, which is right while every core has an image to
work on, and wasteful at the end of a burst: the last image runs on one core while the others idle (with 5 images
on 2 cores, a sixth of the burst's core time). So an engine registers the cores it uses while it recognises an
image (``hold``) and, before each model run, asks for more (``borrow``): if the registered total leaves enough cores
free at that moment, the run goes to a session with more intra-op threads. A borrow that does not fit is refused
at once, and a worker always registers and runs on its own thread (the one the process manager started for that
core), so the worst case is the plain design's.

Every registration counts, including one made while others had borrowed every core: the borrowers then see the
machine as full at their next model run and go back to their own thread. The worker that registered waits for the
borrowed run in flight to end first (at most one model run, about a second for a page's detection), because the
borrower is running on that worker's core meanwhile: starting at once would put three threads on two cores.
(An earlier design kept one lease file per core; a worker that found them all borrowed ran unregistered, the
borrower never saw it and kept both cores for the rest of its image, and the images of a burst ran 1.3-1.6x
slower than alone.)

A registration is a file in ``OCR_CORE_LEASE_DIR`` (local to the machine, like the cores) named with its core count
and held under an exclusive ``flock``. The kernel drops the lock when the process dies, so a killed worker's file is
seen as unheld, not counted, and removed by the next count. Borrow decisions are serialised by a second ``flock``
held for the microseconds of one count, so two borrowers cannot both take the last free core.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

HOLD, BORROW = "hold-", "borrow-"
WAIT_POLL_SECONDS = 0.005


class CoreLeases:
    """Registrations of the cores of one machine in ``directory``: ``hold`` always registers, ``borrow`` if it fits."""

    def __init__(self, directory: str | os.PathLike, cores: int):
        self.directory = Path(directory)
        self.cores = max(1, cores)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._mutex = self.directory / ".borrow"

    def _register(self, kind: str, count: int) -> tuple[str, int]:
        """Create and lock a registration (``HOLD`` or ``BORROW``) of ``count`` cores; return its path and
        descriptor."""
        token = f"{os.getpid()}-{secrets.token_hex(6)}"
        staging = os.path.join(self.directory, f".new-{token}")
        fd = os.open(staging, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)  # a new file nobody else has open: never blocks
        path = os.path.join(self.directory, f"{kind}{token}-{count}")
        os.rename(staging, path)  # counted only once locked
        return path, fd

    @staticmethod
    def _release(path: str, fd: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.close(fd)  # drops the flock

    def busy(self) -> int:
        """How many cores are registered right now (by any process of this machine)."""
        return sum(self._count())

    def _count(self) -> tuple[int, int]:
        """Cores held and cores borrowed right now; removes the files of dead processes on the way."""
        held = borrowed = 0
        with os.scandir(self.directory) as entries:
            for entry in entries:
                borrow = entry.name.startswith(BORROW)
                if not borrow and not entry.name.startswith(HOLD):
                    continue
                try:
                    fd = os.open(entry.path, os.O_RDONLY)
                except FileNotFoundError:
                    continue  # released meanwhile
                try:
                    fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                except BlockingIOError:
                    count = int(entry.name.rsplit("-", 1)[1])
                    if borrow:
                        borrowed += count
                    else:
                        held += count
                else:  # nobody holds it: its owner died or is releasing it
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                finally:
                    os.close(fd)
        return held, borrowed

    @contextlib.contextmanager
    def hold(self, count: int = 1, max_wait: float = 10.0) -> Iterator[None]:
        """Register ``count`` cores as in use for the block, however many others have registered.

        If that over-commits the machine because another engine is running a model on borrowed cores, first wait
        (at most ``max_wait`` seconds) until that run ends: the borrower is using this worker's core meanwhile, and
        its next borrow is refused, so the wait costs the machine nothing, where running at once would put three
        threads on two cores for the rest of that run.
        """
        path, fd = self._register(HOLD, count)
        try:
            deadline = time.monotonic() + max_wait
            while time.monotonic() < deadline:
                held, borrowed = self._count()
                if not borrowed or held + borrowed <= self.cores:
                    break
                time.sleep(WAIT_POLL_SECONDS)
            yield
        finally:
            self._release(path, fd)

    @contextlib.contextmanager
    def borrow(self, count: int) -> Iterator[bool]:
        """Yield True while ``count`` more cores are registered for the block, False (registering none) if fewer
        than ``count`` were free."""
        registration = None
        mutex = os.open(self._mutex, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(mutex, fcntl.LOCK_EX)  # held for one directory scan
            if self.busy() + count <= self.cores:
                registration = self._register(BORROW, count)
        finally:
            os.close(mutex)
        try:
            yield registration is not None
        finally:
            if registration is not None:
                self._release(*registration)
