"""`make deploy-check`: run the production configs of deploy/ on loopback and check them end to end.

Starts Debian's nginx with the rendered site (deploy/nginx/lingua.conf.template), two gunicorn masters with
deploy/gunicorn.conf.py (one uvicorn worker each), the Dramatiq worker pools (``manage.py worker``) and a cache
Redis with deploy/redis-cache.conf, all on free loopback ports, against a database, a Redis database (the channel
layer) and a RabbitMQ vhost (the broker) of its own. Then, through nginx: static files, readiness (RabbitMQ as the
broker), a 2-byte body, the events websocket receiving a job's ``job.done``, the cache in its own Redis,
``/metrics``, a 21 MB upload refused with the JSON envelope and a 15 MB image accepted by the OCR endpoint. Prints
one PASS/FAIL line per check, stops everything it started (process groups) and exits non-zero on any failure.

``--render-site OUT`` only renders the nginx site with the production example values (see deploy/README.md).
"""

import argparse
import asyncio
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE_TEMPLATE = DEPLOY / "nginx" / "lingua.conf.template"
# The values deploy/nginx/lingua.conf (the rendered example) is made with; tests/deploy keeps the two in sync.
EXAMPLE_SITE = {
    "LISTEN": "80",
    "SERVER_NAME": "_",
    "WEB_UPSTREAM_1": "127.0.0.1:8001",
    "WEB_UPSTREAM_2": "127.0.0.1:8002",
    "STATIC_ROOT": "/var/lib/lingua/static",
}

# A database, Redis database and RabbitMQ vhost (`make services` creates it) of its own: `make test` runs this inside
# the suite, whose DATABASE_URL, REDIS_URL and BROKER_URL must not be touched. The cache gets a Redis of its own,
# started from deploy/redis-cache.conf.
DATABASE_URL = os.environ.get("DEPLOY_CHECK_DATABASE_URL", "mysql://root@127.0.0.1:3306/lingua_deploycheck")
REDIS_URL = os.environ.get("DEPLOY_CHECK_REDIS_URL", "redis://127.0.0.1:6379/12")
BROKER_URL = os.environ.get("DEPLOY_CHECK_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/lingua-deploy")
BROKER_WHERE = BROKER_URL.rpartition("@")[2]  # host:port/vhost, for messages (no password)
REDIS_PREFIX = "lingua-deploycheck"
# Every production pool, one process each: the check needs the queues served, not the production sizes.
WORKER_POOLS = os.environ.get(
    "DEPLOY_CHECK_WORKER_POOLS", "cefr:1:2:5,interactive:1:2:10,documents:1:1:15,default:1:2:10"
)
QUEUES = sorted({q for pool in WORKER_POOLS.split(",") for q in pool.split(":")[0].split("+")})
STAFF_USER = "deploycheck-staff"
TOTAL_SECONDS = 170  # the whole run, preparation and shutdown included
MAX_BODY = 20 * 1024 * 1024  # nginx's client_max_body_size 20m, the app's MAX_REQUEST_BYTES
SELFTEST_TIMEOUT = 90.0  # worker pools load their models at boot before they take the first message


class CheckFailed(Exception):
    """Raised by a check with the reason it failed."""


class RunTimeout(BaseException):
    """Raised by the alarm past TOTAL_SECONDS; a BaseException so that no check's ``except Exception`` eats it."""


