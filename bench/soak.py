"""``make soak``: a bounded mixed load for a set time; error rate, p99 latency per action, memory growth per process.

Virtual users loop over image OCR, CEFR classification, chat messages (the local LLM stand-in answers after 0.2 s)
and level tests against the services profile (the same stack as ``make bench``). Every 10 s the resident memory of
every process of the stack is sampled. ``SOAK_SECONDS`` (default 600) bounds the run; ``SOAK_USERS`` (default 8)
the concurrency. Writes ``bench/results/soak-*.json``; exits non-zero if the error rate is over 1%.
"""

import asyncio
import io
import json
import os
import random
import time
from collections import defaultdict
from pathlib import Path

import httpx

from bench.measure import pct
from bench.scenarios.cefr_burst import sentences
from bench.stack import OURS_PORT, ROOT, Stack

URL = f"http://127.0.0.1:{OURS_PORT}"
IMAGES = Path(ROOT).parent / "shared" / "data" / "ocr" / "images"


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        stack.extend(int(c) for c in children)
    return total


def image(i: int) -> bytes:
    from PIL import Image

    base = Image.open(IMAGES / random.choice(["uw3_010001.png", "uw3_010002.png", "uw3_010003.png"])).convert("RGB")
    base.putpixel((0, 0), (i % 256, (i // 256) % 256, 3))
    out = io.BytesIO()
    base.save(out, format="PNG")
    return out.getvalue()


async def ocr(client: httpx.AsyncClient, auth: dict, i: int) -> None:
    response = await client.post("/api/ocr/image", files={"file": ("p.png", image(i), "image/png")}, headers=auth)
    assert response.status_code in (200, 202), response.text[:200]


async def cefr(client: httpx.AsyncClient, auth: dict, i: int) -> None:
    texts = random.sample(sentences(), 3)
    assert (await client.post("/api/cefr/classify", json={"texts": texts}, headers=auth)).status_code == 200


async def chat(client: httpx.AsyncClient, auth: dict, i: int) -> None:
    conversation = (await client.post("/api/chat/conversations", json={"topic": "soak"}, headers=auth)).json()["id"]
    text = random.choice(sentences())
    response = await client.post(f"/api/chat/conversations/{conversation}/messages", json={"text": text}, headers=auth)
    assert response.status_code == 200, response.text[:200]


async def leveltest(client: httpx.AsyncClient, auth: dict, i: int) -> None:
    attempt = (await client.post("/api/leveltest/attempts", headers=auth)).json()["id"]
    for _ in range(12):
        item = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=auth)).json()
        body = {"choice": random.randrange(4)}
        assert (
            await client.put(f"/api/leveltest/attempts/{attempt}/answers/{item['id']}", json=body, headers=auth)
        ).status_code == 200
    assert (await client.post(f"/api/leveltest/attempts/{attempt}/submit", headers=auth)).status_code == 202


ACTIONS = {"ocr": ocr, "cefr": cefr, "chat": chat, "leveltest": leveltest}


async def user(n: int, auths: dict, deadline: float, stats: dict) -> None:
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=URL, timeout=120) as client:
        i = n * 100_000
        while time.monotonic() < deadline:
            name = rng.choice(list(ACTIONS))
            started = time.perf_counter()
            try:
                await ACTIONS[name](client, auths["student" if name == "leveltest" else "staff"], i)
                stats[name]["ok"].append((time.perf_counter() - started) * 1000)
            except Exception as exc:
                stats[name]["errors"].append(f"{type(exc).__name__}: {exc}"[:200])
            i += 1


async def sample_memory(stack: Stack, deadline: float, samples: list) -> None:
    procs = {"web": stack.web, "workers": stack.worker, "llm": stack.llm}
    while time.monotonic() < deadline:
        samples.append({"t": round(time.monotonic(), 1), **{k: tree_rss(p.pid) for k, p in procs.items() if p}})
        await asyncio.sleep(10)


async def main() -> int:
    seconds = int(os.environ.get("SOAK_SECONDS", "600"))
    users = int(os.environ.get("SOAK_USERS", "8"))
    stack = Stack()
    stats: dict = defaultdict(lambda: {"ok": [], "errors": []})
    samples: list = []
    try:
        await stack.start(llm_delay=0.2)
        await stack.workers({})
        auths = {"staff": await stack.token(), "student": await student_token(stack)}
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            sample_memory(stack, deadline, samples), *(user(n, auths, deadline, stats) for n in range(users))
        )
    finally:
        stack.stop()
    return report(stats, samples, seconds, users)


async def student_token(stack: Stack) -> dict:
    import subprocess
    import sys

    code = (
        "from apps.accounts.models import User, Role\n"
        "u, _ = User.objects.get_or_create(username='soak-student', defaults={'role': Role.STUDENT})\n"
        "u.set_password('soak-password-not-secret'); u.save()\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=stack.env, check=True)
    async with httpx.AsyncClient(base_url=URL) as client:
        body = {"username": "soak-student", "password": "soak-password-not-secret"}
        return {"Authorization": f"Bearer {(await client.post('/api/auth/token', json=body)).json()['access']}"}


def report(stats: dict, samples: list, seconds: int, users: int) -> int:
    total = sum(len(s["ok"]) + len(s["errors"]) for s in stats.values())
    errors = sum(len(s["errors"]) for s in stats.values())
    actions = {
        name: {"count": len(s["ok"]) + len(s["errors"]), "errors": len(s["errors"]),
               "p50_ms": round(pct(s["ok"], 50), 1), "p99_ms": round(pct(s["ok"], 99), 1),
               "first_errors": s["errors"][:3]}
        for name, s in stats.items()
    }  # fmt: skip
    growth = {}
    if len(samples) >= 3:
        first, last = samples[1], samples[-1]  # the first sample is taken before models are warm
        growth = {k: round((last[k] - first[k]) / 2**20, 1) for k in first if k != "t"}
    result = {"seconds": seconds, "users": users, "requests": total, "error_rate": round(errors / max(total, 1), 4),
              "actions": actions, "memory_growth_mb": growth, "memory_samples": samples}  # fmt: skip
    for name, a in actions.items():
        counts = f"{name:<10} {a['count']:>6} requests  {a['errors']:>4} errors"
        print(f"{counts}  p50 {a['p50_ms']:>8} ms  p99 {a['p99_ms']:>8} ms")
    print(f"error rate {result['error_rate']:.2%}; memory growth (MB): {growth}")
    out = ROOT / "bench" / "results" / f"soak-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"written {out.relative_to(ROOT)}")
    return 0 if result["error_rate"] <= 0.01 else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
