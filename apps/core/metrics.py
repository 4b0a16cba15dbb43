"""Prometheus metrics shared by web and worker processes.

With ``PROMETHEUS_MULTIPROC_DIR`` set (the services profile on one machine), every process writes its samples to
that folder and ``/metrics`` aggregates them, so actor durations recorded in worker processes show up on the web
endpoint. Without it (embedded profile) the process's default registry is exported.
"""

import os
from collections.abc import Callable, Iterable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import Metric
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
LAG_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

HTTP_REQUESTS = Counter("http_requests_total", "HTTP requests by route and status", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by route",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
ADMISSION_WAIT = Histogram(
    "admission_wait_seconds", "Time an API request waited for a slot (ADMISSION_SLOTS)", buckets=LATENCY_BUCKETS
)
LOOP_LAG = Histogram("event_loop_lag_seconds", "Delay of the web process's event loop", buckets=LAG_BUCKETS)
ACTOR_DURATION = Histogram(
    "actor_duration_seconds", "Time an actor took per message", ["actor", "outcome"], buckets=LATENCY_BUCKETS
)
BATCH_SIZE = Histogram(
    "model_batch_size",
    "Texts per forward pass of a micro-batched model",
    ["model"],
    buckets=(1, 2, 4, 8, 16, 32, 64, 128),
)
MODEL_CPU = Counter("model_cpu_seconds", "CPU time spent in a micro-batched model's forward passes", ["model"])
CACHE_REQUESTS = Counter("cache_requests_total", "Cache lookups by cache name and result", ["cache", "result"])

_scrape_collectors: list[Callable[[], Iterable[Metric]]] = []


class _Adapter(Collector):
    def __init__(self, fn: Callable[[], Iterable[Metric]]):
        self.fn = fn

    def collect(self) -> Iterable[Metric]:
        return self.fn()


def register_scrape_collector(fn: Callable[[], Iterable[Metric]]) -> None:
    """Add a function computed at scrape time (e.g. queue depths read from the broker)."""
    _scrape_collectors.append(fn)


def cache_result(cache: str, hit: bool) -> None:
    CACHE_REQUESTS.labels(cache=cache, result="hit" if hit else "miss").inc()


def render() -> tuple[bytes, str]:
    """Return the exposition text and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Adapter(REGISTRY.collect))
    for fn in _scrape_collectors:
        registry.register(_Adapter(fn))
    return generate_latest(registry), CONTENT_TYPE_LATEST
