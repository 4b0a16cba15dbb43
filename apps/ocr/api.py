from uuid import UUID

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import aget_object_or_404
from ninja import Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from apps.accounts.auth import caller, jwt_auth
from apps.core.errors import Unprocessable, error_response
from apps.core.pagination import ListPagination
from apps.core.ratelimit import limit_user
from apps.jobs import services as jobs
from apps.jobs.models import JobStatus
from apps.ocr import services
from apps.ocr.errors import UnsupportedMediaType
from apps.ocr.models import Document, DocumentKind
from apps.ocr.schemas import DocumentAccepted, DocumentOut, DocumentSummaryOut, ImageResultOut, UsageOut

router = Router(tags=["ocr"], auth=jwt_auth)


def _multipart(*fields: str, many: bool = False) -> dict:
    file_schema = {"type": "string", "format": "binary"}
    props = {f: ({"type": "array", "items": file_schema} if many else file_schema) for f in fields}
    return {"requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": props}}}}}


@router.post(
    "/ocr/image",
    response={200: ImageResultOut, 202: DocumentAccepted},
    summary="Recognise one image (PNG, JPEG, WebP, TIFF, BMP); 202 with a job id past the wait budget",
    openapi_extra=_multipart("file"),
)
async def ocr_image(request: HttpRequest):
    await limit_user("ocr", caller(request).id)
    files = await services.read_uploads(request, "file")
    if len(files) != 1:
        raise Unprocessable("Send exactly one image in the multipart field 'file'")
    (upload,) = await services.inspect_all(files)
    if upload.format == "pdf":
        raise UnsupportedMediaType("PDFs go to POST /api/ocr/documents")
    document = await services.start(caller(request).id, DocumentKind.IMAGE, [upload])
    assert document.job is not None  # start() always attaches a job
    job = await jobs.wait(document.job, settings.OCR_WAIT_SECONDS)
    if job.status == JobStatus.DONE:
        document = await Document.objects.aget(pk=document.pk)  # the worker stored the vocabulary meanwhile
        return Status(200, await _image_result(document))
    if job.status == JobStatus.FAILED:
        return await _failure(document)
    return Status(202, {"job_id": job.id, "document_id": document.id, "status": job.status})


@router.post(
    "/ocr/documents",
    response={202: DocumentAccepted},
    summary="Recognise a PDF (field 'file') or several images (field 'files') in the background",
    openapi_extra=_multipart("file", "files", many=True),
)
async def ocr_document(request: HttpRequest):
    await limit_user("ocr", caller(request).id)
    files = await services.read_uploads(request, "file") + await services.read_uploads(request, "files")
    if not files:
        raise Unprocessable("Send a PDF in the multipart field 'file' or images in 'files'")
    if len(files) > settings.OCR_MAX_IMAGES:
        raise Unprocessable(f"At most {settings.OCR_MAX_IMAGES} images per document")
    uploads = await services.inspect_all(files)
    pdfs = [u for u in uploads if u.format == "pdf"]
    if pdfs and len(uploads) > 1:
        raise Unprocessable("Send one PDF, or images only")
    if sum(u.pages for u in uploads) > settings.OCR_MAX_PAGES:
        raise Unprocessable(f"At most {settings.OCR_MAX_PAGES} pages per document")
    kind = DocumentKind.PDF if pdfs else DocumentKind.IMAGES
    document = await services.start(caller(request).id, kind, uploads)
    status = document.job.status if document.job else "queued"
    return Status(202, {"job_id": document.job_id, "document_id": document.id, "status": status})


@router.get("/ocr/documents", response=list[DocumentSummaryOut], summary="The caller's documents, newest first")
@paginate(ListPagination)
async def list_documents(request: HttpRequest):
    # The status _summary() reads from the job, as a column: a document without a job yet is queued.
    status = Coalesce(F("job__status"), Value(JobStatus.QUEUED.value))
    return Document.objects.for_user(caller(request).id).annotate(status=status)


@router.get("/ocr/documents/{uuid:document_id}", response=DocumentOut, summary="A document with its pages")
async def get_document(request: HttpRequest, document_id: UUID):
    qs = Document.objects.for_user(caller(request).id).select_related("job")
    document = await aget_object_or_404(qs, pk=document_id)
    job = document.job
    return {
        **_summary(document),
        "engine": document.engine,
        "progress": {"done": job.progress_done if job else 0, "total": job.progress_total if job else None},
        "error": document.error,
        **await services.result(document),
    }


@router.delete(
    "/ocr/documents/{uuid:document_id}",
    response={204: None},
    summary="Delete a document with its pages and files (frees its space in the caller's quota)",
)
async def delete_document(request: HttpRequest, document_id: UUID):
    document = await aget_object_or_404(Document.objects.for_user(caller(request).id), pk=document_id)
    await services.delete(document)
    return Status(204, None)


@router.get(
    "/ocr/usage",
    response=UsageOut,
    summary="The bytes the caller's uploads take and their quota (OCR_USER_QUOTA_MB; null: none)",
)
async def usage(request: HttpRequest):
    used = await sync_to_async(services.used_bytes)(caller(request).id)
    return {"used_bytes": used, "quota_bytes": services.quota_bytes()}


def _summary(document: Document) -> dict:
    return {
        "id": document.id,
        "kind": document.kind,
        "title": document.title,
        "page_count": document.page_count,
        "status": document.job.status if document.job else JobStatus.QUEUED,
        "created_at": document.created_at,
    }


async def _image_result(document: Document) -> dict:
    result = await services.result(document)
    empty = {"text": "", "lines": [], "elapsed_ms": 0, "width": 0, "height": 0, "seconds": {}}
    page = result["pages"][0] if result["pages"] else empty
    return {
        "text": page["text"],
        "lines": page["lines"],
        "words": result["words"],
        "engine": document.engine,
        "elapsed_ms": page["elapsed_ms"],
        "width": page["width"],
        "height": page["height"],
        "seconds": page["seconds"],
        "document_id": document.id,
    }


async def _failure(document: Document):
    document = await Document.objects.aget(pk=document.pk)
    status = document.error_status or 500
    if status >= 500 and status != 503:
        raise HttpError(500, "Recognition failed")
    return error_response(status, document.error or None)
