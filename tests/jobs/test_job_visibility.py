import pytest

from apps.jobs.models import Job
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alices_job(student):
    return Job.objects.create(owner=student, kind="selftest", params={"work_ms": 1})


async def test_the_owner_reads_their_job(client, student, alices_job):
    response = await client.get(f"/api/jobs/{alices_job.id}", headers=await abearer(student))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(alices_job.id)
    assert body["status"] == "queued" and body["progress"] == {"done": 0, "total": None}


@pytest.mark.parametrize("who", ["other_student", "teacher", "staff"])
async def test_anyone_else_gets_404_for_the_job(client, alices_job, who, other_student, teacher, staff):
    user = {"other_student": other_student, "teacher": teacher, "staff": staff}[who]
    response = await client.get(f"/api/jobs/{alices_job.id}", headers=await abearer(user))
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "code": "not_found", "message": "Not found"}}


async def test_the_job_list_holds_only_the_callers_jobs(client, student, other_student, alices_job):
    assert [j["id"] for j in (await client.get("/api/jobs", headers=await abearer(student))).json()] == [
        str(alices_job.id)
    ]
    assert (await client.get("/api/jobs", headers=await abearer(other_student))).json() == []


async def test_a_malformed_job_id_is_not_found(client, student):
    response = await client.get("/api/jobs/not-a-uuid", headers=await abearer(student))
    assert response.status_code == 404