# --- nginx site ----------------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def render_site(values: dict[str, str], template: Path = SITE_TEMPLATE) -> str:
    """Fill the template's ${NAME} placeholders (only upper-case ones: nginx's own $variables stay)."""
    text = template.read_text()
    missing = sorted({name for name in _PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise KeyError(f"no value for {', '.join(missing)} in {template}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def render_example() -> str:
    """deploy/nginx/lingua.conf: the template rendered with the production example values."""
    header = (
        "# Rendered from lingua.conf.template with the example values of scripts/deploy_check.py (--render-site).\n"
        "# Edit the template and render again: tests/deploy checks that the two agree.\n"
    )
    return header + render_site(EXAMPLE_SITE)


def find_program(name: str, package: str) -> str:
    """Path of a Debian tool; /usr/sbin is searched too (not on a non-root PATH)."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    found = shutil.which(name, path=path)
    if found is None:
        raise CheckFailed(f"{name} is not installed: run `make install` (scripts/ensure-system.sh installs {package})")
    return found


TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")  # nginx's defaults are under /var/lib/nginx


def write_nginx_conf(workdir: Path, site: dict[str, str]) -> Path:
    """Write the rendered site and a main nginx.conf around it into ``workdir``; return the main file."""
    (workdir / "lingua.conf").write_text(render_site(site))
    for name in TEMP_PATHS:
        (workdir / f"{name}_temp").mkdir(exist_ok=True)
    # As root the workers would switch to nobody, who cannot read the private temp folder with the static files.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"{user}worker_processes 1;\n"
        "events { worker_connections 512; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        "    sendfile on;\n"
        f"    access_log {workdir}/access.log;\n"
        + "".join(f"    {name}_temp_path {workdir}/{name}_temp;\n" for name in TEMP_PATHS)
        + f"    include {workdir}/lingua.conf;\n"
        "}\n"
    )
    return conf


def nginx_argv(conf: Path, workdir: Path, *extra: str) -> list[str]:
    """nginx in the foreground with its pid and logs in ``workdir`` (never the system's)."""
    globals_ = f"daemon off; pid {workdir}/nginx.pid; error_log {workdir}/error.log warn;"
    return [find_program("nginx", "nginx"), "-e", str(workdir / "error.log"), "-c", str(conf), "-g", globals_, *extra]


# --- processes -----------------------------------------------------------------------------------------------------


@dataclass
class Processes:
    """Children started in their own process groups, so that stopping one stops everything it forked."""

    logdir: Path
    children: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        log = open(self.logdir / f"{name}.log", "wb")  # the child keeps its own descriptor
        self.children[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def exited(self) -> list[str]:
        return [f"{name} (exit {p.returncode})" for name, p in self.children.items() if p.poll() is not None]

    def stop(self, grace: float = 10.0) -> list[str]:
        """SIGTERM every group, SIGKILL what is left after ``grace`` seconds (workers may be mid-OCR); return those."""
        for proc in self.children.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(self.running(p) for p in self.children.values()):
            time.sleep(0.1)
        killed = [name for name, proc in self.children.items() if self.running(proc)]
        for proc in self.children.values():
            _signal_group(proc, signal.SIGKILL)  # also any grandchild left in the group
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(self.running(p) for p in self.children.values()):
            time.sleep(0.1)
        return killed

    @staticmethod
    def running(proc: subprocess.Popen) -> bool:
        return proc.poll() is None or _group_alive(proc.pid)

    def log_tails(self, lines: int = 25) -> str:
        out = []
        for name in self.children:
            text = (self.logdir / f"{name}.log").read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {name}.log (last {len(text)} lines)\n" + "\n".join(text))
        return "\n".join(out)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # start_new_session: the group id is the child's pid
    except ProcessLookupError:
        pass


def _group_alive(pgid: int) -> bool:
    """Whether a process of the group still runs (zombies waiting for init to reap them don't count)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # Fields after the command (which may hold spaces): state ppid pgrp ...
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue  # exited meanwhile
        if int(group) == pgid and state != "Z":
            return True
    return False


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (all held open while choosing, so none is handed out twice)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(what: str, probe: Callable[[], bool], timeout: float, procs: Processes) -> None:
    """Poll ``probe`` until it is true; fail early when a child has died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if procs.exited():
            raise CheckFailed(f"while waiting for {what}: exited: {', '.join(procs.exited())}")
        try:
            if probe():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.25)
    raise CheckFailed(f"{what} not ready after {timeout:.0f} s")


# --- preparation ---------------------------------------------------------------------------------------------------


def app_env(workdir: Path, cache_port: int) -> dict[str, str]:
    """The environment of every app process: its own database, Redis database, key prefix, vhost and cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEPLOY_CHECK_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        CACHE_URL=f"redis://127.0.0.1:{cache_port}/0",
        BROKER_URL=BROKER_URL,
        REDIS_PREFIX=REDIS_PREFIX,
        SECRET_KEY=secrets.token_urlsafe(48),
        DATA_DIR=str(workdir / "data"),
        STATIC_ROOT=str(workdir / "static"),
        PROMETHEUS_MULTIPROC_DIR=str(workdir / "prometheus"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SERVE_STATIC="false",
        WORKER_POOLS=WORKER_POOLS,
        WEB_WORKERS="1",
        HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    (workdir / "prometheus").mkdir()
    return env


def create_database() -> None:
    import MySQLdb

    url = urlparse(DATABASE_URL)
    conn = MySQLdb.connect(
        host=url.hostname or "127.0.0.1", port=url.port or 3306, user=url.username or "root", passwd=url.password or ""
    )
    try:
        name = url.path.lstrip("/")
        conn.cursor().execute(
            f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
    finally:
        conn.close()


def clear_redis() -> None:
    """Drop this check's keys (queued messages of an earlier run, e.g. its OCR job, would run again)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    keys = list(client.scan_iter(f"{REDIS_PREFIX}*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


def clear_broker() -> int:
    """Delete the vhost's Dramatiq queues (each with its .DQ and .XQ): messages of an earlier run would run again.

    The workers declare them again when they start. Returns the number of messages deleted.
    """
    import pika

    try:
        connection = pika.BlockingConnection(pika.URLParameters(BROKER_URL))
    except pika.exceptions.AMQPError as exc:
        raise CheckFailed(
            f"RabbitMQ at {BROKER_WHERE}: {type(exc).__name__} {exc} (`make services` creates the vhost)"
        ) from exc
    try:
        channel = connection.channel()
        names = [name for queue in QUEUES for name in (queue, f"{queue}.DQ", f"{queue}.XQ")]
        return sum(channel.queue_delete(name).method.message_count for name in names)  # absent ones: 0
    finally:
        connection.close()


def start_cache(port: int, workdir: Path, procs: "Processes") -> None:
    """The cache's Redis: deploy/redis-cache.conf on a free loopback port, its files in ``workdir``."""
    import redis

    argv = [find_program("redis-server", "redis-server"), str(DEPLOY / "redis-cache.conf")]
    argv += ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir), "--supervised", "no"]
    argv += ["--pidfile", str(workdir / "redis-cache.pid")]
    procs.start("redis-cache", argv, dict(os.environ))
    client = redis.Redis(port=port, socket_timeout=2)
    wait_until("the cache Redis", client.ping, 10, procs)
    client.close()


def manage(env: dict[str, str], *args: str, timeout: float = 120, extra_env: dict | None = None) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise CheckFailed(f"manage.py {args[0]} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")


CREATE_STAFF = """
import os
from apps.accounts.models import Role, User
user = User.objects.filter(username=os.environ["CHECK_USER"]).first() or User(username=os.environ["CHECK_USER"])
user.role = Role.STAFF
user.is_active = True
user.set_password(os.environ["CHECK_PASSWORD"])
user.save()
"""


def prepare(env: dict[str, str]) -> str:
    """Database, migrations, static files, the staff user; return the user's password."""
    create_database()
    clear_redis()
    clear_broker()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    password = secrets.token_urlsafe(24)
    manage(env, "shell", "-c", CREATE_STAFF, extra_env={"CHECK_USER": STAFF_USER, "CHECK_PASSWORD": password})
    return password


# --- the stack -----------------------------------------------------------------------------------------------------


@dataclass
class Stack:
    nginx_port: int
    web_ports: tuple[int, int]
    cache_port: int
    workdir: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"


def start_stack(stack: Stack, env: dict[str, str], procs: Processes) -> None:
    import httpx

    for i, port in enumerate(stack.web_ports, 1):
        argv = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "project.asgi:application"]
        procs.start(f"web{i}", argv, {**env, "PORT": str(port)})
    procs.start("workers", [sys.executable, "manage.py", "worker"], env)
    site = {
        "LISTEN": f"127.0.0.1:{stack.nginx_port}",
        "SERVER_NAME": "127.0.0.1 localhost",
        "WEB_UPSTREAM_1": f"127.0.0.1:{stack.web_ports[0]}",
        "WEB_UPSTREAM_2": f"127.0.0.1:{stack.web_ports[1]}",
        "STATIC_ROOT": env["STATIC_ROOT"],
    }
    conf = write_nginx_conf(stack.workdir, site)
    procs.start("nginx", nginx_argv(conf, stack.workdir), env)

    def healthy(url: str) -> Callable[[], bool]:
        return lambda: httpx.get(url, timeout=2, trust_env=False).status_code == 200

    for port in stack.web_ports:
        wait_until(f"gunicorn on port {port}", healthy(f"http://127.0.0.1:{port}/api/health"), 60, procs)
    wait_until("nginx", healthy(f"{stack.base}/api/health"), 20, procs)


# --- checks --------------------------------------------------------------------------------------------------------


def login(base: str, password: str) -> str:
    import httpx

    response = httpx.post(
        f"{base}/api/auth/token", json={"username": STAFF_USER, "password": password}, timeout=10, trust_env=False
    )
    if response.status_code != 200:
        raise CheckFailed(f"login: {response.status_code} {response.text[:200]}")
    return response.json()["access"]


def check_static(stack: Stack, token: str) -> str:
    import httpx

    path = "admin/css/base.css"
    response = httpx.get(f"{stack.base}/static/{path}", timeout=10, trust_env=False)
    expected = (stack.workdir / "static" / path).read_bytes()
    if response.status_code != 200 or response.content != expected:
        raise CheckFailed(f"GET /static/{path}: {response.status_code}, {len(response.content)} bytes")
    if response.headers.get("x-static-served-by") != "nginx":
        raise CheckFailed("GET /static/ was not served by nginx (no X-Static-Served-By header)")
    return f"/static/{path} served by nginx from STATIC_ROOT ({len(expected)} bytes, SERVE_STATIC=false)"


def check_ready(stack: Stack, token: str) -> str:
    import httpx

    response = httpx.get(f"{stack.base}/api/ready", timeout=15, trust_env=False)
    if response.status_code != 200:
        raise CheckFailed(f"GET /api/ready: {response.status_code} {response.text[:500]}")
    components = response.json()["components"]
    broker = components.get("broker", {})
    if broker.get("backend") != "RabbitmqBroker" or sorted(broker.get("queues", {})) != QUEUES:
        raise CheckFailed(f"GET /api/ready: broker {broker}, expected RabbitmqBroker with the queues {QUEUES}")
    return (
        f"GET /api/ready: 200, {', '.join(sorted(components))} ok; broker RabbitmqBroker "
        f"({broker.get('ms')} ms, queues {broker['queues']})"
    )


def check_cache(stack: Stack, token: str) -> str:
    """What the app cached so far (verified tokens, websocket tickets) is in the cache's own Redis (CACHE_URL)."""
    import redis

    client = redis.Redis(port=stack.cache_port, socket_timeout=5)
    try:
        keys = client.dbsize()
        policy = client.config_get("maxmemory-policy")["maxmemory-policy"]
        maxmemory = int(client.config_get("maxmemory")["maxmemory"])
    finally:
        client.close()
    if not keys or policy != "allkeys-lru" or not maxmemory:
        raise CheckFailed(f"cache Redis :{stack.cache_port}: {keys} keys, {policy}, maxmemory {maxmemory}")
    return f"{keys} keys in the cache Redis :{stack.cache_port} ({policy}, maxmemory {maxmemory >> 20} MB)"


def check_small_body(stack: Stack, token: str) -> str:
    import httpx

    response = httpx.post(
        f"{stack.base}/api/auth/ws-ticket",
        content=b"{}",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=10,
        trust_env=False,
    )
    if response.status_code != 200 or "ticket" not in response.json():
        raise CheckFailed(f"POST /api/auth/ws-ticket with a 2-byte body: {response.status_code} {response.text[:200]}")
    return "POST /api/auth/ws-ticket with a 2-byte body: 200"


async def _job_done_over_websocket(stack: Stack, token: str) -> str:
    import httpx
    from websockets.asyncio.client import connect

    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=stack.base, headers=auth, timeout=15, trust_env=False) as client:
        ticket = (await client.post("/api/auth/ws-ticket")).json()["ticket"]
        uri = f"ws://127.0.0.1:{stack.nginx_port}/ws/events/?ticket={ticket}"
        async with connect(uri, origin=stack.base, proxy=None, open_timeout=10) as ws:
            response = await client.post("/api/jobs/selftest", json={"work_ms": 50, "wait": False})
            if response.status_code != 202:
                raise CheckFailed(f"POST /api/jobs/selftest: {response.status_code} {response.text[:200]}")
            job_id = response.json()["job_id"]
            started = time.monotonic()
            async with asyncio.timeout(SELFTEST_TIMEOUT):
                while True:
                    event = json.loads(await ws.recv())
                    if event.get("job_id") == job_id and event.get("type") in {"job.done", "job.failed"}:
                        break
    if event["type"] != "job.done":
        raise CheckFailed(f"job {job_id} failed: {event}")
    return f"job.done for selftest job {job_id} after {time.monotonic() - started:.1f} s over /ws/events/"


