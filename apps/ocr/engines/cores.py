"""Machine-wide core leases, so an OCR engine can use a core that no other OCR worker is using at that moment.

Each OCR worker process runs one single-threaded engine per core, which is right while every core has an image to
work on, and wasteful at the end of a burst: the last image runs on one core while the others idle (with 5 images
on 2 cores, a sixth of the burst's core time). So an engine holds a lease on a core while it recognises an image
and, before each model run, tries to borrow more: if another core's lease is free at that moment, the run goes to a
session with more intra-op threads. Nothing ever waits for a lease: a worker that finds every core taken runs on
its own thread anyway (it is the one the process manager started for that core), so the worst case is the plain
design's.

A lease is an exclusive ``flock`` on one file per core in ``OCR_CORE_LEASE_DIR`` (local to the machine, like the
cores): the kernel drops it when the process dies, so a killed worker never leaves a core marked busy.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path


class CoreLeases:
    """``cores`` lease files in ``directory``; ``hold`` and ``borrow`` take free ones without ever waiting."""

    def __init__(self, directory: str | os.PathLike, cores: int):
        self.directory = Path(directory)
        self.cores = max(1, cores)
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._paths = [self.directory / f"core-{index}" for index in range(self.cores)]

    def _take(self, count: int) -> list[int]:
        """Lock up to ``count`` free cores; return their open descriptors (possibly fewer, possibly none)."""
        taken: list[int] = []
        for path in self._paths:
            if len(taken) == count:
                break
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            taken.append(fd)
        return taken

    @staticmethod
    def _give_back(fds: list[int]) -> None:
        for fd in fds:
            os.close(fd)  # closing the descriptor drops its flock

    @contextlib.contextmanager
    def hold(self, count: int = 1) -> Iterator[int]:
        """Hold up to ``count`` free cores for the block; yields how many were free (0 when all are taken)."""
        fds = self._take(count)
        try:
            yield len(fds)
        finally:
            self._give_back(fds)

    @contextlib.contextmanager
    def borrow(self, count: int) -> Iterator[bool]:
        """Yield True while ``count`` more cores are held for the block, False (holding none) if fewer were free."""
        fds = self._take(count)
        if len(fds) < count:
            self._give_back(fds)
            fds = []
        try:
            yield bool(fds)
        finally:
            self._give_back(fds)

    def busy(self) -> int:
        """How many cores are leased right now (by any process of this machine)."""
        with self.hold(self.cores) as free:
            return self.cores - free
