"""Gunicorn settings for the web processes: uvicorn workers serving ``project.asgi:application``.

Run: ``python -m gunicorn -c deploy/gunicorn.conf.py project.asgi:application`` (see deploy/systemd/). Every value
comes from the environment (the same ``/etc/lingua/env`` as the app), so one file serves every machine.
"""

import os

# Gunicorn's own worker class for ASGI moved out of uvicorn (``uvicorn.workers`` is deprecated) into uvicorn-worker.
worker_class = "uvicorn_worker.UvicornWorker"


def _env_int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be an integer, not {raw!r}") from exc
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, not {value}")
    return value


def _usable_cores() -> int:
    # The CPUs this process may run on (a container or a systemd CPUAffinity= limit), not every core of the host.
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


# One event loop per core: the web process never blocks (models run in the Dramatiq workers), so the
# ``2 * cores + 1`` rule for blocking sync workers would only add memory. WEB_WORKERS overrides it.
workers = _env_int("WEB_WORKERS", _usable_cores())
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{_env_int('PORT', 8001)}"]

# Behind nginx, which buffers uploads and slow clients: the backlog only needs to absorb bursts.
backlog = 2048
# Uvicorn workers ping the arbiter from their event loop, so ``timeout`` is the longest the loop may stall before
# the worker is killed, not a request limit. Endpoints legitimately wait up to 30 s (OCR) on the channel layer
# without blocking the loop; 120 s is well past that and still catches a wedged process.
timeout = _env_int("WEB_TIMEOUT", 120)
# On SIGTERM (systemd stop, deploys) in-flight requests get this long to finish; systemd's TimeoutStopSec is above.
graceful_timeout = _env_int("WEB_GRACEFUL_TIMEOUT", 35)
# Longer than nginx's upstream keepalive_timeout (60 s): the proxy must close idle connections first, or it may
# reuse one at the instant the worker closes it and answer 502.
keepalive = _env_int("WEB_KEEPALIVE", 75)
# Recycle workers now and then (slow leaks in third-party code); the jitter keeps them from restarting together.
max_requests = _env_int("WEB_MAX_REQUESTS", 20_000, minimum=0)
max_requests_jitter = _env_int("WEB_MAX_REQUESTS_JITTER", 2_000, minimum=0)

# The heartbeat file is touched on every notify: on a disk-backed /tmp that can stall the worker under I/O load.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Trust X-Forwarded-For/-Proto only from the proxy in front (nginx on the same machine by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# nginx already writes an access log with timings; a second one per request only costs CPU. Errors go to stderr
# (journald under systemd). GUNICORN_ACCESS_LOG=- turns the access log on.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "lingua-web"


def child_exit(server, worker):
    """Drop a dead worker's live gauges from the shared Prometheus folder (its counters are kept, as they should)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
