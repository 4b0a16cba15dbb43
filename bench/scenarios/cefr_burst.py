"""64 concurrent requests of distinct sentences: micro-batching on and off, torch instead of ONNX Runtime, and the
inline pipeline baseline."""

import csv
from functools import lru_cache
from pathlib import Path

import httpx

from bench.measure import server_timing
from bench.scenarios import Scenario
from bench.stack import ROOT


@lru_cache(maxsize=1)
def sentences() -> list[str]:
    path = Path(ROOT).parent / "shared" / "data" / "cefr" / "dev.csv"
    with path.open() as fh:
        return [row["text"] for row in csv.DictReader(fh)]


async def ours(client: httpx.AsyncClient, ctx: dict, i: int) -> tuple[float, float] | None:
    response = await client.post(
        "/api/cefr/classify", json={"texts": [sentences()[i % len(sentences())]]}, headers=ctx["auth"]
    )
    response.raise_for_status()
    return server_timing(response)


async def baseline(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    (await client.post("/api/cefr/classify", json={"texts": [sentences()[i % len(sentences())]]})).raise_for_status()


def verdicts(result: dict) -> list[tuple[str, bool]]:
    batched, single = result["ours"]["batched"][0], result["ours"]["unbatched"][0]
    base = result["baseline"][0]
    ratio = batched["throughput_rps"] / max(single["throughput_rps"], 1e-9)
    rps = batched["throughput_rps"]
    versus = rps / max(base["throughput_rps"], 1e-9)
    on_torch = result["ours"].get("torch", [{}])[0].get("throughput_rps", 0.0)
    return [
        (f"(reported) ONNX Runtime {rps} req/s is {rps / max(on_torch, 1e-9):.2f}x torch's {on_torch} req/s "
         "(CEFR_RUNTIME=torch, batched)", True),
        (f"(aim, reported) throughput with micro-batching {rps} req/s is {versus:.2f}x the seed design's "
         f"{base['throughput_rps']} req/s (aim >= 1.5x) and {ratio:.2f}x ours without batching", True),
        (f"/api/health p99 {batched['health_p99_ms']} ms during the burst <= 50 ms", batched["health_p99_ms"] <= 50),
        (f"baseline (pipeline on the event loop) /api/health p99 {base['health_p99_ms']} ms", True),
        (f"no errors (ours {batched['errors']}+{single['errors']}, baseline {base['errors']})",
         batched["errors"] == single["errors"] == base["errors"] == 0),
    ]  # fmt: skip


SCENARIO = Scenario(
    name="cefr-burst",
    description="64 concurrent /api/cefr/classify requests of distinct sentences, 3 rounds; batching on vs off; torch",
    ours=ours,
    baseline=baseline,
    phases=[(64, 3)],
    variants={"batched": {}, "unbatched": {"CEFR_MAX_BATCH": "1"}, "torch": {"CEFR_RUNTIME": "torch"}},
    verdicts=verdicts,
)
