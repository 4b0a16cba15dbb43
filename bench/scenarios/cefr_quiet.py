"""One request of a sentence never classified before, after a second of quiet: the latency a learner sees when the
service is idle (no batch to join, no warm consumer loop), ours against the model run inline on the event loop."""

import httpx

from bench.measure import server_timing
from bench.scenarios import Scenario
from bench.scenarios.cefr_burst import sentences

ROUNDS = 30


def text(i: int) -> str:
    # Real dev-set sentences from the far end of the file (the other CEFR scenarios use its start), numbered so that a
    # rerun against a kept cache still sends new ones.
    return f"{sentences()[-1 - i % 500]} ({i})"


async def ours(client: httpx.AsyncClient, ctx: dict, i: int) -> tuple[float, float] | None:
    response = await client.post("/api/cefr/classify", json={"texts": [text(i)]}, headers=ctx["auth"])
    response.raise_for_status()
    return server_timing(response)


async def baseline(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    (await client.post("/api/cefr/classify", json={"texts": [text(i)]})).raise_for_status()


def verdicts(result: dict) -> list[tuple[str, bool]]:
    quiet, base = result["ours"]["ours"][0], result["baseline"][0]
    ratio = quiet["work_p50_ms"] / max(base["work_p50_ms"], 1e-9)
    return [
        (f"server side p50 {quiet['server_p50_ms']} ms <= 15 ms (p99 {quiet['server_p99_ms']} ms)",
         quiet["server_p50_ms"] <= 15),
        (f"round trip p50 {quiet['work_p50_ms']} ms is {ratio:.2f}x the inline design's {base['work_p50_ms']} ms "
         f"(<= 2x)", ratio <= 2),
        (f"no errors (ours {quiet['errors']}, baseline {base['errors']})", quiet["errors"] == base["errors"] == 0),
    ]  # fmt: skip


SCENARIO = Scenario(
    name="cefr-quiet",
    description=f"{ROUNDS} single requests of a new sentence, each after 1 s of quiet",
    ours=ours,
    baseline=baseline,
    phases=[(1, ROUNDS)],
    pause_s=1.0,
    verdicts=verdicts,
)
