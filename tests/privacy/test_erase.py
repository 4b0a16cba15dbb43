"""DELETE /api/me: the learner, their rows, files and cache entries go; their tokens stop working; others stay."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async

from apps.accounts.models import Classroom, User
from apps.accounts.tokens import issue_pair
from apps.cefr.services import cache_key
from apps.chat.models import Analysis, Conversation, Message, SpeechClip
from apps.core.kv import kv
from apps.jobs.models import Job
from apps.leveltest.models import Answer, Attempt, Report, WritingAnswer
from apps.ocr.models import Document, Page, SourceFile
from apps.privacy.models import AuditAction, AuditEvent, Export
from tests.conftest import PASSWORD, abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def erase(client, headers: dict, password: str = PASSWORD):
    return await client.request("DELETE", "/api/me", json={"password": password}, headers=headers)


async def rows_of(user_id: int) -> dict[str, int]:
    return {
        "conversations": await Conversation.objects.filter(learner_id=user_id).acount(),
        "messages": await Message.objects.filter(conversation__learner_id=user_id).acount(),
        "analyses": await Analysis.objects.filter(conversation__learner_id=user_id).acount(),
        "speech": await SpeechClip.objects.filter(message__conversation__learner_id=user_id).acount(),
        "documents": await Document.objects.filter(owner_id=user_id).acount(),
        "sources": await SourceFile.objects.filter(document__owner_id=user_id).acount(),
        "pages": await Page.objects.filter(document__owner_id=user_id).acount(),
        "attempts": await Attempt.objects.filter(learner_id=user_id).acount(),
        "answers": await Answer.objects.filter(attempt__learner_id=user_id).acount(),
        "writing": await WritingAnswer.objects.filter(attempt__learner_id=user_id).acount(),
        "reports": await Report.objects.filter(attempt__learner_id=user_id).acount(),
        "jobs": await Job.objects.filter(owner_id=user_id).acount(),
        "exports": await Export.objects.filter(owner_id=user_id).acount(),
    }


async def test_erasure_removes_every_row_and_file_of_the_learner_and_nothing_of_anyone_else(
    client, worker, alice_data, bob_data
):
    alice_id = alice_data.user.pk
    headers = await abearer(alice_data.user)
    job_id = (await client.post("/api/me/export", headers=headers)).json()["job_id"]
    for _ in range(300):  # an export exists too, once the worker is done
        if await Export.objects.filter(job_id=job_id).aexists():
            break
        await asyncio.sleep(0.1)
    before = await rows_of(alice_id)
    assert all(before.values()), before
    bob_before = await rows_of(bob_data.user.pk)

    response = await erase(client, headers)
    assert response.status_code == 204, response.text

    assert not await User.objects.filter(pk=alice_id).aexists()
    assert await rows_of(alice_id) == dict.fromkeys(before, 0)
    assert not any(p.exists() for p in alice_data.files)  # the upload and the speech clip
    assert await rows_of(bob_data.user.pk) == bob_before
    assert all(p.exists() for p in bob_data.files)
    assert await User.objects.filter(pk=bob_data.user.pk).aexists()


async def test_the_learners_cache_entries_go_and_others_stay(client, alice_data, bob_data):
    mine = cache_key("I goed to the park zebra-alice.")
    my_writing = cache_key("zebra-alice lives here.")
    theirs = cache_key("I goed to the park okapi-bob.")
    for key in (mine, my_writing, theirs):
        await kv().set(key, json.dumps({"level": "A2", "scores": {}}), 600)
    assert (await erase(client, await abearer(alice_data.user))).status_code == 204
    assert await kv().get(mine) is None and await kv().get(my_writing) is None
    assert await kv().get(theirs) is not None


async def test_after_erasure_every_token_of_the_learner_is_refused(client, student):
    used = await abearer(student)
    assert (await client.get("/api/me", headers=used)).status_code == 200  # verified and cached
    pair = await sync_to_async(issue_pair)(student)
    assert (await erase(client, await abearer(student))).status_code == 204
    assert (await client.get("/api/me", headers=used)).status_code == 401
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {pair['access']}"})).status_code == 401
    assert (await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})).status_code == 401
    token = await client.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})
    assert token.status_code == 401


async def test_a_wrong_password_erases_nothing_and_counts_as_a_failed_sign_in(client, student, settings):
    settings.AUTH_FAILURE_LIMIT = 3
    headers = await abearer(student)
    for _ in range(3):
        refused = await erase(client, headers, password="not my password")
        assert refused.status_code == 403 and refused.json()["error"]["message"] == "The password is wrong"
    locked = await erase(client, headers)  # the right password, but the account is locked for this address
    assert locked.status_code == 429 and locked.headers["Retry-After"]
    signin = await client.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})
    assert signin.status_code == 429
    assert await User.objects.filter(pk=student.pk).aexists()
    assert not await AuditEvent.objects.aexists()


async def test_a_missing_password_is_422(client, student):
    response = await client.request("DELETE", "/api/me", json={}, headers=await abearer(student))
    assert response.status_code == 422
    assert await User.objects.filter(pk=student.pk).aexists()


async def test_a_teacher_who_owns_classes_gets_409_and_keeps_everything(client, teacher, student):
    response = await erase(client, await abearer(teacher))
    assert response.status_code == 409, response.text
    assert "class" in response.json()["error"]["message"] and response.json()["error"]["detail"] == {"classes": 1}
    assert await User.objects.filter(pk=teacher.pk).aexists()
    assert await Classroom.objects.filter(teacher=teacher, students=student).aexists()
    assert (await client.get("/api/me", headers=await abearer(teacher))).status_code == 200


async def test_a_teacher_without_classes_can_erase_themselves(client, other_teacher):
    assert (await erase(client, await abearer(other_teacher))).status_code == 204
    assert not await User.objects.filter(pk=other_teacher.pk).aexists()


async def test_erasing_leaves_an_audit_event_with_ids_and_counts_but_nothing_of_the_person(client, alice_data):
    alice_id = alice_data.user.pk
    assert (await erase(client, await abearer(alice_data.user))).status_code == 204
    event = await AuditEvent.objects.aget(action=AuditAction.ERASE)
    assert (event.actor_id, event.subject_id, event.actor_role, event.via) == (alice_id, alice_id, "student", "api")
    assert event.detail["deleted"]["chat.Message"] == 2 and event.detail["deleted"]["ocr.SourceFile"] == 1
    text = json.dumps([event.detail, event.object_id, event.object_type, str(event)])
    assert "alice" not in text and "zebra" not in text


async def test_an_erased_learner_leaves_their_class_and_the_class_stays(client, teacher, student, other_student):
    classroom = await Classroom.objects.aget(teacher=teacher)
    await classroom.students.aadd(other_student)
    assert (await erase(client, await abearer(student))).status_code == 204
    assert [u.pk async for u in classroom.students.all()] == [other_student.pk]
    assert await User.objects.filter(pk=teacher.pk).aexists()
