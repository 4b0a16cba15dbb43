"""List endpoints page through Ninja's @paginate and still answer a plain JSON list, limits clamped as before."""

import pytest
from asgiref.sync import sync_to_async

from apps.chat.models import Conversation, Message, Role
from apps.core.pagination import MAX_LIMIT, MAX_OFFSET
from apps.jobs.models import Job, JobStatus
from apps.ocr.models import Document, DocumentKind
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


# One row at a time, so that each has its own created_at and the newest-first order has no ties.
def _jobs(owner, n):
    for _ in range(n):
        Job.objects.create(owner=owner, kind="selftest")


def _conversations(owner, n):
    for i in range(n):
        Conversation.objects.create(learner=owner, topic=f"topic {i}")


def _documents(owner, n):
    for i in range(n):
        Document.objects.create(owner=owner, kind=DocumentKind.IMAGES, engine="onnx", fingerprint=f"{i:064d}")


async def _sync(make, owner, n):
    await sync_to_async(make)(owner, n)


LISTS = [("/api/jobs", _jobs), ("/api/chat/conversations", _conversations), ("/api/ocr/documents", _documents)]


@pytest.mark.parametrize(("path", "make"), LISTS)
async def test_a_list_is_a_plain_json_list_of_the_default_twenty(client, student, path, make):
    await _sync(make, student, 25)
    response = await client.get(path, headers=await abearer(student))
    assert response.status_code == 200 and isinstance(response.json(), list) and len(response.json()) == 20


@pytest.mark.parametrize(("path", "make"), LISTS)
async def test_an_over_large_limit_is_clamped_to_the_maximum(client, student, path, make):
    await _sync(make, student, MAX_LIMIT + 3)
    response = await client.get(f"{path}?limit=100000", headers=await abearer(student))
    assert response.status_code == 200 and len(response.json()) == MAX_LIMIT


@pytest.mark.parametrize(("path", "make"), LISTS)
async def test_limit_and_offset_pick_the_window_and_out_of_range_values_are_clamped(client, student, path, make):
    await _sync(make, student, 5)
    headers = await abearer(student)
    everything = [row["id"] for row in (await client.get(path, headers=headers)).json()]
    window = (await client.get(f"{path}?limit=2&offset=1", headers=headers)).json()
    assert [row["id"] for row in window] == everything[1:3]
    assert len((await client.get(f"{path}?limit=0", headers=headers)).json()) == 1
    negative = (await client.get(f"{path}?limit=2&offset=-7", headers=headers)).json()
    assert [row["id"] for row in negative] == everything[:2]


@pytest.mark.parametrize(("path", "make"), LISTS)
async def test_an_offset_past_what_the_database_can_skip_is_a_422(client, student, path, make):
    response = await client.get(f"{path}?offset={MAX_OFFSET + 1}", headers=await abearer(student))
    assert response.status_code == 422 and "offset" in response.text
    assert (await client.get(f"{path}?offset={MAX_OFFSET}", headers=await abearer(student))).json() == []


async def test_a_document_without_a_job_is_listed_queued_and_one_with_a_job_shows_its_status(client, student):
    job = await Job.objects.acreate(owner=student, kind="ocr.document", status=JobStatus.DONE)
    await Document.objects.acreate(owner=student, kind=DocumentKind.PDF, engine="onnx", fingerprint="a", job=job)
    await Document.objects.acreate(owner=student, kind=DocumentKind.PDF, engine="onnx", fingerprint="b")
    listed = (await client.get("/api/ocr/documents", headers=await abearer(student))).json()
    assert [d["status"] for d in listed] == ["queued", "done"]
    assert set(listed[0]) == {"id", "kind", "title", "page_count", "status", "created_at"}


async def test_chat_history_clamps_an_over_large_limit_to_200(client, student):
    conversation = await Conversation.objects.acreate(learner=student, topic="long")
    await Message.objects.abulk_create(
        [Message(conversation=conversation, role=Role.LEARNER, text=f"m{i}") for i in range(203)]
    )
    url = f"/api/chat/conversations/{conversation.pk}/messages"
    page = (await client.get(f"{url}?limit=5000", headers=await abearer(student))).json()
    assert set(page) == {"messages", "next_before"}
    assert [m["text"] for m in page["messages"]] == [f"m{i}" for i in range(3, 203)]
    rest = (await client.get(f"{url}?before={page['next_before']}&limit=0", headers=await abearer(student))).json()
    assert [m["text"] for m in rest["messages"]] == ["m2"] and rest["next_before"] == rest["messages"][0]["id"]
