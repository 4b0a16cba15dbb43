"""OCR actors: a document actor plans the pages, page actors recognise them (in parallel across workers).

They are plain actors, not ``job_actor``s: the document actor starts the job and fans its pages out to the page
actor, and the page that completes the document finishes the job (``apps.ocr.pipeline``).
"""

from apps.jobs.declare import actor
from apps.ocr import pipeline, tasks


@actor(tasks.DOCUMENT, time_limit=600_000)
def document(job_id: str) -> None:
    pipeline.run_document(job_id)


@actor(tasks.PAGE, time_limit=300_000)
def page(job_id: str, number: int) -> None:
    pipeline.run_page(job_id, number)
