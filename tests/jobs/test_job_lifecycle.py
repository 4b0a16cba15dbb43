"""Jobs run by a real Dramatiq worker on the Redis broker; the web side waits on the channel layer."""

import pytest
from asgiref.sync import sync_to_async

from apps.jobs import services, tasks
from apps.jobs.models import Job, JobStatus
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_self_test_runs_on_a_worker_and_the_request_awaits_it(client, staff, worker):
    response = await client.post("/api/jobs/selftest", json={"work_ms": 50}, headers=await abearer(staff))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "done" and body["progress"] == {"done": 1, "total": 1}
    assert body["result"]["primes"] > 0
    job = await Job.objects.aget(pk=body["id"])
    assert job.attempts == 1 and job.finished_at is not None


async def test_past_the_wait_budget_the_request_answers_202_with_the_job_id(client, staff, worker, settings):
    settings.JOB_WAIT_SECONDS = 0.05
    response = await client.post("/api/jobs/selftest", json={"work_ms": 1500}, headers=await abearer(staff))
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    job = await services.wait(await Job.objects.aget(pk=job_id), timeout=20)
    assert job.status == JobStatus.DONE


async def test_without_a_worker_the_job_stays_queued_and_the_request_answers_202(client, staff, settings):
    settings.JOB_WAIT_SECONDS = 0.2
    response = await client.post("/api/jobs/selftest", json={"work_ms": 5}, headers=await abearer(staff))
    assert response.status_code == 202
    assert response.json()["status"] == "queued"


def test_a_job_finishes_exactly_once(student):
    job = Job.objects.create(owner=student, kind="selftest")
    assert services.start(str(job.id)) is not None
    assert services.finish(str(job.id), {"n": 1}) is True
    assert services.finish(str(job.id), {"n": 2}) is False
    assert services.fail(str(job.id), "late failure") is False
    assert services.start(str(job.id)) is None  # a redelivered message does nothing
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result == {"n": 1} and job.attempts == 1


async def test_a_redelivered_message_for_a_finished_job_is_a_no_op(staff, worker):
    import dramatiq

    job = await services.submit(staff.pk, "selftest", tasks.SELFTEST_CPU, params={"work_ms": 5})
    job = await services.wait(job, timeout=20)
    assert job.status == JobStatus.DONE
    first_result = job.result
    await sync_to_async(services.broker.enqueue)(tasks.SELFTEST_CPU, job_id=str(job.id))
    await sync_to_async(dramatiq.get_broker().join)("interactive", timeout=10_000)
    await sync_to_async(worker.join)()
    job = await Job.objects.aget(pk=job.pk)
    assert job.result == first_result and job.attempts == 1


async def test_a_job_whose_actor_keeps_failing_ends_failed(student, worker, settings):
    job = await Job.objects.acreate(owner=student, kind="selftest", params={"work_ms": "not a number"})
    await sync_to_async(services.broker.enqueue)(tasks.SELFTEST_CPU, job_id=str(job.id))
    job = await services.wait(job, timeout=60)
    assert job.status == JobStatus.FAILED
    assert "ValueError" in job.error
