"""Backpressure (deep queues -> 503 + Retry-After) and per-user rate limits (429 + Retry-After)."""

import pytest
from asgiref.sync import sync_to_async

from apps.cefr import tasks as cefr_tasks
from apps.jobs import broker, tasks
from apps.jobs.models import Job
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_depths(monkeypatch):
    monkeypatch.setattr(broker, "_depths", {})


async def test_a_deep_queue_refuses_new_jobs_with_503_and_creates_nothing(client, staff, settings):
    settings.QUEUE_MAX_DEPTH = {**settings.QUEUE_MAX_DEPTH, "interactive": 2}
    for _ in range(2):
        await sync_to_async(broker.enqueue)(tasks.SELFTEST_CPU, job_id="00000000-0000-0000-0000-000000000000")
    before = await Job.objects.acount()
    response = await client.post("/api/jobs/selftest", json={"work_ms": 5}, headers=await abearer(staff))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert "busy" in response.json()["error"]["message"]
    assert await Job.objects.acount() == before


async def test_a_deep_cefr_queue_refuses_classification(client, student, settings):
    settings.QUEUE_MAX_DEPTH = {**settings.QUEUE_MAX_DEPTH, "cefr": 1}
    await sync_to_async(broker.enqueue)(cefr_tasks.CLASSIFY, texts=["x"], reply_to="nobody")
    response = await client.post(
        "/api/cefr/classify", json={"texts": ["A new sentence."]}, headers=await abearer(student)
    )
    assert response.status_code == 503 and response.headers["Retry-After"]


async def test_heavy_endpoints_have_a_per_user_rate_limit(client, student, other_student, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ocr": 2}
    headers = await abearer(student)
    statuses = [(await client.post("/api/ocr/image", headers=headers)).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]  # no file: 422 until the limit, then 429 before anything else
    limited = await client.post("/api/ocr/image", headers=headers)
    assert int(limited.headers["Retry-After"]) >= 1
    assert (await client.post("/api/ocr/image", headers=await abearer(other_student))).status_code == 422
