"""The level-test report, written in a worker when an attempt is submitted."""

from actors.jobs import job_actor
from apps.jobs.models import Job
from apps.leveltest import reports
from apps.leveltest.models import Attempt


@job_actor(actor_name="leveltest.report", queue_name="default", time_limit=120_000)
def report(job: Job, progress) -> dict:
    attempt = Attempt.objects.select_related("learner").get(pk=job.params["attempt_id"])
    saved = reports.save(attempt)
    progress(1, 1)
    return {"attempt_id": str(attempt.pk), "level": saved.level, "standard_error": saved.standard_error}
