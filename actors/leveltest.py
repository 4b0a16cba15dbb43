"""The level-test report, written in a worker when an attempt is submitted."""

from apps.jobs.declare import Progress, job_actor
from apps.jobs.models import Job
from apps.leveltest import reports, tasks
from apps.leveltest.models import Attempt


@job_actor(tasks.REPORT, time_limit=120_000)
def report(job: Job, progress: Progress) -> dict:
    attempt = Attempt.objects.select_related("learner").get(pk=job.params["attempt_id"])
    saved = reports.save(attempt)
    progress(1, 1)
    return {"attempt_id": str(attempt.pk), "level": saved.level, "standard_error": saved.standard_error}
