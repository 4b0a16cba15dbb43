"""The per-user storage quota of OCR uploads: 413 past it (nothing stored), the usage endpoint, deleting frees space."""

import asyncio
import io
import random
import time
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings
from PIL import Image

from apps.jobs.models import Job, JobStatus
from apps.ocr import services
from apps.ocr.models import Document, Page, SourceFile
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _one_megabyte(settings, tmp_path):
    settings.OCR_USER_QUOTA_MB = 1
    settings.MEDIA_ROOT = str(tmp_path)  # our own storage: other test runs may write to the shared one meanwhile
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ocr": 1_000}


def noise_png(kb: int, seed: int) -> bytes:
    """A PNG of random pixels (incompressible, so its size is about ``kb`` kilobytes), different for each seed."""
    side = int((kb * 1024 / 3) ** 0.5)
    pixels = random.Random(seed).randbytes(side * side * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(out, "PNG")
    return out.getvalue()


def stored_files() -> set[Path]:
    root = Path(django_settings.MEDIA_ROOT) / "ocr"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def upload(client, user, *images: bytes):
    files = [("files", (f"page{i}.png", io.BytesIO(data), "image/png")) for i, data in enumerate(images)]
    return await client.post("/api/ocr/documents", files=files, headers=await abearer(user))


async def usage(client, user) -> dict:
    response = await client.get("/api/ocr/usage", headers=await abearer(user))
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_upload_past_the_quota_is_413_and_stores_nothing(client, student):
    first, second = noise_png(600, 1), noise_png(600, 2)
    assert (await upload(client, student, first)).status_code == 202
    before = await sync_to_async(stored_files)()
    refused = await upload(client, student, second)
    assert refused.status_code == 413, refused.text
    error = refused.json()["error"]
    assert error["code"] == "quota_exceeded"
    assert error["detail"] == {"used_bytes": len(first), "quota_bytes": MB, "upload_bytes": len(second)}
    assert "1.0 MB" in error["message"] and "DELETE /api/ocr/documents/" in error["message"]
    image = await client.post(
        "/api/ocr/image", files={"file": ("b.png", io.BytesIO(second), "image/png")}, headers=await abearer(student)
    )
    assert image.status_code == 413 and image.json()["error"]["code"] == "quota_exceeded"
    assert await Document.objects.acount() == 1 and await SourceFile.objects.acount() == 1
    assert await Job.objects.acount() == 1
    assert await sync_to_async(stored_files)() == before


async def test_the_usage_endpoint_shows_what_the_caller_has_stored(client, student, other_student, settings):
    assert await usage(client, student) == {"used_bytes": 0, "quota_bytes": MB}
    images = noise_png(200, 3), noise_png(300, 4)
    assert (await upload(client, student, *images)).status_code == 202
    assert await usage(client, student) == {"used_bytes": sum(map(len, images)), "quota_bytes": MB}
    assert await usage(client, other_student) == {"used_bytes": 0, "quota_bytes": MB}
    settings.OCR_USER_QUOTA_MB = 0
    assert await usage(client, student) == {"used_bytes": sum(map(len, images)), "quota_bytes": None}


async def test_another_users_uploads_do_not_count(client, student, other_student):
    assert (await upload(client, student, noise_png(900, 5))).status_code == 202
    assert (await upload(client, other_student, noise_png(900, 6))).status_code == 202


async def test_deleting_a_document_frees_its_space(client, student, other_student):
    kept, big, later = noise_png(300, 7), noise_png(600, 8), noise_png(600, 9)
    assert (await upload(client, student, kept)).status_code == 202
    accepted = await upload(client, student, big)
    assert accepted.status_code == 202
    assert (await upload(client, student, later)).status_code == 413
    document_id = accepted.json()["document_id"]
    paths = [Path(s.file.path) async for s in SourceFile.objects.filter(document_id=document_id)]
    url = f"/api/ocr/documents/{document_id}"
    assert (await client.delete(url, headers=await abearer(other_student))).status_code == 404
    assert await Document.objects.filter(pk=document_id).aexists() and all(p.exists() for p in paths)
    deleted = await client.delete(url, headers=await abearer(student))
    assert deleted.status_code == 204 and not deleted.content
    assert not await Document.objects.filter(pk=document_id).aexists()
    assert not any(p.exists() for p in paths)
    assert (await usage(client, student))["used_bytes"] == len(kept)
    assert (await upload(client, student, later)).status_code == 202
    assert (await client.delete(url, headers=await abearer(student))).status_code == 404


async def test_concurrent_uploads_cannot_pass_the_quota_together(client, student, monkeypatch):
    """Each upload reads the usage slowly (as under load), so without the per-user lock all of them would see
    nothing used and store: 4 x 400 kB against 1 MB."""
    real = services.used_bytes

    def slow_used_bytes(owner_id):
        used = real(owner_id)
        time.sleep(0.3)
        return used

    monkeypatch.setattr(services, "used_bytes", slow_used_bytes)
    before = await sync_to_async(stored_files)()
    images = [noise_png(400, 10 + i) for i in range(4)]
    responses = await asyncio.gather(*(upload(client, student, image) for image in images))
    assert sorted(r.status_code for r in responses) == [202, 202, 413, 413], [r.text for r in responses]
    assert await SourceFile.objects.acount() == 2
    assert await sync_to_async(real)(student.pk) <= MB
    assert len(await sync_to_async(stored_files)() - before) == 2


async def test_no_quota_when_it_is_zero(client, student, settings):
    settings.OCR_USER_QUOTA_MB = 0
    for seed in (20, 21):
        assert (await upload(client, student, noise_png(700, seed))).status_code == 202


async def test_a_document_deleted_before_its_job_ran_is_skipped_by_its_actors(client, student):
    import actors.ocr

    accepted = await upload(client, student, noise_png(50, 30), noise_png(50, 31))
    assert accepted.status_code == 202
    url = f"/api/ocr/documents/{accepted.json()['document_id']}"
    assert (await client.delete(url, headers=await abearer(student))).status_code == 204
    job_id = accepted.json()["job_id"]
    job = await Job.objects.aget(pk=job_id)
    assert job.status == JobStatus.FAILED and "deleted" in job.error
    # The messages already queued arrive after the deletion (as a worker would run them): nothing to do, no error.
    await sync_to_async(actors.ocr.document)(job_id)
    await sync_to_async(actors.ocr.page)(job_id, 1)
    assert (await Job.objects.aget(pk=job_id)).status == JobStatus.FAILED and await Page.objects.acount() == 0
