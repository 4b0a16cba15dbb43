"""Benchmark scenarios are plug-ins: each module here defines ``SCENARIO = Scenario(...)``.

A scenario sends ``concurrency`` requests at once, ``rounds`` times (for each entry of ``phases``), against our
service and against the blocking baseline, while ``/api/health`` is probed. ``variants`` restart our worker pools with
other settings (e.g. batching off) so both are measured in the same run. ``verdicts`` checks the issue's targets.
"""

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

Request = Callable[[httpx.AsyncClient, dict, int], Awaitable[None]]
Setup = Callable[[httpx.AsyncClient, dict], Awaitable[None]]


async def no_setup(client: httpx.AsyncClient, ctx: dict) -> None:
    return None


@dataclass
class Scenario:
    name: str
    description: str
    ours: Request
    baseline: Request
    phases: list[tuple[int, int]] = field(default_factory=lambda: [(8, 5)])  # (concurrency, rounds)
    variants: dict[str, dict[str, str]] = field(default_factory=lambda: {"ours": {}})
    setup: Setup = no_setup
    verdicts: Callable[[dict], list[tuple[str, bool]]] = lambda result: []
    baseline_phases: list[tuple[int, int]] | None = None
    # Runs right after our phases, before the baseline's (e.g. to measure a physical limit again: the machine's speed
    # drifts by 10% over minutes here, so a limit is measured on both sides of the phases it judges).
    after_ours: Callable[[dict], None] | None = None
    pause_s: float = 0.0  # quiet time before each round (a request after a quiet spell, not in a stream)


def load() -> dict[str, Scenario]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        scenario = getattr(module, "SCENARIO", None)
        if isinstance(scenario, Scenario):
            found[scenario.name] = scenario
    return found
