import pytest

from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_teacher_sees_only_their_own_classes(client, teacher, other_teacher, student):
    mine = await client.get("/api/classrooms", headers=await abearer(teacher))
    assert [c["name"] for c in mine.json()] == ["Class 7B"]
    assert mine.json()[0]["student_ids"] == [student.pk]
    theirs = await client.get("/api/classrooms", headers=await abearer(other_teacher))
    assert theirs.json() == []


async def test_a_student_sees_the_classes_they_belong_to(client, teacher, student, other_student):
    assert [c["name"] for c in (await client.get("/api/classrooms", headers=await abearer(student))).json()] == [
        "Class 7B"
    ]
    assert (await client.get("/api/classrooms", headers=await abearer(other_student))).json() == []


async def test_staff_see_every_class(client, teacher, staff):
    assert len((await client.get("/api/classrooms", headers=await abearer(staff))).json()) == 1


@pytest.mark.parametrize("who", ["student", "teacher"])
async def test_only_staff_may_run_the_cpu_self_test(client, who, student, teacher):
    user = {"student": student, "teacher": teacher}[who]
    response = await client.post("/api/jobs/selftest", json={"work_ms": 10}, headers=await abearer(user))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


async def test_anonymous_callers_get_401_everywhere_but_health(client):
    for method, path in [("get", "/api/me"), ("get", "/api/jobs"), ("post", "/api/auth/ws-ticket")]:
        response = await getattr(client, method)(path)
        assert response.status_code == 401, path
    assert (await client.get("/api/health")).status_code == 200


def test_only_staff_reach_the_admin(client_factory_sync, student, teacher, staff):
    for user, expected in [(student, 302), (teacher, 302), (staff, 200)]:
        client_factory_sync.force_login(user)
        response = client_factory_sync.get("/admin/jobs/job/")
        assert response.status_code == expected, user.username
