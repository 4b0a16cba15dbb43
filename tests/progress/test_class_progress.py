"""GET /api/classrooms/{id}/progress: one row per student, for the class's teacher and staff only."""

import pytest
from asgiref.sync import sync_to_async

from apps.accounts.models import Classroom
from apps.chat.models import Conversation
from tests.conftest import abearer
from tests.progress.conftest import say

pytestmark = pytest.mark.django_db(transaction=True)


def _class_with_work(teacher, student, other_student) -> Classroom:
    classroom = Classroom.objects.get(teacher=teacher)
    classroom.students.add(other_student)
    mine = Conversation.objects.create(learner=student, topic="Food")
    for level, days in (("B2", 1), ("B2", 2), ("B1", 25)):
        say(mine, "We cooked dinner together.", level, days)
    theirs = Conversation.objects.create(learner=other_student, topic="Music")
    say(theirs, "I like music", "A2", 40)
    return classroom


async def test_the_teacher_gets_one_row_per_student(client, teacher, student, other_student):
    classroom = await sync_to_async(_class_with_work)(teacher, student, other_student)
    response = await client.get(f"/api/classrooms/{classroom.pk}/progress", headers=await abearer(teacher))
    assert response.status_code == 200, response.text
    rows = {r["student"]["username"]: r for r in response.json()["students"]}
    assert set(rows) == {"alice", "bob"}
    assert rows["alice"]["current"]["level"] == "B2" and rows["alice"]["current"]["samples"] == 3
    assert rows["alice"]["week_messages"] == 2 and rows["alice"]["trend"]["direction"] == "up"
    assert rows["bob"]["current"]["level"] is None and rows["bob"]["week_messages"] == 0
    assert rows["bob"]["last_activity"] is not None


@pytest.mark.parametrize(("who", "status"), [("other_teacher", 404), ("student", 403), ("staff", 200)])
async def test_only_the_classes_teacher_and_staff_read_it(client, teacher, student, other_teacher, staff, who, status):
    classroom = await Classroom.objects.aget(teacher=teacher)
    person = {"other_teacher": other_teacher, "student": student, "staff": staff}[who]
    response = await client.get(f"/api/classrooms/{classroom.pk}/progress", headers=await abearer(person))
    assert response.status_code == status
    assert (response.json().get("error", {}).get("status") == status) is (status != 200)
