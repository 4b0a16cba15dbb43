"""Websocket attacks: foreign Origins, forged, reused, expired and borrowed tickets, other people's conversations."""

import asyncio

import pytest
from channels.testing import WebsocketCommunicator

from apps.accounts.tokens import issue_pair
from apps.chat.models import Conversation
from project.asgi import application
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL = [(b"origin", b"http://localhost:8000")]
FOREIGN_ORIGINS = [
    b"https://evil.example",
    b"http://localhost.evil.example",
    b"http://127.0.0.1.evil.example:8000",
    b"http://evil.example@localhost",
    b"null",
    b"file://",
    b"chrome-extension://abcdefghijklmnop",
    b"localhost",
    b"",
]


async def _ticket(client, user) -> str:
    response = await client.post("/api/auth/ws-ticket", headers=await abearer(user))
    assert response.status_code == 200, response.text
    return response.json()["ticket"]


async def _connect(path: str, headers=LOCAL) -> tuple[WebsocketCommunicator, bool, int | None]:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


@pytest.fixture
def conversations(student, other_student) -> dict[str, int]:
    return {
        "alice": Conversation.objects.create(learner=student, topic="alice's").pk,
        "bob": Conversation.objects.create(learner=other_student, topic="bob's").pk,
    }


async def test_it_refuses_a_foreign_origin_even_with_a_valid_ticket(client, student, conversations):
    refused = []
    for origin in FOREIGN_ORIGINS:
        for path in ("/ws/events/", f"/ws/chat/{conversations['alice']}/"):
            ticket = await _ticket(client, student)
            _, connected, code = await _connect(f"{path}?ticket={ticket}", headers=[(b"origin", origin)])
            if (connected, code) != (False, 4403):
                refused.append((origin, path, connected, code))
    assert not refused, f"foreign Origins let through (origin, path, connected, close code): {refused}"


async def test_a_local_origin_and_no_origin_are_accepted_with_a_ticket(client, student, conversations):
    """The control of the refusals above: the same connection from an allowed Origin (or a native app) works."""
    for headers in (LOCAL, [(b"origin", b"http://127.0.0.1")], []):
        for path in ("/ws/events/", f"/ws/chat/{conversations['alice']}/"):
            communicator, connected, _ = await _connect(f"{path}?ticket={await _ticket(client, student)}", headers)
            assert connected, (path, headers)
            await communicator.disconnect()


async def test_it_refuses_a_missing_or_forged_ticket(conversations):
    queries = ["", "?ticket=", "?ticket=forged-ticket-value", "?ticket=" + "A" * 129, "?ticket=%00", "?tickets=x"]
    for query in queries:
        for path in ("/ws/events/", f"/ws/chat/{conversations['alice']}/"):
            _, connected, code = await _connect(path + query)
            assert (connected, code) == (False, 4401), path + query


async def test_a_jwt_is_not_a_ticket(student, conversations):
    access = issue_pair(student)["access"]
    for path in ("/ws/events/", f"/ws/chat/{conversations['alice']}/"):
        _, connected, code = await _connect(f"{path}?ticket={access}")
        assert (connected, code) == (False, 4401)


async def test_a_ticket_works_once_across_both_sockets(client, student, conversations):
    ticket = await _ticket(client, student)
    first, connected, _ = await _connect(f"/ws/events/?ticket={ticket}")
    assert connected
    for path in ("/ws/events/", f"/ws/chat/{conversations['alice']}/"):
        _, again, code = await _connect(f"{path}?ticket={ticket}")
        assert (again, code) == (False, 4401), path
    await first.disconnect()


