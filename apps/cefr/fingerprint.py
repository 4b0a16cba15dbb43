"""Which model a CEFR result came from: a hash of the model folder's config.json and weights (no torch here).

The web process puts it into the result cache's keys, so new weights or a new temperature never serve results of
the old model; the worker names its ONNX export by it. The hash is computed again only when a file's size or
modification time changes (one ``stat`` per file otherwise).
"""

import hashlib
import os
import threading
from pathlib import Path

HASHED_FILES = ("config.json", "model.safetensors")
MISSING = "no-model"  # the web process of a deployment that keeps no model folder beside it

_lock = threading.Lock()
_known: dict[tuple, str] = {}


def fingerprint(folder: Path) -> str:
    """Return the sha256 (hex) over the folder's config.json and model.safetensors, or MISSING if either is absent.

    Safe to call from several threads; reads the weights (tens of MB) only when they changed since the last call.
    """
    try:
        stamp = tuple((os.fspath(folder / name), *_stat(folder / name)) for name in HASHED_FILES)
    except FileNotFoundError:
        return MISSING
    with _lock:
        known = _known.get(stamp)
    if known is None:
        known = _hash(folder)
        with _lock:
            _known[stamp] = known
    return known


def _stat(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns, info.st_ino


def _hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in HASHED_FILES:
        digest.update(name.encode() + b"\0")
        with open(folder / name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023 - the handle of this iteration
                digest.update(block)
    return digest.hexdigest()
