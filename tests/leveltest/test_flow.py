"""The attempt flow and its bad inputs."""

import pytest
from asgiref.sync import sync_to_async

from apps.cefr import bands
from apps.leveltest.models import Attempt, Item, Report, WritingAnswer
from tests.conftest import abearer
from tests.leveltest.conftest import take_test

pytestmark = pytest.mark.django_db(transaction=True)


async def start(client, user):
    headers = await abearer(user)
    response = await client.post("/api/leveltest/attempts", headers=headers)
    assert response.status_code == 201
    return response.json()["id"], headers


async def test_the_next_item_never_reveals_its_key(client, student):
    attempt, headers = await start(client, student)
    item = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=headers)).json()
    assert item["type"] == "choice" and len(item["choices"]) == 4
    assert "answer" not in item and "explanation" not in item
    again = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=headers)).json()
    assert again["id"] == item["id"]  # the same item until it is answered


async def test_answering_twice_is_409(client, student):
    attempt, headers = await start(client, student)
    item = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=headers)).json()
    url = f"/api/leveltest/attempts/{attempt}/answers/{item['id']}"
    assert (await client.put(url, json={"choice": 0}, headers=headers)).status_code == 200
    assert (await client.put(url, json={"choice": 1}, headers=headers)).status_code == 409


@pytest.mark.parametrize("body", [{"choice": 4}, {"choice": -1}])
async def test_an_unknown_choice_is_422(client, student, body):
    attempt, headers = await start(client, student)
    item = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=headers)).json()
    response = await client.put(f"/api/leveltest/attempts/{attempt}/answers/{item['id']}", json=body, headers=headers)
    assert response.status_code == 422


async def test_an_unknown_or_unserved_item_is_422(client, student):
    attempt, headers = await start(client, student)
    served = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=headers)).json()["id"]
    other = await sync_to_async(lambda: Item.objects.exclude(key=served).first().key)()
    for key in ["no-such-item", other]:
        response = await client.put(
            f"/api/leveltest/attempts/{attempt}/answers/{key}", json={"choice": 0}, headers=headers
        )
        assert response.status_code == 422, key


@pytest.mark.parametrize("body", [{}, {"choice": 1, "text": "both"}, {"choice": "b"}])
async def test_a_malformed_answer_is_422(client, student, body):
    attempt, headers = await start(client, student)
    item = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=headers)).json()
    response = await client.put(f"/api/leveltest/attempts/{attempt}/answers/{item['id']}", json=body, headers=headers)
    assert response.status_code == 422


async def test_submitting_with_too_few_answers_is_422_saying_how_many_are_needed(client, student):
    run = await take_test(client, student, lambda item: True, count=5)
    response = await client.post(f"/api/leveltest/attempts/{run['attempt']}/submit", headers=run["headers"])
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["detail"] == {"answered": 5, "needed": 7} and "7 more needed" in error["message"]


async def test_after_submit_answers_and_a_second_submit_are_409(client, student):
    run = await take_test(client, student, lambda item: True, count=12)
    url = f"/api/leveltest/attempts/{run['attempt']}"
    assert (await client.post(f"{url}/submit", headers=run["headers"])).status_code == 202
    assert (await client.post(f"{url}/submit", headers=run["headers"])).status_code == 409
    assert (await client.get(f"{url}/next", headers=run["headers"])).status_code == 409
    key = await sync_to_async(lambda: Item.objects.first().key)()
    assert (await client.put(f"{url}/answers/{key}", json={"choice": 0}, headers=run["headers"])).status_code == 409


async def test_the_report_is_202_while_pending_and_409_before_submit(client, student):
    run = await take_test(client, student, lambda item: True, count=12)
    url = f"/api/leveltest/attempts/{run['attempt']}"
    assert (await client.get(f"{url}/report", headers=run["headers"])).status_code == 409
    await client.post(f"{url}/submit", headers=run["headers"])
    pending = await client.get(f"{url}/report", headers=run["headers"])
    assert pending.status_code == 202 and pending.json()["status"] == "queued"


