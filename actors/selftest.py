"""The self-test job: CPU-bound work for capacity checks and benchmarks."""

import os
import socket
import time

from actors.jobs import job_actor
from apps.jobs.models import Job
from apps.jobs.selftest import burn_cpu


@job_actor(actor_name="selftest.cpu", queue_name="interactive", time_limit=60_000)
def cpu(job: Job, progress) -> dict:
    started = time.perf_counter()
    primes = burn_cpu(int(job.params.get("work_ms", 300)))
    progress(1, 1)
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    # Which worker did it (machine and process): shows how work spreads over worker machines.
    return {"primes": primes, "elapsed_ms": elapsed_ms, "host": socket.gethostname(), "pid": os.getpid()}
