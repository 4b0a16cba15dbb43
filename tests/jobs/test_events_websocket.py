"""The events websocket: ticket auth, Origin check, and only the owner's job events."""

import pytest
from channels.testing import WebsocketCommunicator

from apps.jobs import services, tasks
from project.asgi import application
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL_ORIGIN = [(b"origin", b"http://localhost:8000")]


async def _ticket(client, user) -> str:
    response = await client.post("/api/auth/ws-ticket", headers=await abearer(user))
    assert response.status_code == 200
    return response.json()["ticket"]


async def _connect(path: str, headers=LOCAL_ORIGIN) -> tuple[WebsocketCommunicator, bool]:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


async def test_a_connection_without_a_ticket_is_refused():
    _, connected = await _connect("/ws/events/")
    assert connected is False


async def test_a_made_up_ticket_is_refused():
    _, connected = await _connect("/ws/events/?ticket=forged-ticket-value")
    assert connected is False


async def test_a_ticket_works_once(client, student):
    ticket = await _ticket(client, student)
    first, connected = await _connect(f"/ws/events/?ticket={ticket}")
    assert connected is True
    await first.disconnect()
    _, again = await _connect(f"/ws/events/?ticket={ticket}")
    assert again is False


async def test_a_foreign_origin_is_refused(client, student):
    ticket = await _ticket(client, student)
    _, connected = await _connect(f"/ws/events/?ticket={ticket}", headers=[(b"origin", b"https://evil.example")])
    assert connected is False


async def test_the_ticket_endpoint_needs_a_jwt(client):
    assert (await client.post("/api/auth/ws-ticket")).status_code == 401


async def test_the_owner_receives_their_job_events_and_nobody_else_does(client, student, other_student, worker):
    mine, ok1 = await _connect(f"/ws/events/?ticket={await _ticket(client, student)}")
    theirs, ok2 = await _connect(f"/ws/events/?ticket={await _ticket(client, other_student)}")
    assert ok1 and ok2

    job = await services.submit(student.pk, "selftest", tasks.SELFTEST_CPU, params={"work_ms": 20})
    received = []
    while not received or received[-1]["type"] != "job.done":
        received.append(await mine.receive_json_from(timeout=20))
    assert {e["job_id"] for e in received} == {str(job.id)}
    assert [e["type"] for e in received] == ["job.progress", "job.progress", "job.done"]
    assert received[-1]["status"] == "done" and received[-1]["progress"] == {"done": 1, "total": 1}
    assert await theirs.receive_nothing(timeout=0.5) is True
    await mine.disconnect()
    await theirs.disconnect()


async def test_the_socket_answers_a_ping(client, student):
    communicator, connected = await _connect(f"/ws/events/?ticket={await _ticket(client, student)}")
    assert connected
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=2) == {"type": "pong"}
    await communicator.disconnect()
