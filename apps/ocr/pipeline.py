"""OCR of a stored document in worker processes: plan its pages, recognise each (in parallel across workers), merge.

Each page is stored once (unique per document and number), so a redelivered message does no second inference; the
page that completes the document merges the vocabulary and finishes the job (exactly once, by the job's guard).
The ``ocr.*`` actors only call ``run_document`` and ``run_page``.
"""

import logging
import time

from django.db import IntegrityError

from apps.core.errors import ApiError
from apps.jobs import broker
from apps.jobs import services as jobs
from apps.ocr import tasks
from apps.ocr.models import Document, DocumentKind, Page

logger = logging.getLogger(__name__)


def run_document(job_id: str) -> None:
    """Start the job: recognise a single page here, or send each page still missing to the page actor."""
    if jobs.start(job_id) is None:
        return
    doc = Document.objects.filter(job_id=job_id).first()
    if doc is None:  # deleted by its owner meanwhile (which fails the job first); never leave a job running
        jobs.fail(job_id, "The document was deleted")
        return
    done = set(doc.pages.values_list("number", flat=True))
    todo = [n for n in range(1, doc.page_count + 1) if n not in done]
    if len(todo) <= 1:
        for number in todo:
            run_page(job_id, number)  # a single image: no second hop through the broker
        _complete_if_done(job_id, doc)
        return
    for number in todo:
        broker.enqueue(tasks.PAGE.on(tasks.queue_for(doc.kind)), job_id=job_id, number=number)


def run_page(job_id: str, number: int) -> None:
    """Recognise page ``number`` unless it is stored; finish the job if it was the last. A bad file fails the job
    with its 4xx status; an engine that cannot load fails it with 503; anything else goes to Dramatiq's retries."""
    from apps.ocr.engines import EngineUnavailable

    doc = Document.objects.select_related("job").filter(job_id=job_id).first()
    if doc is None or doc.job is None or doc.job.is_finished:  # deleted meanwhile, or finished
        return
    if not doc.pages.filter(number=number).exists():
        try:
            _recognise(doc, number)
        except ApiError as exc:
            _fail(job_id, doc, exc.status, exc.message or str(exc))
            return
        except EngineUnavailable as exc:
            _fail(job_id, doc, 503, f"OCR engine unavailable: {exc}")
            return
    _complete_if_done(job_id, doc)


def _recognise(doc: Document, number: int) -> None:
    from apps.ocr import imaging, pages
    from apps.ocr.engines import get_engine

    started = time.perf_counter()
    if doc.kind == DocumentKind.PDF:
        data = doc.sources.get().file.open("rb").read()
        page = pages.recognise_pdf_page(data, number - 1, lambda: get_engine(doc.engine))
    else:
        image = imaging.open_image(doc.sources.get(index=number - 1).file.open("rb").read())
        page = pages.recognise_image(image, get_engine(doc.engine))
    _save(doc, number, page, started)


def _save(doc: Document, number: int, page: dict, started: float) -> None:
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    try:
        Page.objects.create(
            document=doc,
            number=number,
            source=page["source"],
            text=page["text"],
            lines=page["lines"],
            width=page["width"],
            height=page["height"],
            dpi=page["dpi"],
            seconds=page["seconds"],
            elapsed_ms=elapsed,
        )
    except IntegrityError:
        logger.info("page already stored", extra={"document": str(doc.id), "page": number})


def _complete_if_done(job_id: str, doc: Document) -> None:
    from apps.ocr.vocabulary import vocabulary_of_pages

    done = doc.pages.count()
    jobs.progress(job_id, done, doc.page_count)
    if done < doc.page_count:
        return
    stored = list(doc.pages.order_by("number").values_list("text", "lines"))
    Document.objects.filter(pk=doc.pk).update(vocabulary=vocabulary_of_pages(stored))
    jobs.finish(job_id, {"document_id": str(doc.id), "pages": doc.page_count})


def _fail(job_id: str, doc: Document, status: int, message: str) -> None:
    Document.objects.filter(pk=doc.pk).update(error_status=status, error=message[:2000])
    jobs.fail(job_id, message[:2000])


warmed_up = False


def warm_up() -> None:
    """Build this process's OCR engine at boot (a missing engine is logged at once), then run everything a first
    page costs once: a page-sized image through the engine, the vocabulary's lemmatiser and word list, the decoders.
    Without it the first images a new worker process gets took up to 1.5x their time."""
    global warmed_up
    from apps.ocr.engines import EngineUnavailable, get_engine

    try:
        engine = get_engine()
    except EngineUnavailable as exc:
        logger.error("OCR engine cannot be loaded: %s", exc)
        return
    if warmed_up:
        return
    from apps.ocr import pdf  # noqa: F401  (imported by the first PDF page otherwise)
    from apps.ocr.vocabulary import vocabulary

    started = time.perf_counter()
    engine.warm_up()
    vocabulary("Warm up: the learners were reading their books.")
    warmed_up = True
    logger.info("OCR warmed up in %.1f s", time.perf_counter() - started)
