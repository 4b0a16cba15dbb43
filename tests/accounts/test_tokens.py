import time

import jwt
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings

from tests.conftest import PASSWORD, abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def _obtain(client, username, password=PASSWORD):
    return await client.post("/api/auth/token", json={"username": username, "password": password})


async def test_it_issues_a_token_pair_for_valid_credentials(client, student):
    response = await _obtain(client, "alice")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == settings.JWT_ACCESS_TTL
    me = await client.get("/api/me", headers={"Authorization": f"Bearer {body['access']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "alice" and me.json()["role"] == "student"


async def test_it_refuses_a_wrong_password_with_401(client, student):
    response = await _obtain(client, "alice", "wrong")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Wrong username or password"


async def test_it_rate_limits_repeated_login_attempts(client, student, settings):
    settings.AUTH_RATE_LIMIT = 3
    statuses = [(await _obtain(client, "alice", "wrong")).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    limited = await _obtain(client, "alice", "wrong")
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"


async def test_a_refresh_token_gives_a_new_pair_once(client, student):
    pair = (await _obtain(client, "alice")).json()
    refreshed = await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})
    assert refreshed.status_code == 200
    assert refreshed.json()["access"] != pair["access"]
    reused = await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})
    assert reused.status_code == 401
    assert "already been used" in reused.json()["error"]["message"]


async def test_a_used_refresh_token_stays_used_when_the_cache_loses_everything(client, student, settings):
    import redis

    settings.CACHE_URL = settings.REDIS_URL.rsplit("/", 1)[0] + "/14"  # a cache of its own, as deploy/ runs it
    pair = (await _obtain(client, "alice")).json()
    assert (await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})).status_code == 200
    redis.Redis.from_url(settings.CACHE_URL).flushdb()  # the cache evicts (allkeys-lru) or restarts
    reused = await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})
    assert reused.status_code == 401 and "already been used" in reused.json()["error"]["message"]


async def test_an_access_token_is_not_a_refresh_token(client, student):
    pair = (await _obtain(client, "alice")).json()
    response = await client.post("/api/auth/refresh", json={"refresh": pair["access"]})
    assert response.status_code == 401


async def test_a_refresh_token_is_not_an_access_token(client, student):
    pair = (await _obtain(client, "alice")).json()
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {pair['refresh']}"})
    assert response.status_code == 401


async def test_an_expired_access_token_is_refused(client, student):
    now = int(time.time())
    claims = {"sub": str(student.pk), "role": "student", "ver": 0, "type": "access", "jti": "x"}
    token = jwt.encode({**claims, "iat": now - 100, "exp": now - 10}, settings.JWT_SIGNING_KEY, algorithm="HS256")
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


async def test_a_tampered_token_is_refused(client, student, staff):
    headers = await abearer(student)
    header, payload, signature = headers["Authorization"].removeprefix("Bearer ").split(".")
    forged = jwt.encode(
        {
            **jwt.decode(f"{header}.{payload}.{signature}", options={"verify_signature": False}),
            "sub": str(staff.pk),
        },
        "not-the-key-not-the-key-not-the-key",
        algorithm="HS256",
    )
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    swapped = f"{header}.{forged.split('.')[1]}.{signature}"
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {swapped}"})).status_code == 401


async def test_a_token_signed_with_alg_none_is_refused(client, student):
    token = jwt.encode({"sub": str(student.pk), "type": "access", "ver": 0}, None, algorithm="none")
    assert (await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})).status_code == 401


async def test_revoking_tokens_locks_out_old_tokens(client, student, settings):
    settings.JWT_CACHE_TTL = 0
    headers = await abearer(student)
    assert (await client.get("/api/me", headers=headers)).status_code == 200
    await sync_to_async(student.revoke_tokens)()
    assert (await client.get("/api/me", headers=headers)).status_code == 401


async def test_a_verified_token_is_served_from_the_cache(client, student):
    from apps.core.metrics import CACHE_REQUESTS

    headers = await abearer(student)
    hits = CACHE_REQUESTS.labels(cache="jwt", result="hit")
    before = hits._value.get()
    for _ in range(3):
        assert (await client.get("/api/me", headers=headers)).status_code == 200
    assert hits._value.get() - before == 2


async def test_an_inactive_user_gets_no_token(client, student):
    student.is_active = False
    await sync_to_async(student.save)()
    assert (await _obtain(client, "alice")).status_code == 401


async def test_websocket_tickets_are_rate_limited_per_user(client, student, other_student, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ws-ticket": 3}
    headers = await abearer(student)
    statuses = [(await client.post("/api/auth/ws-ticket", headers=headers)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert (await client.post("/api/auth/ws-ticket", headers=await abearer(other_student))).status_code == 200
