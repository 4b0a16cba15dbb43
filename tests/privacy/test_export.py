"""POST /api/me/export and GET /api/me/export/{job_id}: the learner's data, built by a real worker."""

import asyncio
import json
import time

import pytest
from asgiref.sync import sync_to_async

from apps.jobs import services as jobs
from apps.jobs.models import Job, JobStatus
from apps.privacy.models import AuditAction, AuditEvent, Export
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def fetch_when_done(client, job_id: str, headers: dict, timeout: float = 60) -> object:
    deadline = time.monotonic() + timeout
    while True:
        response = await client.get(f"/api/me/export/{job_id}", headers=headers)
        if response.status_code != 202 or time.monotonic() > deadline:
            return response
        assert response.json() == {"job_id": job_id, "status": response.json()["status"]}
        await asyncio.sleep(0.2)


async def test_the_export_holds_each_section_of_the_learners_data_and_nothing_of_anyone_else(
    client, worker, alice_data, bob_data
):
    headers = await abearer(alice_data.user)
    accepted = await client.post("/api/me/export", headers=headers)
    assert accepted.status_code == 202, accepted.text
    response = await fetch_when_done(client, accepted.json()["job_id"], headers)
    assert response.status_code == 200, response.text
    doc = response.json()

    assert doc["format"] == "lingua-export/1"
    assert doc["profile"]["username"] == "alice" and doc["profile"]["email"] == "alice@example.com"
    (conversation,) = doc["conversations"]
    assert conversation["topic"] == "Topic zebra-alice"
    learner, tutor = conversation["messages"]
    assert learner["text"] == "I goed to the park zebra-alice." and learner["cefr_level"] == "A2"
    assert learner["cefr_scores"]["A2"] == 0.6
    assert tutor["role"] == "tutor" and tutor["has_audio"] is True
    assert conversation["analyses"][0]["recommendations"] == ["Practise irregular past forms."]
    (document,) = doc["documents"]
    assert document["pages"][0]["text"] == "Unit 3: zebra-alice at the zoo"
    assert document["files"][0]["name"] == "page.png"
    (attempt,) = doc["leveltest"]["attempts"]
    assert attempt["answers"][0]["item"] == "privacy-a2-1" and attempt["answers"][0]["correct"] is True
    assert attempt["writing"]["text"] == "My town is small. zebra-alice lives here."
    assert attempt["report"]["level"] == "A2"
    assert "answer" not in attempt["report"]["items"][0] and "explanation" not in attempt["report"]["items"][0]
    assert {j["kind"] for j in doc["jobs"]} == {"privacy.export"}
    progress = doc["progress"]  # what the progress figures keep: her mistakes (her words) and word counts
    assert [(m["kind"], m["wrong"], m["message_id"]) for m in progress["mistakes"]] == [
        ("agreement", "zebra-alice like", learner["id"])
    ]
    assert {(w["source"], w["message_id"]) for w in progress["word_profiles"]} >= {("chat", learner["id"])}

    raw = json.dumps(doc)
    assert "okapi-bob" not in raw and "bob@example.com" not in raw
    # the job's own result stays small: the document lives in its Export row
    job = await Job.objects.aget(pk=accepted.json()["job_id"])
    assert set(job.result) == {"export_id", "bytes"} and job.result["bytes"] > 500
    assert await Export.objects.filter(owner=alice_data.user).acount() == 1


async def test_anyone_elses_export_and_jobs_of_other_kinds_are_not_found(client, student, other_student):
    alice, bob = await abearer(student), await abearer(other_student)
    job_id = (await client.post("/api/me/export", headers=alice)).json()["job_id"]
    assert (await client.get(f"/api/me/export/{job_id}", headers=bob)).status_code == 404
    other_kind = await sync_to_async(jobs.create_finished)(student.pk, "selftest", {"ok": True})
    assert (await client.get(f"/api/me/export/{other_kind.pk}", headers=alice)).status_code == 404
    assert (await client.get(f"/api/me/export/{job_id}")).status_code == 401


async def test_while_it_runs_the_state_is_202_and_asking_again_returns_the_same_job(client, student):
    headers = await abearer(student)  # no worker: the job stays queued
    first = await client.post("/api/me/export", headers=headers)
    again = await client.post("/api/me/export", headers=headers)
    assert first.status_code == again.status_code == 202
    assert again.json()["job_id"] == first.json()["job_id"]
    waiting = await client.get(f"/api/me/export/{first.json()['job_id']}", headers=headers)
    assert waiting.status_code == 202 and waiting.json()["status"] == "queued"
    assert await Job.objects.filter(kind="privacy.export").acount() == 1


async def test_export_requests_are_rate_limited(client, student, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": 2}
    headers = await abearer(student)
    for _ in range(2):
        assert (await client.post("/api/me/export", headers=headers)).status_code == 202
    refused = await client.post("/api/me/export", headers=headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


async def test_a_failed_export_is_409_and_a_purged_one_410(client, student):
    headers = await abearer(student)
    failed = await Job.objects.acreate(owner=student, kind="privacy.export", status=JobStatus.FAILED, error="boom")
    response = await client.get(f"/api/me/export/{failed.pk}", headers=headers)
    assert response.status_code == 409 and "request a new one" in response.json()["error"]["message"]
    purged = await Job.objects.acreate(owner=student, kind="privacy.export", status=JobStatus.DONE)
    response = await client.get(f"/api/me/export/{purged.pk}", headers=headers)
    assert response.status_code == 410 and response.json()["error"]["code"] == "gone"


async def test_the_learners_own_export_is_audited_without_their_name(client, student):
    job_id = (await client.post("/api/me/export", headers=await abearer(student))).json()["job_id"]
    event = await AuditEvent.objects.aget(action=AuditAction.EXPORT)
    assert (event.actor_id, event.subject_id, event.actor_role, event.via) == (student.pk, student.pk, "student", "api")
    assert event.object_id == job_id and "alice" not in json.dumps(event.detail)
