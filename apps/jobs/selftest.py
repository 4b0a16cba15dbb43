"""CPU-bound work of a requested duration, for capacity checks and benchmarks (run only in workers)."""

import os
import socket
import time


def burn_cpu(work_ms: int) -> int:
    """Count primes by trial division for about ``work_ms`` of this thread's CPU time; return how many."""
    deadline = time.thread_time() + work_ms / 1000
    found, candidate = 0, 2
    while time.thread_time() < deadline:
        for _ in range(200):
            if all(candidate % d for d in range(2, int(candidate**0.5) + 1)):
                found += 1
            candidate += 1
    return found


def run(work_ms: int) -> dict:
    """The self-test job's result: primes found in ``work_ms`` of CPU, the time taken, and which worker did it
    (machine and process: shows how work spreads over worker machines)."""
    started = time.perf_counter()
    primes = burn_cpu(work_ms)
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    return {"primes": primes, "elapsed_ms": elapsed_ms, "host": socket.gethostname(), "pid": os.getpid()}
