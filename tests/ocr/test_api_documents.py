"""POST /api/ocr/documents: PDFs and image sets in the background, with progress events and stored results."""

import io
from pathlib import Path

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings

from apps.jobs import services as jobs
from apps.jobs.models import Job, JobStatus
from project.asgi import application
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)
OCR = Path(settings.SHARED_DIR) / "data" / "ocr"


async def post(client, user, files: list[tuple[str, tuple]]):
    return await client.post("/api/ocr/documents", files=files, headers=await abearer(user), timeout=120)


def pdf_file(name: str) -> tuple[str, tuple]:
    return ("file", (name, io.BytesIO((OCR / "pdfs" / name).read_bytes()), "application/pdf"))


def image_file(name: str) -> tuple[str, tuple]:
    return ("files", (name, io.BytesIO((OCR / "images" / name).read_bytes()), "image/png"))


async def finished(job_id: str) -> Job:
    return await jobs.wait(await Job.objects.aget(pk=job_id), timeout=120)


async def test_a_pdf_with_a_text_layer_uses_it(client, student, worker):
    response = await post(client, student, [pdf_file("issue-598-example.pdf")])
    assert response.status_code == 202, response.text
    body = response.json()
    assert (await finished(body["job_id"])).status == JobStatus.DONE
    document = (await client.get(f"/api/ocr/documents/{body['document_id']}", headers=await abearer(student))).json()
    assert document["status"] == "done" and document["page_count"] == 1
    assert document["pages"][0]["source"] == "text_layer"
    assert "Earth Science" in document["pages"][0]["text"]
    assert {"word", "count", "cefr", "occurrences"} <= set(document["words"][0])
    page = document["pages"][0]
    dpi = settings.OCR_PDF_DPI
    assert (page["width"], page["height"], page["dpi"]) == (round(8.5 * dpi), 11 * dpi, dpi)  # a letter page
    science = next(w for w in document["words"] if w["word"] == "science")
    for place in science["occurrences"]:
        assert "science" in page["lines"][place["line"]]["words"][place["word"]]["text"].lower()
    assert page["seconds"]["read"] > 0 and page["seconds"]["render"] == 0  # nothing was rendered


async def test_several_images_are_recognised_page_by_page_with_progress_events(client, student, worker):
    ticket = (await client.post("/api/auth/ws-ticket", headers=await abearer(student))).json()["ticket"]
    socket = WebsocketCommunicator(application, f"/ws/events/?ticket={ticket}")
    assert (await socket.connect())[0]
    files = [image_file("uw3_010001.png"), image_file("uw3_010002.png"), image_file("uw3_010003.png")]
    response = await post(client, student, files)
    assert response.status_code == 202
    events = []
    while not events or events[-1]["type"] not in {"job.done", "job.failed"}:
        events.append(await socket.receive_json_from(timeout=120))
    await socket.disconnect()
    assert events[-1]["type"] == "job.done"
    progress = [e["progress"]["done"] for e in events if e["type"] == "job.progress" and e["status"] == "running"]
    assert sorted(set(progress))[-1] == 3 and 1 in progress
    document = (
        await client.get(f"/api/ocr/documents/{response.json()['document_id']}", headers=await abearer(student))
    ).json()
    assert [p["number"] for p in document["pages"]] == [1, 2, 3]
    assert all(p["source"] == "ocr" and p["text"] for p in document["pages"])


async def test_a_pdf_over_the_page_limit_is_422(client, student, settings):
    settings.OCR_MAX_PAGES = 2
    response = await post(client, student, [pdf_file("federal-register-2020-17221.pdf")])
    assert response.status_code == 422
    assert "2" in response.json()["error"]["message"]


async def test_a_truncated_pdf_is_422(client, student):
    data = (OCR / "pdfs" / "issue-598-example.pdf").read_bytes()
    response = await post(client, student, [("file", ("cut.pdf", io.BytesIO(data[:5000]), "application/pdf"))])
    assert response.status_code == 422


async def test_a_pdf_mixed_with_images_is_422(client, student):
    response = await post(client, student, [pdf_file("issue-598-example.pdf"), image_file("uw3_010001.png")])
    assert response.status_code == 422


async def test_nothing_uploaded_is_422(client, student):
    assert (await post(client, student, [])).status_code == 422


async def test_another_users_document_is_not_found(client, student, other_student):
    response = await post(client, student, [pdf_file("issue-598-example.pdf")])
    document_id = response.json()["document_id"]
    assert (
        await client.get(f"/api/ocr/documents/{document_id}", headers=await abearer(other_student))
    ).status_code == 404
    assert (await client.get("/api/ocr/documents", headers=await abearer(other_student))).json() == []
    mine = (await client.get("/api/ocr/documents", headers=await abearer(student))).json()
    assert [d["id"] for d in mine] == [document_id]
