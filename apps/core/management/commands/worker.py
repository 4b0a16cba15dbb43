"""Run the Dramatiq worker processes for this machine, sized and niced from the settings."""

import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Start Dramatiq workers (WORKER_PROCESSES x WORKER_THREADS on WORKER_QUEUES, at nice WORKER_NICE)."

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=settings.WORKER_PROCESSES)
        parser.add_argument("--threads", type=int, default=settings.WORKER_THREADS)
        parser.add_argument("--queues", default=",".join(settings.WORKER_QUEUES))

    def handle(self, *args, processes: int, threads: int, queues: str, **options):
        if not settings.REDIS_URL:
            raise CommandError("Separate workers need REDIS_URL (the embedded profile runs its worker in the server)")
        dramatiq = shutil.which("dramatiq", path=os.path.dirname(sys.executable)) or shutil.which("dramatiq")
        if dramatiq is None:
            raise CommandError("The dramatiq command is not installed")
        # Lower priority than the web processes: light requests are answered at once even when every core is busy.
        os.nice(settings.WORKER_NICE)
        argv = [dramatiq, "actors", "--processes", str(processes), "--threads", str(threads)]
        argv += ["--queues", *[q.strip() for q in queues.split(",") if q.strip()]]
        self.stdout.write(f"exec {' '.join(argv)} (nice {settings.WORKER_NICE})")
        self.stdout.flush()
        os.execv(dramatiq, argv)
