"""A revocation made on one web process holds on another within a second, though that one caches verified tokens
for an hour (JWT_CACHE_TTL=3600), and closes the user's websockets open there.

This test process is the first web process (its in-process ASGI client, or the admin's sync code); the second is a
real uvicorn process on the same database and Redis.
"""

import asyncio
import time

import httpx
import pytest
from asgiref.sync import sync_to_async
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.conftest import PASSWORD
from tests.webprocess import WebProcess

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def second_process(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        process = WebProcess(JWT_CACHE_TTL="3600").start()
    yield process
    process.stop()


@pytest.fixture
async def there(second_process):
    async with httpx.AsyncClient(base_url=second_process.url, timeout=10) as http:
        yield http


async def _sign_in(client) -> dict:
    response = await client.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()


def _auth(pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access']}"}


async def _cached_there(there, pair: dict) -> None:
    for _ in range(2):  # the second answer comes from the lookup cache (an hour)
        assert (await there.get("/api/me", headers=_auth(pair))).status_code == 200


async def _seconds_until_refused(there, pair: dict, give_up: float = 5) -> float:
    started = time.monotonic()
    while time.monotonic() - started < give_up:
        if (await there.get("/api/me", headers=_auth(pair))).status_code == 401:
            return time.monotonic() - started
        await asyncio.sleep(0.02)
    pytest.fail(f"the second web process still accepts the revoked token after {give_up} s")


async def test_a_password_change_holds_on_another_web_process_within_a_second(client, there, student):
    pair = await _sign_in(client)
    await _cached_there(there, pair)
    body = {"old_password": PASSWORD, "new_password": "a brand new passphrase 42"}
    assert (await client.post("/api/auth/password", json=body, headers=_auth(pair))).status_code == 204
    assert await _seconds_until_refused(there, pair) < 1
    refused = await there.post("/api/auth/refresh", json={"refresh": pair["refresh"]})
    assert refused.status_code == 401


async def test_a_logout_holds_on_another_web_process_within_a_second(client, there, student):
    pair, other = await _sign_in(client), await _sign_in(client)
    await _cached_there(there, pair)
    await _cached_there(there, other)
    response = await client.post("/api/auth/logout", json={"refresh": pair["refresh"]}, headers=_auth(pair))
    assert response.status_code == 204
    assert await _seconds_until_refused(there, pair) < 1
    assert (await there.get("/api/me", headers=_auth(other))).status_code == 200


async def test_an_admin_revocation_closes_a_websocket_open_on_another_web_process_within_a_second(
    client, there, second_process, student
):
    pair = await _sign_in(client)
    ticket = (await there.post("/api/auth/ws-ticket", headers=_auth(pair))).json()["ticket"]
    async with connect(f"{second_process.ws_url}/ws/events/?ticket={ticket}") as socket:
        await socket.send('{"type": "ping"}')
        assert "pong" in await asyncio.wait_for(socket.recv(), 5)
        await sync_to_async(student.revoke_tokens)()  # the admin's action: sync code on this process
        started = time.monotonic()
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 1)
        assert time.monotonic() - started < 1
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
