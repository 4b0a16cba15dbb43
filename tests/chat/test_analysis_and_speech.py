"""The 100th-message analysis (every 3rd here) and spoken replies, through real workers."""

import io
import wave

import pytest

from apps.chat import tasks
from apps.chat.models import Analysis, Message, Role
from apps.jobs import services as jobs
from apps.jobs.models import Job
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def test_every_nth_learner_message_starts_an_analysis(client, student, conversation, worker, settings):
    settings.CHAT_ANALYSIS_EVERY = 3
    headers = await abearer(student)
    texts = ["i like a apple.", "He go to the park yesterday", "My sister didn't went to school."]
    for i, text in enumerate(texts):
        assert (
            await client.post(
                f"/api/chat/conversations/{conversation.pk}/messages", json={"text": text}, headers=headers
            )
        ).status_code == 200
        assert await Job.objects.filter(kind="chat.analysis").acount() == (1 if i == 2 else 0)
    job = await jobs.wait(await Job.objects.aget(kind="chat.analysis"), timeout=60)
    assert job.status == "done", job.error
    analyses = (await client.get(f"/api/chat/conversations/{conversation.pk}/analyses", headers=headers)).json()
    assert len(analyses) == 1
    analysis = analyses[0]
    assert analysis["learner_messages"] == 3 and analysis["source"] == "statistics"
    kinds = {e["type"] for e in analysis["error_types"]}
    assert {"articles", "agreement", "verb forms", "capitals"} <= kinds
    assert analysis["vocabulary"]["distinct_words"] > 5 and analysis["recommendations"]
    assert analysis["level_trend"][0]["from"] == 1 and analysis["level_trend"][0]["to"] == 3


async def test_the_analysis_asks_the_llm_when_one_is_configured(student, conversation, fake_llm, worker):
    await Message.objects.acreate(conversation=conversation, role=Role.LEARNER, text="I has a dog.")
    job = await jobs.submit(
        student.pk, "chat.analysis", tasks.ANALYSE, params={"conversation_id": conversation.pk, "learner_messages": 1}
    )
    job = await jobs.wait(job, timeout=60)
    analysis = await Analysis.objects.aget(conversation=conversation)
    assert analysis.source == "llm" and analysis.recommendations[0] == "Practise the present simple."
    assert fake_llm.behaviour.requests[-1].get("stream") in (None, False)


async def test_a_tutor_reply_is_spoken_as_a_wav(client, student, conversation, worker):
    headers = await abearer(student)
    turn = (
        await client.post(
            f"/api/chat/conversations/{conversation.pk}/messages", json={"text": "Hello there."}, headers=headers
        )
    ).json()
    audio_url = f"/api/chat/messages/{turn['reply']['id']}/audio"
    pending = await client.get(audio_url, headers=headers)
    assert pending.status_code == 202
    job = await jobs.wait(await Job.objects.aget(pk=pending.json()["job_id"]), timeout=60)
    assert job.status == "done", job.error
    response = await client.get(audio_url, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as wav:
        assert wav.getnframes() / wav.getframerate() > 0.3


async def test_nobody_else_gets_the_audio_and_learner_messages_have_none(client, student, other_student, conversation):
    reply = await Message.objects.acreate(conversation=conversation, role=Role.TUTOR, text="Hi!")
    learner = await Message.objects.acreate(conversation=conversation, role=Role.LEARNER, text="Hello")
    assert (
        await client.get(f"/api/chat/messages/{reply.pk}/audio", headers=await abearer(other_student))
    ).status_code == 404
    assert (
        await client.get(f"/api/chat/messages/{learner.pk}/audio", headers=await abearer(student))
    ).status_code == 404
