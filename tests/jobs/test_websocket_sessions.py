"""An open websocket stays tied to the sign-in that opened it: a revocation closes it (4401) within a second, and a
user has at most WS_MAX_PER_USER open at once on all web processes together (one more: 4429)."""

import asyncio
import threading
import time

import jwt
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from websockets.asyncio.client import connect

from apps.chat.models import Conversation
from project.asgi import application
from tests.conftest import PASSWORD
from tests.webprocess import WebProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]

LOCAL_ORIGIN = [(b"origin", b"http://localhost:8000")]


async def _sign_in(client, username="alice") -> dict:
    response = await client.post("/api/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()


def _auth(pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access']}"}


async def _ticket(client, pair: dict) -> str:
    response = await client.post("/api/auth/ws-ticket", headers=_auth(pair))
    assert response.status_code == 200, response.text
    return response.json()["ticket"]


async def _open(client, pair: dict, path: str = "/ws/events/") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, f"{path}?ticket={await _ticket(client, pair)}", LOCAL_ORIGIN)
    connected, code = await communicator.connect(timeout=5)
    assert connected, code
    return communicator


async def _closed_with(communicator: WebsocketCommunicator, timeout: float = 1) -> int:
    """The close code the server sends within ``timeout`` seconds (fails the test when it sends none)."""
    output = await communicator.receive_output(timeout=timeout)
    assert output["type"] == "websocket.close", output
    return output["code"]


async def _still_open(communicator: WebsocketCommunicator) -> bool:
    await communicator.send_json_to({"type": "ping"})
    return await communicator.receive_json_from(timeout=2) == {"type": "pong"}


async def test_a_password_change_closes_the_users_open_sockets_within_a_second(client, student, other_student):
    conversation = await Conversation.objects.acreate(learner=student, topic="Travel")
    pair = await _sign_in(client)
    events, chat = await _open(client, pair), await _open(client, pair, f"/ws/chat/{conversation.pk}/")
    bystander = await _open(client, await _sign_in(client, "bob"))
    body = {"old_password": PASSWORD, "new_password": "a brand new passphrase 42"}
    assert (await client.post("/api/auth/password", json=body, headers=_auth(pair))).status_code == 204
    started = time.monotonic()
    assert await _closed_with(events) == 4401 and await _closed_with(chat) == 4401
    assert time.monotonic() - started < 1
    assert await _still_open(bystander)
    for communicator in (events, chat, bystander):
        await communicator.disconnect()


async def test_a_logout_closes_the_sockets_of_that_session_only(client, student):
    phone, laptop = await _sign_in(client), await _sign_in(client)
    on_phone, on_laptop = await _open(client, phone), await _open(client, laptop)
    response = await client.post("/api/auth/logout", json={"refresh": phone["refresh"]}, headers=_auth(phone))
    assert response.status_code == 204
    assert await _closed_with(on_phone) == 4401
    assert await _still_open(on_laptop)
    await on_phone.disconnect()
    await on_laptop.disconnect()


async def test_a_reused_refresh_token_closes_the_sockets_of_its_session(client, student):
    pair = await _sign_in(client)
    newer = (await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})).json()
    socket = await _open(client, newer)
    assert (await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})).status_code == 401
    assert await _closed_with(socket) == 4401
    await socket.disconnect()


async def test_deactivation_in_sync_code_closes_the_users_sockets(client, student):
    socket = await _open(client, await _sign_in(client))

    def deactivate():  # what the admin's change form does, in a thread of its own
        student.is_active = False
        student.save()

    await sync_to_async(deactivate)()
    assert await _closed_with(socket) == 4401
    await socket.disconnect()


async def test_a_revocation_from_a_thread_without_an_event_loop_closes_the_sockets(client, student):
    """A Dramatiq worker thread: plain sync code, no event loop of its own or above it."""
    socket = await _open(client, await _sign_in(client))
    thread = threading.Thread(target=student.revoke_tokens)
    thread.start()
    await asyncio.get_running_loop().run_in_executor(None, thread.join, 10)
    assert await _closed_with(socket) == 4401
    await socket.disconnect()


