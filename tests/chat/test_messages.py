"""Sending messages: saved first, classified and answered concurrently, tokens streamed on the websocket."""

import pytest
from channels.testing import WebsocketCommunicator

from apps.cefr import bands
from apps.chat.models import Message, ReplyStatus, Role
from project.asgi import application
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


def url(conversation, suffix="messages"):
    return f"/api/chat/conversations/{conversation.pk}/{suffix}"


async def test_the_offline_tutor_corrects_a_mistake_and_the_message_gets_a_level(client, student, conversation, worker):
    response = await client.post(
        url(conversation), json={"text": "She go to school every day."}, headers=await abearer(student)
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["message"]["role"] == "learner" and body["message"]["text"] == "She go to school every day."
    cefr = body["message"]["cefr"]
    assert cefr["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"} and cefr["level"] in cefr["band"].split("-")
    assert cefr["band"] == bands.band(cefr["scores"])
    assert cefr["confidence"] == pytest.approx(max(cefr["scores"].values()))
    reply = body["reply"]
    assert reply["status"] == "done" and reply["metadata"] == {"offline": True}
    assert '"She goes"' in reply["text"] and reply["text"].endswith("?")
    assert reply["model_name"] == "offline-tutor"


async def _reply_events(client, student, conversation, text):
    """Post ``text`` with the conversation's websocket open; the reply and the ``chat.token`` events before
    ``chat.reply``."""
    ticket = (await client.post("/api/auth/ws-ticket", headers=await abearer(student))).json()["ticket"]
    socket = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/?ticket={ticket}")
    assert (await socket.connect())[0]
    response = await client.post(url(conversation), json={"text": text}, headers=await abearer(student))
    assert response.status_code == 200, response.text
    tokens = []
    while (event := await socket.receive_json_from(timeout=10))["type"] != "chat.reply":
        tokens.append(event)
    await socket.disconnect()
    return response.json()["reply"], tokens


async def test_a_real_openai_client_streams_tokens_in_order_on_the_websocket(
    client, student, conversation, fake_llm, settings
):
    settings.CHAT_TOKEN_FLUSH_MS = 0  # every token as soon as the sender is free
    fake_llm.behaviour.token_delay = 0.01
    reply, tokens = await _reply_events(client, student, conversation, "I like football")
    assert [t["index"] for t in tokens] == list(range(len(tokens))) and len(tokens) > 3
    assert "".join(t["token"] for t in tokens).strip() == reply["text"]
    assert reply["text"] == "You said: I like football Tell me more about that?"
    assert reply["model_name"].startswith("fake-tutor-1")
    assert reply["tokens"]["completion"] > 0 and reply["tokens"]["prompt"] > 0
    sent = fake_llm.behaviour.requests[-1]
    assert sent["stream"] is True and sent["messages"][0]["role"] == "system"
    assert "Learner level" in sent["messages"][0]["content"]


async def test_tokens_that_arrive_within_the_flush_window_travel_in_one_event(
    client, student, conversation, fake_llm, settings
):
    settings.CHAT_TOKEN_FLUSH_MS = 150
    fake_llm.behaviour.token_delay = 0.02  # 14 words, 20 ms apart: about 280 ms of streaming
    reply, tokens = await _reply_events(client, student, conversation, "I went to the park with my dog")
    assert reply["text"] == "You said: I went to the park with my dog Tell me more about that?"
    assert "".join(t["token"] for t in tokens).strip() == reply["text"]
    assert [t["index"] for t in tokens] == list(range(len(tokens)))
    assert tokens[0]["token"] == "You "  # the first piece is not held back
    assert 2 <= len(tokens) <= 5, [t["token"] for t in tokens]  # not one event per token


async def test_without_a_websocket_open_the_whole_reply_is_returned(client, student, conversation, fake_llm):
    response = await client.post(url(conversation), json={"text": "I like tennis"}, headers=await abearer(student))
    assert response.status_code == 200, response.text
    reply = response.json()["reply"]
    assert reply["text"] == "You said: I like tennis Tell me more about that?" and reply["status"] == "done"
    assert reply["tokens"]["completion"] > 0 and reply["tokens"]["prompt"] > 0


async def test_history_is_sent_to_the_model_within_the_budget(client, student, conversation, fake_llm, settings):
    headers = await abearer(student)
    for text in ["First message here.", "Second message here."]:
        assert (await client.post(url(conversation), json={"text": text}, headers=headers)).status_code == 200
    contents = [m["content"] for m in fake_llm.behaviour.requests[-1]["messages"]]
    assert contents[1] == "I would like to talk about: Weekend plans"  # the topic, as the learner's words
    assert contents[2] == "First message here." and contents[-1] == "Second message here."
    settings.LLM_HISTORY_TOKENS = 40
    assert (await client.post(url(conversation), json={"text": "Third."}, headers=headers)).status_code == 200
    trimmed = [m["content"] for m in fake_llm.behaviour.requests[-1]["messages"]]
    assert "First message here." not in trimmed and trimmed[-1] == "Third."


async def test_an_llm_timeout_keeps_the_message_marks_the_reply_failed_and_retry_works(
    client, student, conversation, fake_llm, settings
):
    settings.LLM_TIMEOUT = 0.5
    fake_llm.behaviour.delay = 2.0
    headers = await abearer(student)
    response = await client.post(url(conversation), json={"text": "Are you there?"}, headers=headers)
    assert response.status_code == 504
    assert "your message is saved" in response.json()["error"]["message"]
    learner = await Message.objects.aget(conversation=conversation, role=Role.LEARNER)
    reply = await Message.objects.aget(in_reply_to=learner)
    assert learner.text == "Are you there?" and reply.status == ReplyStatus.FAILED
    fake_llm.behaviour.delay = 0
    again = await client.post(url(conversation, f"messages/{reply.pk}/retry"), json={}, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json()["reply"]["id"] == reply.pk and again.json()["reply"]["status"] == "done"
    conflict = await client.post(url(conversation, f"messages/{reply.pk}/retry"), json={}, headers=headers)
    assert conflict.status_code == 409


async def test_an_llm_error_is_a_503_and_nothing_the_learner_wrote_is_lost(client, student, conversation, fake_llm):
    fake_llm.behaviour.fail_status = 500
    response = await client.post(url(conversation), json={"text": "Hello tutor"}, headers=await abearer(student))
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert await Message.objects.filter(conversation=conversation, role=Role.LEARNER, text="Hello tutor").aexists()


async def test_an_unexpected_tutor_error_leaves_a_failed_retryable_reply_not_a_pending_one(
    client, student, conversation, monkeypatch
):
    class Broken:
        async def astream(self, prompt):
            raise ValueError("a bug in the model client")
            yield  # an async generator

    monkeypatch.setattr("apps.chat.services.llm.chat_model", lambda: Broken())
    response = await client.post(url(conversation), json={"text": "Hello tutor"}, headers=await abearer(student))
    assert response.status_code == 500 and response.json()["error"]["status"] == 500
    reply = await Message.objects.aget(conversation=conversation, role=Role.TUTOR)
    assert reply.status == ReplyStatus.FAILED and reply.error == "The tutor failed"
    assert await Message.objects.filter(conversation=conversation, role=Role.LEARNER, text="Hello tutor").aexists()


@pytest.mark.parametrize(("text", "message"), [("   ", "empty"), ("x" * 2001, "the limit is 2000")])
async def test_empty_or_over_long_messages_are_422(client, student, conversation, text, message):
    response = await client.post(url(conversation), json={"text": text}, headers=await abearer(student))
    assert response.status_code == 422
    assert message in str(response.json()["error"])
    assert not await Message.objects.filter(conversation=conversation).aexists()


async def test_another_users_conversation_is_404_over_http_and_websocket(client, other_student, conversation):
    headers = await abearer(other_student)
    assert (await client.post(url(conversation), json={"text": "hi"}, headers=headers)).status_code == 404
    assert (await client.get(url(conversation), headers=headers)).status_code == 404
    assert (await client.get(f"/api/chat/conversations/{conversation.pk}", headers=headers)).status_code == 404
    ticket = (await client.post("/api/auth/ws-ticket", headers=headers)).json()["ticket"]
    socket = WebsocketCommunicator(application, f"/ws/chat/{conversation.pk}/?ticket={ticket}")
    assert (await socket.connect())[0] is False


async def test_history_is_paginated_oldest_first_within_a_page(client, student, conversation):
    await Message.objects.abulk_create(
        [Message(conversation=conversation, role=Role.LEARNER, text=f"message {i}") for i in range(5)]
    )
    headers = await abearer(student)
    page = (await client.get(url(conversation) + "?limit=3", headers=headers)).json()
    assert [m["text"] for m in page["messages"]] == ["message 2", "message 3", "message 4"]
    older = (await client.get(url(conversation) + f"?limit=3&before={page['next_before']}", headers=headers)).json()
    assert [m["text"] for m in older["messages"]] == ["message 0", "message 1"] and older["next_before"] is None


async def test_conversations_are_created_and_listed_per_learner(client, student, other_student):
    created = await client.post("/api/chat/conversations", json={"topic": "Travel"}, headers=await abearer(student))
    assert created.status_code == 201 and created.json()["topic"] == "Travel"
    assert [
        c["topic"] for c in (await client.get("/api/chat/conversations", headers=await abearer(student))).json()
    ] == ["Travel"]
    assert (await client.get("/api/chat/conversations", headers=await abearer(other_student))).json() == []


async def test_a_message_classified_before_bands_existed_shows_its_band_in_the_history(client, student, conversation):
    scores = {"A1": 0.05, "A2": 0.55, "B1": 0.35, "B2": 0.05, "C1": 0.0, "C2": 0.0}
    await Message.objects.acreate(
        conversation=conversation, role=Role.LEARNER, text="I goed home.", cefr_level="A2", cefr_scores=scores
    )
    response = await client.get(url(conversation), headers=await abearer(student))
    assert response.status_code == 200, response.text
    [message] = response.json()["messages"]
    assert message["cefr"] == {"level": "A2", "scores": scores, "confidence": 0.55, "band": "A2-B1"}


async def test_a_message_with_a_level_but_no_scores_shows_the_level_as_its_band(client, student, conversation):
    await Message.objects.acreate(conversation=conversation, role=Role.LEARNER, text="Hello.", cefr_level="A1")
    response = await client.get(url(conversation), headers=await abearer(student))
    assert response.status_code == 200, response.text
    [message] = response.json()["messages"]
    assert message["cefr"] == {"level": "A1", "scores": {}, "confidence": None, "band": "A1"}