def check_websocket(stack: Stack, token: str) -> str:
    try:
        return asyncio.run(_job_done_over_websocket(stack, token))
    except TimeoutError as exc:
        raise CheckFailed(f"no job.done within {SELFTEST_TIMEOUT:.0f} s (are the worker pools up?)") from exc


def check_metrics(stack: Stack, token: str) -> str:
    import httpx

    response = httpx.get(f"{stack.base}/metrics", timeout=15, trust_env=False)
    missing = [name for name in ("http_requests_total", "queue_depth") if name not in response.text]
    if response.status_code != 200 or missing:
        raise CheckFailed(f"GET /metrics: {response.status_code}, missing {missing}")
    return f"GET /metrics: 200 with http_requests_total and queue_depth ({len(response.text.splitlines())} lines)"


def _upload(stack: Stack, token: str, name: str, data: bytes, content_type: str):
    import httpx

    return httpx.post(
        f"{stack.base}/api/ocr/documents",
        files={"files": (name, data, content_type)},
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,
        trust_env=False,
    )


def check_too_large(stack: Stack, token: str) -> str:
    size = 21 * 1024 * 1024
    response = _upload(stack, token, "big.png", b"\0" * size, "image/png")
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    ok = (
        response.status_code == 413
        and response.headers.get("content-type", "").startswith("application/json")
        and isinstance(error, dict)
        and error.get("status") == 413
        and error.get("code") == "payload_too_large"
        and isinstance(error.get("message"), str)
    )
    if not ok:
        raise CheckFailed(
            f"{size} bytes: {response.status_code} {response.headers.get('content-type')} {response.text[:200]}"
        )
    if response.headers.get("x-error-origin") != "proxy":
        raise CheckFailed("the 413 came from the app, not from nginx's client_max_body_size")
    return f"{size} bytes refused by nginx: 413 application/json {json.dumps(body)}"


