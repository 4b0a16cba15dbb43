"""The self-test job: CPU-bound work for capacity checks and benchmarks."""

from apps.jobs import selftest, tasks
from apps.jobs.declare import Progress, job_actor
from apps.jobs.models import Job


@job_actor(tasks.SELFTEST_CPU, time_limit=60_000)
def cpu(job: Job, progress: Progress) -> dict:
    result = selftest.run(int(job.params.get("work_ms", 300)))
    progress(1, 1)
    return result
