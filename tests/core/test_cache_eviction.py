"""The cache is a Redis that evicts (``CACHE_URL``; deploy/ runs it with ``maxmemory`` and ``allkeys-lru``): a flood
of unique CEFR texts pushes out the oldest entries, and the API, the queue and the channel layer go on working.

With the queue in the same ``noeviction`` Redis as the cache (before RabbitMQ), such a flood made every write fail,
the queue's included, and the whole platform answered 503.
"""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from apps.cefr.services import cache_key
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)
BATCH = 64  # CEFR_MAX_TEXTS: texts per request


@pytest.fixture
def small_cache(tmp_path, settings):
    """A private redis-server with room for about 1,000 CEFR results above its empty footprint, as the cache."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
            "no", "--dir", str(tmp_path), "--maxmemory-policy", "allkeys-lru", "--maxmemory-samples", "10"]  # fmt: skip
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "the private redis-server did not start"
            time.sleep(0.05)
    client.config_set("maxmemory", client.info("memory")["used_memory"] + 400_000)
    settings.CACHE_URL = f"redis://127.0.0.1:{port}/0"
    yield client
    proc.terminate()
    proc.wait(timeout=10)


async def test_a_flood_of_unique_texts_evicts_the_oldest_entries_and_everything_keeps_working(
    client, student, staff, worker, small_cache
):
    headers = await abearer(student)
    batches = [[f"Sentence number {b * BATCH + i} is about my day at school." for i in range(BATCH)] for b in range(30)]
    for batch in batches:
        response = await client.post("/api/cefr/classify", json={"texts": batch}, headers=headers)
        assert response.status_code == 200, response.text
        assert len(response.json()) == BATCH
    stats = small_cache.info("stats")
    assert stats["evicted_keys"] > BATCH  # the flood went past maxmemory
    assert small_cache.info("memory")["used_memory"] <= int(small_cache.config_get("maxmemory")["maxmemory"]) * 1.05

    def cached(texts: list[str]) -> int:
        return sum(small_cache.exists(f"lingua-test:kv:{cache_key(t)}") for t in texts)

    # Redis's LRU is approximate (it samples keys, and its clock ticks once a second, so entries written within the
    # same second look equally old): the oldest went, nearly all of them, and most of the newest are still there.
    oldest, newest = batches[0] + batches[1], batches[-1]
    assert cached(oldest) <= len(oldest) // 10
    assert cached(newest) >= len(newest) * 0.6

    # Jobs are still accepted and finished: the queue lives in RabbitMQ, events on the channel layer.
    job = await client.post("/api/jobs/selftest", json={"work_ms": 5}, headers=await abearer(staff))
    assert job.status_code == 200 and job.json()["status"] == "done", job.text
    # An evicted result is simply classified again.
    again = await client.post("/api/cefr/classify", json={"texts": oldest[:2]}, headers=headers)
    assert again.status_code == 200 and [r["text"] for r in again.json()] == oldest[:2]