def noise_png(size: int) -> bytes:
    """A real PNG of about ``size`` bytes: random RGB pixels do not compress, so the file is as big as the pixels."""
    from PIL import Image

    width = 2500
    height = -(-size // (width * 3))
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def check_upload(stack: Stack, token: str) -> str:
    image = noise_png(15 * 1000 * 1000)
    if not 15 * 1000 * 1000 <= len(image) < MAX_BODY - 64 * 1024:
        raise CheckFailed(f"the test image is {len(image)} bytes")
    response = _upload(stack, token, "noise.png", image, "image/png")
    if response.status_code != 202 or "job_id" not in response.json():
        raise CheckFailed(f"{len(image)} bytes: {response.status_code} {response.text[:300]}")
    return f"{len(image)} byte PNG accepted: 202 job {response.json()['job_id']} (not waited for)"


# Light checks first: the OCR job of the 15 MB upload keeps a worker core busy until the pools are stopped.
CHECKS: list[tuple[str, Callable[[Stack, str], str]]] = [
    ("static", check_static),
    ("ready", check_ready),
    ("small-body", check_small_body),
    ("websocket", check_websocket),
    ("cache", check_cache),
    ("metrics", check_metrics),
    ("413", check_too_large),
    ("upload-15mb", check_upload),
]


def report(name: str, ok: bool, detail: str) -> None:
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)


