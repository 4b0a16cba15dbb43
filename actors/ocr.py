"""OCR actors: a document actor plans the pages, page actors recognise them (in parallel across workers)."""

import dramatiq

from apps.ocr import pipeline


@dramatiq.actor(actor_name="ocr.document", queue_name="documents", time_limit=600_000)
def document(job_id: str) -> None:
    pipeline.run_document(job_id)


@dramatiq.actor(actor_name="ocr.page", queue_name="documents", time_limit=300_000)
def page(job_id: str, number: int) -> None:
    pipeline.run_page(job_id, number)
