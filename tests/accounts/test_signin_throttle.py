"""One sign-in throttle for the API, the teacher login and the admin login, per account and client address."""

import httpx
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AUTH_RATE_LIMIT = 10_000  # the per-minute limit out of the way: this is about the lockout
    settings.AUTH_FAILURE_LIMIT, settings.AUTH_LOCKOUT_SECONDS = 10, 900


def _client(address: str) -> httpx.AsyncClient:
    from project.asgi import application

    transport = httpx.ASGITransport(app=application, client=(address, 4000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_after_ten_failures_the_api_refuses_even_the_right_password_from_that_address(student):
    async with _client("10.1.0.1") as attacker, _client("10.1.0.2") as elsewhere:
        # the same account however it is spelled, as the database's collation compares names
        for name in ["alice", "ALICE", "Alíce", " alice", "alice"] * 2:
            wrong = await attacker.post("/api/auth/token", json={"username": name, "password": "guess"})
            assert wrong.status_code == 401
        locked = await attacker.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})
        assert locked.status_code == 429 and 800 <= int(locked.headers["Retry-After"]) <= 900
        assert "failed sign-ins" in locked.json()["error"]["message"]
        # the learner, from their own address, is not locked out by a stranger
        own = await elsewhere.post("/api/auth/token", json={"username": "alice", "password": PASSWORD})
        assert own.status_code == 200


def test_failures_on_the_teacher_login_lock_the_admin_login_too(client_factory_sync, teacher, staff):
    for _ in range(10):
        page = client_factory_sync.post("/teacher/login/", {"username": "sam", "password": "guess"})
        assert page.status_code == 200 and "_auth_user_id" not in client_factory_sync.session
    refused = client_factory_sync.post("/admin/login/", {"username": "sam", "password": PASSWORD})
    assert refused.status_code == 200 and "Too many failed sign-ins" in refused.content.decode()
    assert "_auth_user_id" not in client_factory_sync.session
    # another account from the same address is not affected
    assert client_factory_sync.post("/teacher/login/", {"username": "tess", "password": PASSWORD}).status_code == 302


def test_students_cannot_sign_in_to_the_teacher_pages(client_factory_sync, student):
    page = client_factory_sync.post("/teacher/login/", {"username": "alice", "password": PASSWORD})
    assert page.status_code == 200 and "for teachers" in page.content.decode()
    assert "_auth_user_id" not in client_factory_sync.session
