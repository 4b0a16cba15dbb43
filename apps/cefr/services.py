"""CEFR levels for other apps (chat, level test) and the API: ``await classify(texts)``.

The web process never loads the model. It looks every text up in the cache (key: a hash of the normalised text and
the model's fingerprint, so new weights or a new temperature start afresh), sends only the misses (deduplicated) to
a CEFR worker in one message, awaits the answer on the channel layer, and caches it, so a repeated sentence never
reaches a worker. ``confidence`` and ``band`` are derived from the scores when read (apps/cefr/bands.py).
"""

import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings

from apps.cefr import bands, tasks
from apps.cefr.fingerprint import fingerprint
from apps.core.errors import ServiceUnavailable
from apps.core.kv import kv
from apps.core.metrics import cache_result
from apps.jobs import rpc

logger = logging.getLogger(__name__)
CACHE_VERSION = 2  # 2: calibrated scores (temperature) and the model's fingerprint in the key


@dataclass(frozen=True)
class CefrResult:
    text: str
    level: str
    scores: dict[str, float]

    @property
    def confidence(self) -> float:
        return bands.confidence(self.scores)

    @property
    def band(self) -> str:
        return bands.band(self.scores)


def normalise(text: str) -> str:
    """The form a text is classified and cached in: NFC, whitespace collapsed, trimmed (case kept: it matters)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def model_tag() -> str:
    """A short fingerprint of the served model (the files in CEFR_MODEL_DIR); reads the weights when they change."""
    return fingerprint(Path(settings.CEFR_MODEL_DIR))[:12]


def cache_key(text: str, tag: str | None = None) -> str:
    """The cache key of ``text``'s result from the model ``tag`` (default: ``model_tag()``)."""
    digest = hashlib.sha256(normalise(text).encode()).hexdigest()
    return f"cefr:v{CACHE_VERSION}:{tag or model_tag()}:{digest}"


async def classify(texts: list[str]) -> list[CefrResult]:
    """Return one result per text, in order.

    Raises ``ServiceUnavailable`` (503) when no CEFR worker answers within ``CEFR_TIMEOUT`` or the model cannot be
    loaded; ``ValueError`` for an empty text.
    """
    if any(not normalise(t) for t in texts):
        raise ValueError("texts must not be empty")
    tag = await sync_to_async(model_tag, thread_sensitive=False)()  # hashes the weights once per process
    found = await _cached(texts, tag)
    missing = sorted({normalise(t) for t, hit in zip(texts, found, strict=True) if hit is None})
    if missing:
        fresh = dict(zip(missing, await _from_worker(missing), strict=True))
        for text, result in fresh.items():
            await kv().set(cache_key(text, tag), json.dumps(result), settings.CEFR_CACHE_TTL)
        found = [hit or fresh[normalise(t)] for t, hit in zip(texts, found, strict=True)]
    results = [r for r in found if r is not None]
    return [CefrResult(text=t, level=r["level"], scores=r["scores"]) for t, r in zip(texts, results, strict=True)]


async def _cached(texts: list[str], tag: str) -> list[dict | None]:
    raw = await kv().mget([cache_key(t, tag) for t in texts])
    for value in raw:
        cache_result("cefr", value is not None)
    return [json.loads(value) if value is not None else None for value in raw]


async def _from_worker(texts: list[str]) -> list[dict]:
    try:
        return await rpc.call(tasks.CLASSIFY, settings.CEFR_TIMEOUT, texts=texts)
    except rpc.RemoteError as exc:
        logger.error("CEFR worker error: %s", exc)
        raise ServiceUnavailable(f"CEFR classification is unavailable: {exc}", retry_after=30) from None
