"""The learner's data export, built in a worker when they ask for it."""

from apps.jobs.declare import Progress, job_actor
from apps.jobs.models import Job
from apps.privacy import services, tasks


@job_actor(tasks.EXPORT, time_limit=300_000)
def export(job: Job, progress: Progress) -> dict:
    result = services.write_export(job)
    progress(1, 1)
    return result
