"""Run this machine's Dramatiq worker pools (``WORKER_POOLS``), each at its own size and OS priority.

Without ``--pool`` every pool is started and supervised: a signal to this command stops them all, and if one pool
exits, the others are stopped too (the process manager restarts the whole set). ``--pool QUEUE`` runs one pool.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.jobs import pools as worker_pools


class Command(BaseCommand):
    help = "Start the Dramatiq worker pools of WORKER_POOLS (or one of them with --pool)."

    def add_arguments(self, parser):
        parser.add_argument("--pool", help="run only the pool that consumes this queue")

    def handle(self, *args, pool: str | None = None, **options):
        if not settings.BROKER_URL:
            raise CommandError("Separate workers need BROKER_URL (the embedded profile runs its worker in the server)")
        pools = worker_pools.pools_for(pool)
        if not pools:
            raise CommandError(f"No pool consumes {pool!r}; pools: {settings.WORKER_POOLS}")
        verb = "exec" if len(pools) == 1 else "start"
        try:
            for spec in pools:
                self.stdout.write(f"{verb} {' '.join(worker_pools.dramatiq_argv(spec)[1:])} (nice {spec['nice']})")
            self.stdout.flush()
            if len(pools) == 1:
                worker_pools.exec_pool(pools[0])
            worker_pools.supervise(pools)
        except worker_pools.WorkerNotInstalled as exc:
            raise CommandError(str(exc)) from None
