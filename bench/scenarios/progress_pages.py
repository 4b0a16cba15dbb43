"""The teachers' progress pages on generated data: a class of 40 students with 10,000 messages each over a year.

Setup runs ``manage.py progress_generate`` against the bench database (a couple of minutes), signs the generated
teacher in through the login form (a session, as a teacher's browser), and reads the class and its students from the
API. Requests alternate between the class page (sorted by a different column each time) and a student's page. In the
first phase (one at a time) every student page is the first visit to that student, so its figures are computed
(cold), and every class page is computed too (the bench drops the cached rows from Redis before it). The second
phase (8 at once) is served from the cache. The baseline has no such pages: its phase is a single no-op.
"""

import re
import subprocess
import time

import httpx
import redis

from bench.measure import pct
from bench.scenarios import Scenario
from bench.stack import PY, ROOT, bench_env

STUDENTS, MESSAGES, DAYS = 40, 10_000, 365
TEACHER, PASSWORD = "progress-teacher", "progress-bench-password"
SORTS = ("name", "placement", "current", "trend", "messages", "activity")
SAMPLES: dict[str, list[float]] = {"class (cold)": [], "class": [], "student (first visit)": [], "student": []}
FIRST_PHASE = range(1000, 1080)  # run_ours's offsets: the first phase's requests, one at a time


async def setup(client: httpx.AsyncClient, ctx: dict) -> None:
    argv = [PY, "manage.py", "progress_generate", "--reset", "--students", str(STUDENTS), "--messages",
            str(MESSAGES), "--days", str(DAYS), "--teacher", TEACHER, "--password", PASSWORD]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=bench_env(), check=True, stdout=subprocess.DEVNULL)
    ctx["progress_generate_s"] = round(time.perf_counter() - started, 1)
    login = await client.get("/teacher/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    assert token, "no CSRF token on the login page"
    signed_in = await client.post(
        "/teacher/login/",
        data={"username": TEACHER, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{client.base_url}/teacher/login/"},
    )
    assert signed_in.status_code == 302, signed_in.text[:300]
    ctx["progress_cookies"] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    pair = (await client.post("/api/auth/token", json={"username": TEACHER, "password": PASSWORD})).json()
    classes = (await client.get("/api/classrooms", headers={"Authorization": f"Bearer {pair['access']}"})).json()
    (classroom,) = [c for c in classes if len(c["student_ids"]) == STUDENTS]
    ctx["progress_class"], ctx["progress_students"], ctx["progress_seen"] = (
        classroom["id"],
        classroom["student_ids"],
        set(),
    )


async def ours(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    headers = {"Cookie": ctx["progress_cookies"]}
    if i % 2 == 0:
        kind, url = "class", f"/teacher/progress/classes/{ctx['progress_class']}/?sort={SORTS[i // 2 % len(SORTS)]}"
        if i in FIRST_PHASE:  # one at a time: drop every cached row first, so all 40 are computed
            kind = "class (cold)"
            _forget_rows()
    else:
        student = ctx["progress_students"][i // 2 % STUDENTS]
        kind = "student" if student in ctx["progress_seen"] else "student (first visit)"
        ctx["progress_seen"].add(student)
        url = f"/teacher/progress/students/{student}/"
    started = time.perf_counter()
    response = await client.get(url, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200 and "<table" in response.text, f"{url}: {response.status_code}"
    if i >= 1000:  # the warm-up request (0) is not a sample
        SAMPLES[kind].append(elapsed)


def _forget_rows() -> None:
    env = bench_env()
    store = redis.Redis.from_url(env.get("CACHE_URL") or env["REDIS_URL"])
    keys = list(store.scan_iter(f"{env['REDIS_PREFIX']}:kv:progress:row:*", count=1000))
    if keys:
        store.delete(*keys)


async def baseline(client: httpx.AsyncClient, ctx: dict, i: int) -> None:
    return None  # the blocking baseline has no progress pages


def verdicts(result: dict) -> list[tuple[str, bool]]:
    checks = []
    for kind, samples in SAMPLES.items():
        p95 = round(pct(samples, 95), 1)
        checks.append((f"{kind} page p95 {p95} ms <= 200 ms ({len(samples)} requests)", bool(samples) and p95 <= 200))
    errors = sum(phase["errors"] for phase in result["ours"]["ours"])
    checks.append((f"no errors ({errors})", errors == 0))
    return checks


SCENARIO = Scenario(
    name="progress-pages",
    description=f"class and student progress pages, a class of {STUDENTS} x {MESSAGES} messages over {DAYS} days",
    ours=ours,
    baseline=baseline,
    setup=setup,
    phases=[(1, 80), (8, 10)],
    baseline_phases=[(1, 1)],
    verdicts=verdicts,
)
