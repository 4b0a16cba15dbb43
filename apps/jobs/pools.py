"""Worker pools (``WORKER_POOLS``): the Dramatiq processes of a worker machine, and the embedded worker.

A pool is ``{"queues": [...], "processes": n, "threads": n, "nice": n, "prefetch": n}`` (parsed by
``project.env.envpools``). ``make worker`` starts every pool as its own ``dramatiq actors`` command at its own OS
priority and supervises them; the embedded profile runs worker threads inside the web process instead.
"""

import asyncio
import functools
import logging
import os
import shutil
import signal
import subprocess
import sys

import dramatiq
from django.conf import settings

from apps.jobs import events

logger = logging.getLogger(__name__)

ACTORS_MODULE = "actors"  # what ``dramatiq`` imports in a pool process: it registers every actor


class WorkerNotInstalled(RuntimeError):
    """Raised when the ``dramatiq`` command cannot be found next to this Python or on the PATH."""


def dramatiq_argv(pool: dict) -> list[str]:
    """The command line of one pool's ``dramatiq`` process; raises ``WorkerNotInstalled``."""
    exe = shutil.which("dramatiq", path=os.path.dirname(sys.executable)) or shutil.which("dramatiq")
    if exe is None:
        raise WorkerNotInstalled("The dramatiq command is not installed")
    argv = [exe, ACTORS_MODULE, "--processes", str(pool["processes"]), "--threads", str(pool["threads"])]
    return [*argv, "--queues", *pool["queues"]]


def pools_for(queue: str | None) -> list[dict]:
    """The pools of ``WORKER_POOLS``, or only the one that consumes ``queue``."""
    return [pool for pool in settings.WORKER_POOLS if queue is None or queue in pool["queues"]]


def exec_pool(pool: dict) -> None:
    """Become the pool's ``dramatiq`` process at the pool's priority (does not return)."""
    os.nice(pool["nice"])
    os.environ["dramatiq_queue_prefetch"] = str(pool["prefetch"])
    argv = dramatiq_argv(pool)
    os.execv(argv[0], argv)


def supervise(pools: list[dict]) -> None:
    """Run every pool as a child process until one exits or a signal comes; then stop them all."""
    children = []
    for pool in pools:
        argv = dramatiq_argv(pool)
        env = {**os.environ, "dramatiq_queue_prefetch": str(pool["prefetch"])}
        children.append(subprocess.Popen(argv, env=env, preexec_fn=functools.partial(os.nice, pool["nice"])))

    def stop(signum, frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        os.wait()  # the first pool to exit ends the set
    except ChildProcessError:
        pass
    stop(None, None)
    for child in children:
        child.wait()


def start_embedded_worker(loop: asyncio.AbstractEventLoop) -> dramatiq.Worker:
    """Run Dramatiq worker threads in this process (embedded profile): events publish on the server's loop.

    The caller imports the actors first (``project.lifespan`` imports ``actors``), so they are registered.
    """
    events.bind_loop(loop)
    worker = dramatiq.Worker(dramatiq.get_broker(), worker_threads=settings.WORKER_THREADS, worker_timeout=100)
    worker.start()
    logger.info("embedded worker started with %d threads", settings.WORKER_THREADS)
    return worker
