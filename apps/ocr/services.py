"""OCR on the web side: accept uploads, reuse stored results for known content, start and read documents.

Nothing here decodes images or runs an engine: uploads are sniffed and checked from their headers in a worker
thread (cheap), stored, and recognised by the ``ocr.*`` actors.
"""

import hashlib
import logging
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest

from apps.jobs import broker
from apps.jobs import services as jobs
from apps.jobs.models import Job, JobStatus
from apps.ocr import tasks
from apps.ocr.errors import QuotaExceeded
from apps.ocr.models import Document, Page, SourceFile

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    format: str
    sha256: str
    pages: int


async def read_uploads(request: HttpRequest, field: str) -> list[tuple[str, bytes]]:
    """The uploaded files of multipart ``field`` as ``(name, bytes)``; parsing runs in a thread, not on the loop."""

    def parse() -> list[tuple[str, bytes]]:
        return [(f.name or "", f.read()) for f in request.FILES.getlist(field)]

    return await sync_to_async(parse, thread_sensitive=False)()


def inspect(name: str, data: bytes) -> Upload:
    """Check one upload by its content (never its name or type); raise 413/415/422 errors for bad files.

    Images are checked from their header (size limit, pixel limit against decompression bombs) and PDFs opened
    (encryption, page count, page sizes); nothing is decoded or rendered here.
    """
    from apps.ocr import imaging, pdf

    kind = imaging.check_upload(data, name or None)
    fmt = imaging.sniff(data) or kind
    pages = pdf.inspect_pdf(data).page_count if kind == "pdf" else 1
    return Upload(name=name[:255], data=data, format=fmt, sha256=hashlib.sha256(data).hexdigest(), pages=pages)


async def inspect_all(files: list[tuple[str, bytes]]) -> list[Upload]:
    return await sync_to_async(lambda: [inspect(n, d) for n, d in files], thread_sensitive=False)()


def fingerprint(uploads: list[Upload]) -> str:
    return hashlib.sha256("\n".join(u.sha256 for u in uploads).encode()).hexdigest()


async def start(owner_id: int, kind: str, uploads: list[Upload], title: str = "") -> Document:
    """Store the uploads as a new document and start recognising it (or copy a stored result of the same content).

    Backpressure (503) and the owner's quota (``QuotaExceeded``, 413) are checked before anything is stored: a refused
    upload leaves no file and no row, and one whose job cannot be queued is deleted again, files included.
    """
    engine = settings.OCR_ENGINE
    queue = tasks.queue_for(kind)
    total = sum(u.pages for u in uploads)
    known = await _stored_result(fingerprint(uploads), engine)
    if known is None:
        await broker.admit(queue)
    document = await sync_to_async(_create)(owner_id, kind, uploads, engine, title, total)
    if known is not None:
        await sync_to_async(_copy_result)(known, document)
        return document

    async def attach(job: Job) -> None:  # before the message exists: the worker finds the document by its job
        document.job = job
        await document.asave(update_fields=["job"])

    try:
        await jobs.submit(owner_id, f"ocr.{kind}", tasks.DOCUMENT.on(queue), total=total, attach=attach)
    except Exception:
        await document.adelete()
        raise
    return document


@transaction.atomic
def _create(owner_id: int, kind: str, uploads: list[Upload], engine: str, title: str, total: int) -> Document:
    _check_quota(owner_id, sum(len(u.data) for u in uploads))
    document = Document.objects.create(
        owner_id=owner_id,
        kind=kind,
        title=title or uploads[0].name,
        engine=engine,
        fingerprint=fingerprint(uploads),
        page_count=total,
    )
    for index, upload in enumerate(uploads):
        source = SourceFile(
            document=document, index=index, name=upload.name, sha256=upload.sha256, size=len(upload.data)
        )
        source.format = upload.format
        source.file.save(f"{upload.sha256}.{upload.format}", ContentFile(upload.data), save=False)
        source.save()
    return document


def quota_bytes() -> int | None:
    """The per-user storage quota in bytes, ``None`` when there is none."""
    return settings.OCR_USER_QUOTA_MB * 1024 * 1024 or None


def used_bytes(owner_id: int) -> int:
    """What the user's stored uploads take: the source files of all their documents, in bytes."""
    return SourceFile.objects.filter(document__owner_id=owner_id).aggregate(total=Sum("size"))["total"] or 0


def _check_quota(owner_id: int, upload: int) -> None:
    """Raise ``QuotaExceeded`` if ``upload`` bytes more would pass the owner's quota; call inside the transaction
    that stores them. The owner's row is locked until it commits, so concurrent uploads are checked one at a time
    (each sees what the others stored) and cannot overshoot together."""
    quota = quota_bytes()
    if quota is None:
        return
    list(get_user_model().objects.select_for_update().filter(pk=owner_id).values_list("pk", flat=True))
    used = used_bytes(owner_id)
    if used + upload > quota:
        raise QuotaExceeded(used, quota, upload)


async def delete(document: Document) -> None:
    """Delete the document with its pages and stored files (its space is free again); an unfinished job is failed
    first, so the workers skip what is left of it."""
    if document.job_id is not None:
        await sync_to_async(jobs.fail)(str(document.job_id), "The document was deleted")
    await document.adelete()


async def _stored_result(content: str, engine: str) -> Document | None:
    """A finished document with the same content and engine, whoever uploaded it (the result is the same)."""
    return (
        await Document.objects.filter(fingerprint=content, engine=engine, job__status=JobStatus.DONE)
        .order_by("created_at")
        .afirst()
    )


@transaction.atomic
def _copy_result(known: Document, document: Document) -> None:
    Page.objects.bulk_create(
        Page(
            document=document,
            number=p.number,
            source=p.source,
            text=p.text,
            lines=p.lines,
            width=p.width,
            height=p.height,
            dpi=p.dpi,
            seconds=p.seconds,
            elapsed_ms=0,
        )
        for p in known.pages.all()
    )
    document.vocabulary = known.vocabulary
    document.job = jobs.create_finished(
        document.owner_id, f"ocr.{document.kind}", {"document_id": str(document.id), "pages": document.page_count}
    )
    document.save(update_fields=["vocabulary", "job"])
    logger.info("reused stored OCR result", extra={"document": str(document.id), "from": str(known.id)})


async def result(document: Document) -> dict:
    """The document's recognised pages and merged vocabulary (the API's document schema)."""
    pages = [p async for p in document.pages.all()]
    return {
        "pages": [
            {
                "number": p.number,
                "source": p.source,
                "text": p.text,
                "lines": p.lines,
                "width": p.width,
                "height": p.height,
                "dpi": p.dpi,
                "seconds": p.seconds,
                "elapsed_ms": p.elapsed_ms,
            }
            for p in pages
        ],
        "words": document.vocabulary or [],
    }