def run_checks(stack: Stack, password: str) -> bool:
    token = login(stack.base, password)
    ok = True
    for name, check in CHECKS:
        try:
            detail, passed = check(stack, token), True
        except Exception as exc:
            detail, passed = f"{type(exc).__name__}: {exc}" if not isinstance(exc, CheckFailed) else str(exc), False
        report(name, passed, detail)
        ok = ok and passed
    return ok


def _timeout(signum, frame):
    raise RunTimeout(f"the deploy check ran past {TOTAL_SECONDS} s")


def _terminated(signum, frame):
    raise RunTimeout(f"stopped by signal {signum}")  # so that `finally` stops the children (e.g. a CI's SIGTERM)


def main(keep: bool = False) -> int:
    started = time.monotonic()
    signal.signal(signal.SIGALRM, _timeout)
    signal.signal(signal.SIGTERM, _terminated)
    signal.alarm(TOTAL_SECONDS)  # a bound on the whole run; `finally` still stops everything
    workdir = Path(tempfile.mkdtemp(prefix="lingua-deploycheck-"))
    procs = Processes(workdir)
    nginx_port, web_1, web_2, cache_port = free_ports(4)
    stack = Stack(nginx_port, (web_1, web_2), cache_port, workdir)
    ok = False
    try:
        find_program("nginx", "nginx")  # fail before the preparation
        env = app_env(workdir, cache_port)
        start_cache(cache_port, workdir, procs)
        password = prepare(env)
        start_stack(stack, env, procs)
        print(
            f"stack up in {time.monotonic() - started:.1f} s: nginx :{stack.nginx_port}, "
            f"gunicorn :{stack.web_ports[0]} and :{stack.web_ports[1]}, worker pools {WORKER_POOLS}, "
            f"cache Redis :{stack.cache_port}, RabbitMQ {BROKER_WHERE}",
            flush=True,
        )
        ok = run_checks(stack, password)
    except (Exception, RunTimeout) as exc:
        name = "interrupted" if isinstance(exc, RunTimeout) else "setup"
        report(name, False, str(exc) if isinstance(exc, CheckFailed | RunTimeout) else f"{type(exc).__name__}: {exc}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let the (bounded) cleanup finish
        if not ok:
            print(procs.log_tails(), file=sys.stderr)
        stopping = time.monotonic()
        killed = procs.stop()
        ok = cleanup(stack, procs, time.monotonic() - stopping, killed) and ok
        if keep:
            print(f"kept {workdir} (logs, rendered nginx.conf)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"deploy-check {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.1f} s", flush=True)
    return 0 if ok else 1


def cleanup(stack: Stack, procs: Processes, took: float, killed: list[str]) -> bool:
    """Report whether everything stopped: no child alive, nothing listening on the check's ports."""
    ports = [stack.nginx_port, *stack.web_ports, stack.cache_port]
    busy = [port for port in ports if listening(port)]
    alive = [name for name, p in procs.children.items() if procs.running(p)]
    try:
        clear_redis()
        left = clear_broker()  # the 15 MB upload's OCR job, cut short by the stop
    except Exception as exc:  # leftovers are harmless: the next run clears them first
        left = 0
        print(f"note: could not clear the Redis keys or RabbitMQ queues: {exc}", file=sys.stderr)
    ok = not busy and not alive
    report(
        "cleanup",
        ok,
        f"stopped {len(procs.children)} process groups in {took:.1f} s"
        + (f" (SIGKILL after the grace period: {', '.join(killed)})" if killed else "")
        + f", nothing listening on {ports}, the vhost's queues deleted ({left} messages left)"
        if ok
        else f"still listening: {busy}, still running: {alive}",
    )
    return ok


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render-site", metavar="OUT", help="write the nginx site rendered with the example values")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with the logs and configs")
    args = parser.parse_args()
    if args.render_site:
        Path(args.render_site).write_text(render_example())
        sys.exit(0)
    sys.exit(main(keep=args.keep))
