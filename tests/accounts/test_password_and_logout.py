"""POST /api/auth/password and POST /api/auth/logout: what each one ends, and what it leaves alone."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a brand new passphrase 42"


async def _sign_in(client, username="alice", password=PASSWORD) -> dict:
    response = await client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def _auth(pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access']}"}


async def _me(client, pair: dict) -> int:
    return (await client.get("/api/me", headers=_auth(pair))).status_code


async def _refresh(client, pair: dict):
    return await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})


async def _change(client, pair: dict, old=PASSWORD, new=NEW_PASSWORD):
    return await client.post("/api/auth/password", json={"old_password": old, "new_password": new}, headers=_auth(pair))


async def test_a_password_change_answers_204_and_the_new_password_signs_in(client, student):
    pair = await _sign_in(client)
    response = await _change(client, pair)
    assert response.status_code == 204 and response.content == b""
    assert (await client.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})).status_code == 401
    await _sign_in(client, password=NEW_PASSWORD)


async def test_a_password_change_revokes_every_earlier_access_and_refresh_token(client, student):
    """Both sessions end, the one that changed the password included, though their lookups are cached (60 s)."""
    first, second = await _sign_in(client), await _sign_in(client)
    assert await _me(client, first) == 200 and await _me(client, second) == 200  # cached now
    assert (await _change(client, first)).status_code == 204
    assert await _me(client, first) == 401 and await _me(client, second) == 401
    for pair in (first, second):
        refused = await _refresh(client, pair)
        assert refused.status_code == 401 and "revoked" in refused.json()["error"]["message"]
    fresh = await _sign_in(client, password=NEW_PASSWORD)
    assert await _me(client, fresh) == 200


async def test_a_password_change_ends_the_users_sessions_on_the_teacher_pages(client, teacher):
    pages = Client()
    assert await sync_to_async(pages.login)(username="tess", password=PASSWORD)
    assert (await sync_to_async(pages.get)("/teacher/")).status_code == 200
    assert (await _change(client, await _sign_in(client, "tess"))).status_code == 204
    after = await sync_to_async(pages.get)("/teacher/")
    assert after.status_code == 302 and after["Location"].startswith("/teacher/login/")


async def test_a_password_change_ends_the_users_sessions_in_the_admin(client, staff):
    admin = Client()
    assert await sync_to_async(admin.login)(username="sam", password=PASSWORD)
    assert (await sync_to_async(admin.get)("/admin/")).status_code == 200
    assert (await _change(client, await _sign_in(client, "sam"))).status_code == 204
    after = await sync_to_async(admin.get)("/admin/")
    assert after.status_code == 302 and after["Location"].startswith("/admin/login/")


async def test_a_wrong_current_password_is_refused_and_counted_by_the_sign_in_throttle(client, student, settings):
    """A thief with a stolen access token cannot guess the password through this endpoint: after
    AUTH_FAILURE_LIMIT wrong guesses the account is locked for that address, the right password included."""
    settings.AUTH_FAILURE_LIMIT = 3
    pair = await _sign_in(client)
    statuses = [(await _change(client, pair, old=f"guess {i}")).status_code for i in range(3)]
    assert statuses == [403, 403, 403]
    wrong = await _change(client, pair, old="guess 4")
    assert wrong.status_code == 429 and int(wrong.headers["Retry-After"]) >= 1
    locked = await _change(client, pair)  # the right password, while locked
    assert locked.status_code == 429
    assert (await client.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})).status_code == 429
    assert await _me(client, pair) == 200  # nothing was changed or revoked


async def test_the_wrong_current_password_message_is_clear(client, student):
    response = await _change(client, await _sign_in(client), old="not it")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "The current password is wrong"


@pytest.mark.parametrize(
    ("new", "says"),
    [("short", "too short"), ("password123", "too common"), ("alice123", "too similar to the username")],
)
async def test_a_new_password_the_validators_refuse_is_422_with_their_messages(client, student, new, says):
    pair = await _sign_in(client)
    response = await _change(client, pair, new=new)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert says in error["message"]
    assert any(says in d["msg"] and d["loc"][-1] == "new_password" for d in error["detail"]), error
    assert await _me(client, pair) == 200
    await _sign_in(client)  # the old password still works


async def test_the_password_endpoint_needs_an_access_token(client, student):
    pair = await _sign_in(client)
    body = {"old_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert (await client.post("/api/auth/password", json=body)).status_code == 401
    refresh_as_bearer = {"Authorization": f"Bearer {pair['refresh']}"}
    assert (await client.post("/api/auth/password", json=body, headers=refresh_as_bearer)).status_code == 401


async def test_logout_revokes_its_sessions_refresh_and_access_tokens_and_no_other_session(client, student):
    phone, laptop = await _sign_in(client), await _sign_in(client)
    assert await _me(client, phone) == 200  # cached now
    response = await client.post("/api/auth/logout", json={"refresh": phone["refresh"]}, headers=_auth(phone))
    assert response.status_code == 204
    assert await _me(client, phone) == 401
    assert (await _refresh(client, phone)).status_code == 401
    assert await _me(client, laptop) == 200
    assert (await _refresh(client, laptop)).status_code == 200


async def test_logout_revokes_the_pairs_refreshed_before_in_the_same_session(client, student):
    first = await _sign_in(client)
    second = (await _refresh(client, first)).json()
    third = (await _refresh(client, second)).json()
    assert await _me(client, second) == 200
    assert (
        await client.post("/api/auth/logout", json={"refresh": third["refresh"]}, headers=_auth(third))
    ).status_code == 204
    assert [await _me(client, p) for p in (first, second, third)] == [401, 401, 401]
    assert (await _refresh(client, third)).status_code == 401


async def test_logout_with_someone_elses_refresh_token_revokes_nothing(client, student, other_student):
    alice, bob = await _sign_in(client, "alice"), await _sign_in(client, "bob")
    response = await client.post("/api/auth/logout", json={"refresh": bob["refresh"]}, headers=_auth(alice))
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This refresh token belongs to another account"
    assert await _me(client, alice) == 200 and await _me(client, bob) == 200
    assert (await _refresh(client, bob)).status_code == 200


async def test_logout_refuses_what_is_not_a_refresh_token(client, student):
    pair = await _sign_in(client)
    for bad in (pair["access"], "not-a-token", pair["refresh"][:-4] + "AAAA"):
        response = await client.post("/api/auth/logout", json={"refresh": bad}, headers=_auth(pair))
        assert response.status_code == 400, bad
        assert response.json()["error"]["message"].startswith("Cannot sign out with this refresh token")
    assert await _me(client, pair) == 200


async def test_logout_needs_an_access_token(client, student):
    pair = await _sign_in(client)
    assert (await client.post("/api/auth/logout", json={"refresh": pair["refresh"]})).status_code == 401
    assert (await _refresh(client, pair)).status_code == 200
