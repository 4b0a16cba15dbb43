"""Shared fixtures: the people of every permission story, an API client over the real ASGI stack, a real worker."""

import dramatiq
import httpx
import pytest
import redis
from asgiref.sync import sync_to_async
from django.conf import settings

from apps.accounts.models import Classroom, Role, User
from apps.accounts.tokens import issue_pair

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_services():
    """Each test starts from an empty Redis database and empty queues (the test profile has its own database number
    and RabbitMQ vhost)."""
    if settings.REDIS_URL:
        redis.Redis.from_url(settings.REDIS_URL).flushdb()
    dramatiq.get_broker().flush_all()


def _make_user(username: str, role: str) -> User:
    user = User(username=username, role=role, email=f"{username}@example.com")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def student(db) -> User:
    return _make_user("alice", Role.STUDENT)


@pytest.fixture
def other_student(db) -> User:
    return _make_user("bob", Role.STUDENT)


@pytest.fixture
def teacher(db, student) -> User:
    user = _make_user("tess", Role.TEACHER)
    Classroom.objects.create(name="Class 7B", teacher=user).students.add(student)
    return user


@pytest.fixture
def other_teacher(db) -> User:
    return _make_user("otto", Role.TEACHER)


@pytest.fixture
def staff(db) -> User:
    return _make_user("sam", Role.STAFF)


@pytest.fixture
async def client():
    """An HTTP client that goes through the whole ASGI application (body limit, middleware, Ninja)."""
    from project.asgi import application

    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_pair(user)['access']}"}


async def abearer(user: User) -> dict[str, str]:
    return await sync_to_async(bearer)(user)


@pytest.fixture
def worker(transactional_db):
    """A real Dramatiq worker on the RabbitMQ broker (the test vhost), in this process, with every actor registered."""
    import actors  # noqa: F401

    broker = dramatiq.get_broker()
    broker.flush_all()
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    yield worker
    worker.stop()
    broker.flush_all()


@pytest.fixture
def client_factory_sync():
    """Django's test client, for the session-authenticated HTML pages (admin, teacher pages)."""
    from django.test import Client

    return Client()
