"""Uploads and storage: a refused upload stores nothing, a deleted document leaves no file."""

import io
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from apps.jobs import broker, tasks
from apps.ocr.models import Document, SourceFile
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "ocr"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def page() -> bytes:
    return (Path(settings.SHARED_DIR) / "data" / "ocr" / "images" / "tess_phototest.png").read_bytes()


async def test_an_upload_refused_by_backpressure_leaves_no_file_and_no_row(client, student, settings, monkeypatch):
    monkeypatch.setattr(broker, "_depths", {})
    settings.QUEUE_MAX_DEPTH = {**settings.QUEUE_MAX_DEPTH, "interactive": 1}
    await sync_to_async(broker.enqueue)(tasks.SELFTEST_CPU, job_id="00000000-0000-0000-0000-000000000000")
    before = await sync_to_async(stored_files)()
    files = {"file": ("page.png", io.BytesIO(page()), "image/png")}
    for _ in range(3):  # a client retrying
        response = await client.post("/api/ocr/image", files=files, headers=await abearer(student))
        assert response.status_code == 503 and response.headers["Retry-After"]
    assert await Document.objects.acount() == 0 and await SourceFile.objects.acount() == 0
    assert await sync_to_async(stored_files)() == before


async def test_deleting_a_document_deletes_its_files(client, student, worker):
    response = await client.post(
        "/api/ocr/documents",
        files=[("files", ("a.png", io.BytesIO(page()), "image/png"))],
        headers=await abearer(student),
    )
    assert response.status_code == 202, response.text
    document = await Document.objects.aget(owner=student)
    paths = [Path(s.file.path) async for s in SourceFile.objects.filter(document=document)]
    assert paths and all(p.exists() for p in paths)
    await document.adelete()
    assert not any(p.exists() for p in paths)
