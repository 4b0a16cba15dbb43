"""A session rolls its refresh tokens over, but not forever: nothing of it outlives JWT_SESSION_TTL from the
sign-in."""

import asyncio
import time

import jwt
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


async def test_refreshed_pairs_keep_the_session_and_its_sign_in_time(client, student):
    first = (await client.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})).json()
    await asyncio.sleep(1.1)
    second = (await client.post("/api/auth/refresh", json={"refresh": first["refresh"]})).json()
    before, after = _claims(first["refresh"]), _claims(second["refresh"])
    assert after["sid"] == before["sid"] == _claims(second["access"])["sid"]
    assert after["auth_time"] == before["auth_time"] and after["iat"] > before["iat"]


async def test_no_token_outlives_the_session_however_often_it_is_refreshed(client, student, settings):
    settings.JWT_SESSION_TTL = 3
    pair = (await client.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})).json()
    signed_in = _claims(pair["access"])["auth_time"]
    assert pair["expires_in"] <= 3
    for _ in range(2):
        await asyncio.sleep(1)
        response = await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})
        assert response.status_code == 200
        pair = response.json()
        assert _claims(pair["refresh"])["exp"] <= signed_in + 3 and _claims(pair["access"])["exp"] <= signed_in + 3
    await asyncio.sleep(max(0.0, signed_in + 3 - time.time()) + 1.1)
    late = await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})
    assert late.status_code == 401 and late.json()["error"]["message"] == "Token has expired"
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {pair['access']}"})).status_code == 401
