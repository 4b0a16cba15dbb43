"""Chat work in worker processes: the conversation analysis and speech synthesis of tutor replies."""

from apps.chat import background, speech, tasks
from apps.jobs.declare import Progress, job_actor
from apps.jobs.models import Job


@job_actor(tasks.ANALYSE, time_limit=300_000)
def analyse(job: Job, progress: Progress) -> dict:
    result = background.analyse(job)
    progress(1, 1)
    return result


@job_actor(tasks.SPEAK, time_limit=120_000, throws=(speech.SpeechFailed,))
def speak(job: Job, progress: Progress) -> dict:
    result = background.speak(job)
    progress(1, 1)
    return result
