"""The learner's data export, built in a worker when they ask for it."""

from actors.jobs import job_actor
from apps.jobs.models import Job
from apps.privacy import services


@job_actor(actor_name=services.EXPORT_ACTOR, queue_name=services.EXPORT_QUEUE, time_limit=300_000)
def export(job: Job, progress) -> dict:
    result = services.write_export(job)
    progress(1, 1)
    return result