async def test_a_ticket_refused_for_a_foreign_origin_is_not_burnt_for_the_attacker(client, student):
    """The Origin check runs first; the ticket then still works exactly once for its owner."""
    ticket = await _ticket(client, student)
    _, connected, _ = await _connect(f"/ws/events/?ticket={ticket}", headers=[(b"origin", b"https://evil.example")])
    assert not connected
    mine, connected, _ = await _connect(f"/ws/events/?ticket={ticket}")
    assert connected
    await mine.disconnect()
    _, connected, _ = await _connect(f"/ws/events/?ticket={ticket}")
    assert not connected


async def test_an_expired_ticket_is_refused(client, student, settings):
    settings.WS_TICKET_TTL = 1
    ticket = await _ticket(client, student)
    await asyncio.sleep(1.3)
    _, connected, code = await _connect(f"/ws/events/?ticket={ticket}")
    assert (connected, code) == (False, 4401)


@pytest.mark.parametrize("intruder", ["student", "teacher", "other_teacher", "staff"])
async def test_nobody_can_subscribe_to_another_learners_conversation(client, conversations, people, intruder):
    """bob's conversation with alice's valid ticket (and with the teacher's or staff's) is refused (4404)."""
    ticket = await _ticket(client, people["owner" if intruder == "student" else intruder])
    _, connected, code = await _connect(f"/ws/chat/{conversations['bob']}/?ticket={ticket}")
    assert (connected, code) == (False, 4404)


async def test_a_conversation_that_does_not_exist_is_refused(client, student, conversations):
    missing = max(conversations.values()) + 1000
    _, connected, code = await _connect(f"/ws/chat/{missing}/?ticket={await _ticket(client, student)}")
    assert (connected, code) == (False, 4404)


async def test_a_message_sent_by_the_client_cannot_impersonate_a_server_event(client, student, other_student):
    """Channel-layer handlers (job_event, chat_token) are for the server: a client message reaches none of them."""
    alice, ok_alice, _ = await _connect(f"/ws/events/?ticket={await _ticket(client, student)}")
    bob, ok_bob, _ = await _connect(f"/ws/events/?ticket={await _ticket(client, other_student)}")
    assert ok_alice and ok_bob
    await alice.send_json_to({"type": "job.event", "event": {"type": "job.done", "job_id": "x", "status": "done"}})
    await alice.send_json_to({"type": "job_event", "event": {"type": "job.done", "job_id": "x"}})
    await alice.send_json_to(["job_event", {"type": "websocket.disconnect"}])
    assert await alice.receive_nothing(timeout=0.3)
    assert await bob.receive_nothing(timeout=0.3)
    await alice.send_json_to({"type": "ping"})
    assert await alice.receive_json_from(timeout=2) == {"type": "pong"}
    await alice.disconnect()
    await bob.disconnect()


MALFORMED_FRAMES = [
    pytest.param({"text_data": "not json at all {"}, 1007, id="text-not-json"),
    pytest.param({"bytes_data": b"\x00\xff binary"}, 1003, id="binary"),
    pytest.param({"text_data": '{"type": "ping", "pad": "' + "x" * 70_000 + '"}'}, 1009, id="over-64-kb"),
]


@pytest.mark.parametrize("frame,close_code", MALFORMED_FRAMES)
@pytest.mark.parametrize("socket_kind", ["events", "chat"])
async def test_a_malformed_frame_closes_the_socket_with_a_close_code(client, student, frame, close_code, socket_kind):
    conversation = await Conversation.objects.acreate(learner=student)
    path = "/ws/events/" if socket_kind == "events" else f"/ws/chat/{conversation.pk}/"
    socket, connected, _ = await _connect(f"{path}?ticket={await _ticket(client, student)}")
    assert connected
    await socket.send_to(**frame)
    assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": close_code}
    await socket.wait(timeout=2)
    # a fresh socket with a fresh ticket works: the consumer class is not broken by what it refused
    again, connected, _ = await _connect(f"{path}?ticket={await _ticket(client, student)}")
    assert connected
    await again.send_json_to({"type": "ping"})
    assert await again.receive_json_from(timeout=2) == {"type": "pong"}
    await again.disconnect()
