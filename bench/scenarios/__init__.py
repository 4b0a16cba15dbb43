"""Benchmark scenarios are plug-ins: each module here defines ``SCENARIO = Scenario(...)``."""

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

Request = Callable[[httpx.AsyncClient, dict], Awaitable[None]]


@dataclass
class Scenario:
    """Concurrent ``request`` calls (``concurrency`` at a time, ``rounds`` times) while /api/health is probed."""

    name: str
    description: str
    ours: Request
    baseline: Request
    concurrency: int = 8
    rounds: int = 5
    targets: dict[str, float] = field(default_factory=dict)


def load() -> dict[str, Scenario]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        scenario = getattr(module, "SCENARIO", None)
        if isinstance(scenario, Scenario):
            found[scenario.name] = scenario
    return found
