"""Run this machine's Dramatiq worker pools (``WORKER_POOLS``), each at its own size and OS priority.

Without ``--pool`` every pool is started and supervised: a signal to this command stops them all, and if one pool
exits, the others are stopped too (the process manager restarts the whole set). ``--pool QUEUE`` runs one pool.
"""

import functools
import os
import shutil
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def dramatiq_argv(pool: dict) -> list[str]:
    exe = shutil.which("dramatiq", path=os.path.dirname(sys.executable)) or shutil.which("dramatiq")
    if exe is None:
        raise CommandError("The dramatiq command is not installed")
    argv = [exe, "actors", "--processes", str(pool["processes"]), "--threads", str(pool["threads"])]
    return [*argv, "--queues", *pool["queues"]]


class Command(BaseCommand):
    help = "Start the Dramatiq worker pools of WORKER_POOLS (or one of them with --pool)."

    def add_arguments(self, parser):
        parser.add_argument("--pool", help="run only the pool that consumes this queue")

    def handle(self, *args, pool: str | None = None, **options):
        if not settings.BROKER_URL:
            raise CommandError("Separate workers need BROKER_URL (the embedded profile runs its worker in the server)")
        pools = [p for p in settings.WORKER_POOLS if pool is None or pool in p["queues"]]
        if not pools:
            raise CommandError(f"No pool consumes {pool!r}; pools: {settings.WORKER_POOLS}")
        if len(pools) == 1:
            os.nice(pools[0]["nice"])
            os.environ["dramatiq_queue_prefetch"] = str(pools[0]["prefetch"])
            argv = dramatiq_argv(pools[0])
            self.stdout.write(f"exec {' '.join(argv[1:])} (nice {pools[0]['nice']})")
            self.stdout.flush()
            os.execv(argv[0], argv)
        self.supervise(pools)

    def supervise(self, pools: list[dict]) -> None:
        children = []
        for spec in pools:
            argv = dramatiq_argv(spec)
            self.stdout.write(f"start {' '.join(argv[1:])} (nice {spec['nice']})")
            env = {**os.environ, "dramatiq_queue_prefetch": str(spec["prefetch"])}
            children.append(subprocess.Popen(argv, env=env, preexec_fn=functools.partial(os.nice, spec["nice"])))
        self.stdout.flush()

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