async def test_a_ticket_taken_before_a_revocation_opens_no_socket_after_it(client, student):
    ticket = await _ticket(client, await _sign_in(client))
    await sync_to_async(student.revoke_tokens)()
    communicator = WebsocketCommunicator(application, f"/ws/events/?ticket={ticket}", LOCAL_ORIGIN)
    assert await communicator.connect(timeout=5) == (False, 4401)


async def test_a_socket_rechecks_its_sign_in_when_it_renews_its_place(client, student, settings):
    """A revocation whose message never reached this process (a channel-layer blip) still closes the socket, at the
    socket's next renewal (a third of WS_LEASE_SECONDS): the mark on Redis is what counts."""
    from apps.core.kv import durable_kv

    settings.WS_LEASE_SECONDS = 3
    pair = await _sign_in(client)
    socket = await _open(client, pair)
    sid = jwt.decode(pair["access"], options={"verify_signature": False})["sid"]
    await durable_kv().set(f"auth-sid:{sid}", "1", 60)  # the session's mark, without the message
    assert await _closed_with(socket, timeout=2.5) == 4401
    await socket.disconnect()


async def test_one_socket_over_the_cap_is_closed_with_4429(client, student, other_student, settings):
    settings.WS_MAX_PER_USER = 2
    pair = await _sign_in(client)
    first, second = await _open(client, pair), await _open(client, pair)
    third = await _open(client, pair)  # accepted, then closed at once: a browser sees the code
    assert await _closed_with(third) == 4429
    await third.disconnect()
    bobs = await _open(client, await _sign_in(client, "bob"))  # the cap is per user
    assert await _still_open(bobs)
    await first.disconnect()
    fourth = await _open(client, pair)  # a closed socket gives its place back
    assert await _still_open(fourth) and await _still_open(second)
    for communicator in (second, fourth, bobs):
        await communicator.disconnect()


async def test_a_living_socket_keeps_its_place_past_the_lease(client, student, settings):
    settings.WS_MAX_PER_USER, settings.WS_LEASE_SECONDS = 1, 3
    pair = await _sign_in(client)
    first = await _open(client, pair)
    await asyncio.sleep(4)  # longer than a lease: only the renewals keep the place
    second = await _open(client, pair)
    assert await _closed_with(second) == 4429
    assert await _still_open(first)
    await second.disconnect()
    await first.disconnect()


async def _refused_with(client, pair: dict) -> int | None:
    """Open a socket; the close code if the server closes it at once (None: it stays open), then close it."""
    communicator = await _open(client, pair)
    code = None if await communicator.receive_nothing(timeout=0.3) else await _closed_with(communicator)
    await communicator.disconnect()
    return code


async def test_the_cap_counts_every_web_process_and_a_dead_ones_sockets_lapse(client, student, settings):
    settings.WS_MAX_PER_USER, settings.WS_LEASE_SECONDS = 2, 3
    other = await sync_to_async(WebProcess(WS_MAX_PER_USER="2", WS_LEASE_SECONDS="3").start)()
    try:
        pair = await _sign_in(client)
        there = [await connect(f"{other.ws_url}/ws/events/?ticket={await _ticket(client, pair)}") for _ in range(2)]
        for socket in there:
            await socket.send('{"type": "ping"}')
            assert "pong" in await asyncio.wait_for(socket.recv(), 5)
        assert await _refused_with(client, pair) == 4429  # two open on the other process already
        await sync_to_async(other.kill)()  # its sockets were never closed: their places stay, then lapse
        killed = time.monotonic()
        while (code := await _refused_with(client, pair)) is not None:
            assert code == 4429
            assert time.monotonic() - killed < 3 + 2, "a dead process's sockets still count"
            await asyncio.sleep(0.2)
        assert time.monotonic() - killed > 1, "the dead process's sockets did not count at all"
        for socket in there:
            socket.transport.abort()
    finally:
        await sync_to_async(other.stop)()
