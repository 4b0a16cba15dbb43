"""What revokes a user's or a session's tokens, by any route, and how fast it holds with a long lookup cache."""

import time

import jwt
import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from apps.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _long_lookup_cache(settings):
    """A verified token's lookup cached for an hour: revocation must not wait for it."""
    settings.JWT_CACHE_TTL = 3600


async def _sign_in(client, username="alice", password=PASSWORD) -> dict:
    response = await client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


async def _me(client, pair: dict) -> int:
    return (await client.get("/api/me", headers={"Authorization": f"Bearer {pair['access']}"})).status_code


async def _refresh(client, pair: dict):
    return await client.post("/api/auth/refresh", json={"refresh": pair["refresh"]})


async def _signed_in_and_cached(client, username="alice") -> dict:
    pair = await _sign_in(client, username)
    assert await _me(client, pair) == 200 and await _me(client, pair) == 200  # the second from the cache
    return pair


async def test_a_reused_refresh_token_signs_its_whole_session_out(client, student):
    stolen = await _sign_in(client)
    other_session = await _signed_in_and_cached(client)
    newer = (await _refresh(client, stolen)).json()  # the legitimate client rolls over
    assert await _me(client, newer) == 200
    reused = await _refresh(client, stolen)  # the thief (or the client) uses the old one again
    assert reused.status_code == 401 and "already been used" in reused.json()["error"]["message"]
    assert await _me(client, newer) == 401, "the pair issued from the first use still works"
    refused = await _refresh(client, newer)
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]["message"]
    assert await _me(client, other_session) == 200  # another sign-in of the same user is not touched


async def test_set_password_and_save_revoke_tokens_like_changepassword_does(client, student):
    """``manage.py changepassword`` and any other code: set_password() then save()."""
    pair = await _signed_in_and_cached(client)
    user = await User.objects.aget(pk=student.pk)
    await sync_to_async(user.set_password)("another fine passphrase")
    await user.asave()
    assert await _me(client, pair) == 401
    assert (await _refresh(client, pair)).status_code == 401


async def test_saving_other_fields_revokes_nothing(client, student):
    pair = await _signed_in_and_cached(client)
    user = await User.objects.aget(pk=student.pk)
    user.first_name = "Alice"
    await user.asave()
    assert await _me(client, pair) == 200


async def test_a_password_hash_upgrade_at_sign_in_revokes_nothing(client, student, settings):
    """Django re-hashes a password with the preferred hasher when it checks it: not a password change."""
    pair = await _signed_in_and_cached(client)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    second = await _sign_in(client)  # upgrades the MD5 hash to scrypt
    assert (await User.objects.aget(pk=student.pk)).password.startswith("scrypt$")
    assert await _me(client, pair) == 200 and await _me(client, second) == 200


async def test_deactivation_by_save_revokes_and_reactivation_does_not_bring_tokens_back(client, student):
    pair = await _signed_in_and_cached(client)
    user = await User.objects.aget(pk=student.pk)
    user.is_active = False
    await user.asave(update_fields=["is_active"])
    assert await _me(client, pair) == 401
    user.is_active = True
    await user.asave()
    assert await _me(client, pair) == 401
    assert (await _refresh(client, pair)).status_code == 401
    assert await _me(client, await _sign_in(client)) == 200


def _admin(staff) -> Client:
    admin = Client()
    assert admin.login(username=staff.username, password=PASSWORD)
    return admin


def _change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


async def test_deactivating_a_user_in_the_admin_revokes_their_tokens(client, student, staff):
    pair = await _signed_in_and_cached(client)
    admin = await sync_to_async(_admin)(staff)
    url = f"/admin/accounts/user/{student.pk}/change/"
    response = await sync_to_async(admin.post)(url, _change_form(student, is_active=None))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (await User.objects.aget(pk=student.pk)).is_active is False
    assert await _me(client, pair) == 401
    assert (await _refresh(client, pair)).status_code == 401


async def test_changing_a_password_in_the_admin_revokes_their_tokens(client, student, staff):
    pair = await _signed_in_and_cached(client)
    admin = await sync_to_async(_admin)(staff)
    url = f"/admin/accounts/user/{student.pk}/password/"
    form = {"password1": "admin-set passphrase 7", "password2": "admin-set passphrase 7", "usable_password": "true"}
    response = await sync_to_async(admin.post)(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert await _me(client, pair) == 401
    assert (await _refresh(client, pair)).status_code == 401
    await _sign_in(client, password="admin-set passphrase 7")


async def test_the_admin_action_revokes_at_once_despite_the_cache(client, student, staff):
    pair = await _signed_in_and_cached(client)
    admin = await sync_to_async(_admin)(staff)
    form = {"action": "revoke_tokens", "_selected_action": [str(student.pk)]}
    response = await sync_to_async(admin.post)("/admin/accounts/user/", form)
    assert response.status_code == 302
    started = time.monotonic()
    assert await _me(client, pair) == 401
    assert time.monotonic() - started < 1


async def test_a_token_issued_after_a_revocation_works(client, student):
    pair = await _signed_in_and_cached(client)
    await sync_to_async(student.revoke_tokens)()
    assert await _me(client, pair) == 401
    fresh = await _signed_in_and_cached(client)
    assert (await _refresh(client, fresh)).status_code == 200


async def test_a_forged_token_naming_a_cached_session_is_still_verified_in_full(client, student, staff):
    """The cache is found by the exact token string: the same user and session with another role, signature or
    expiry are a different string, checked in full."""

    pair = await _signed_in_and_cached(client)
    header, payload, signature = pair["access"].split(".")
    claims = jwt.decode(pair["access"], options={"verify_signature": False})
    for forged_claims, key in (
        ({**claims, "role": "staff"}, "not-the-key-not-the-key-not-the-key"),
        ({**claims, "sub": str(staff.pk)}, "not-the-key-not-the-key-not-the-key"),
    ):
        forged = jwt.encode(forged_claims, key, algorithm="HS256")
        assert await _me(client, {"access": forged}) == 401
        swapped = f"{header}.{forged.split('.')[1]}.{signature}"
        assert await _me(client, {"access": swapped}) == 401
    assert await _me(client, pair) == 200


async def test_a_revocation_ends_the_users_sessions_on_the_teacher_pages(client, teacher):
    """The admin's "revoke tokens" (and an erasure) end the HTML sessions too, not only a new password."""
    pages = Client()
    assert await sync_to_async(pages.login)(username="tess", password=PASSWORD)
    assert (await sync_to_async(pages.get)("/teacher/")).status_code == 200
    await sync_to_async(teacher.revoke_tokens)()
    after = await sync_to_async(pages.get)("/teacher/")
    assert after.status_code == 302 and after["Location"].startswith("/teacher/login/")
    assert await sync_to_async(pages.login)(username="tess", password=PASSWORD)  # a new sign-in works
    assert (await sync_to_async(pages.get)("/teacher/")).status_code == 200