async def test_the_writing_sample_is_classified_and_in_the_report(client, student, worker, settings):
    settings.LEVELTEST_ITEMS = 12
    text = "My best friend is called Tom. He lives near my house and we play football every weekend."
    run = await take_test(client, student, lambda item: item.level in {"A1", "A2"}, writing=text)
    assert run["progress"]["writing_done"] is True
    writing = await WritingAnswer.objects.aget(attempt_id=run["attempt"])
    assert writing.level in {"A1", "A2", "B1", "B2", "C1", "C2"} and abs(sum(writing.scores.values()) - 1) < 1e-3
    url = f"/api/leveltest/attempts/{run['attempt']}"
    await client.post(f"{url}/submit", headers=run["headers"])
    attempt = await Attempt.objects.select_related("job").aget(pk=run["attempt"])
    from apps.jobs import services as jobs

    await jobs.wait(attempt.job, timeout=60)
    report = (await client.get(f"{url}/report", headers=run["headers"])).json()
    assert report["writing"]["text"] == text and report["writing"]["level"] == writing.level
    assert report["writing"]["band"] == bands.band(writing.scores, writing.level)
    assert report["writing"]["confidence"] == pytest.approx(max(writing.scores.values()))
    # A report written before bands existed gets its band when read.
    stored = await Report.objects.aget(attempt_id=run["attempt"])
    stored.writing = {k: v for k, v in stored.writing.items() if k not in ("band", "confidence")}
    await stored.asave(update_fields=["writing"])
    again = (await client.get(f"{url}/report", headers=run["headers"])).json()
    assert again["writing"]["band"] == report["writing"]["band"]
    assert again["writing"]["confidence"] == pytest.approx(report["writing"]["confidence"])


async def test_only_students_start_attempts(client, teacher, staff):
    for user in (teacher, staff):
        assert (await client.post("/api/leveltest/attempts", headers=await abearer(user))).status_code == 403


async def test_a_submit_that_could_not_be_queued_can_be_made_again(client, student, settings, monkeypatch):
    from apps.jobs import broker, queues, tasks

    run = await take_test(client, student, lambda item: True, count=12)
    url = f"/api/leveltest/attempts/{run['attempt']}"
    monkeypatch.setattr(broker, "_depths", {})
    settings.QUEUE_MAX_DEPTH = {**settings.QUEUE_MAX_DEPTH, "default": 1}
    await sync_to_async(broker.enqueue)(
        tasks.SELFTEST_CPU.on(queues.DEFAULT), job_id="00000000-0000-0000-0000-000000000000"
    )
    refused = await client.post(f"{url}/submit", headers=run["headers"])
    assert refused.status_code == 503
    assert (await Attempt.objects.aget(pk=run["attempt"])).submitted_at is None  # not stuck as "submitted"
    await sync_to_async(broker.dramatiq.get_broker().flush_all)()
    monkeypatch.setattr(broker, "_depths", {})
    accepted = await client.post(f"{url}/submit", headers=run["headers"])
    assert accepted.status_code == 202, accepted.text
    assert (await client.post(f"{url}/submit", headers=run["headers"])).status_code == 409


async def test_a_submit_whose_report_job_failed_can_be_made_again(client, student):
    from apps.jobs.models import Job, JobStatus

    run = await take_test(client, student, lambda item: True, count=12)
    url = f"/api/leveltest/attempts/{run['attempt']}"
    first = await client.post(f"{url}/submit", headers=run["headers"])
    assert first.status_code == 202
    await Job.objects.filter(pk=first.json()["job_id"]).aupdate(status=JobStatus.FAILED, error="retries exhausted")
    again = await client.post(f"{url}/submit", headers=run["headers"])
    assert again.status_code == 202 and again.json()["job_id"] != first.json()["job_id"]
    assert str((await Attempt.objects.aget(pk=run["attempt"])).job_id) == again.json()["job_id"]
    assert (await client.post(f"{url}/submit", headers=run["headers"])).status_code == 409  # the new job is alive
