import pytest

from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def test_health_answers_without_touching_anything(client, monkeypatch):
    from django.core.handlers import asgi

    def no_django(*args, **kwargs):
        raise AssertionError("the liveness probe reached Django")

    monkeypatch.setattr(asgi.ASGIHandler, "handle", no_django)  # answered on the event loop, no thread hop
    response = await client.get("/api/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["content-type"].startswith("application/json")
    head = await client.head("/api/health")
    assert head.status_code == 200 and head.content == b""
    # Anything else under /api/ still goes through Django (here: a method the route does not allow).
    with pytest.raises(AssertionError, match="reached Django"):
        await client.post("/api/health")


async def test_ready_reports_every_component(client):
    response = await client.get("/api/ready")
    assert response.status_code == 200
    components = response.json()["components"]
    assert set(components) == {"database", "cache", "broker"}
    assert all(c["ok"] for c in components.values())
    assert components["database"]["vendor"] == "mysql"
    assert components["broker"]["backend"] == "RabbitmqBroker"  # BROKER_URL (apps.jobs.broker)
    assert components["broker"]["queues"]["interactive"] == 0  # RabbitMQ's own message count


async def test_ready_answers_503_when_rabbitmq_is_unreachable(client):
    import dramatiq
    from dramatiq.brokers.rabbitmq import RabbitmqBroker

    working = dramatiq.get_broker()
    dramatiq.set_broker(RabbitmqBroker(url="amqp://guest:guest@127.0.0.1:1/", middleware=[]))
    try:
        response = await client.get("/api/ready")
    finally:
        dramatiq.set_broker(working)
    assert response.status_code == 503 and response.headers["Retry-After"]
    components = response.json()["error"]["detail"]["components"]
    assert components["broker"]["ok"] is False and components["cache"]["ok"] is True


async def test_ready_answers_503_when_the_cache_is_unreachable(client, settings):
    settings.CACHE_URL = "redis://127.0.0.1:1/0"
    settings.REDIS_SOCKET_TIMEOUT = 0.5
    response = await client.get("/api/ready")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    error = response.json()["error"]
    assert error["code"] == "service_unavailable" and "cache" in error["message"]
    components = error["detail"]["components"]
    assert components["cache"]["ok"] is False and components["database"]["ok"] is True
    assert components["cache"]["error"] == "ConnectionError"  # the class only: the text (address, errno) is logged
    assert "127.0.0.1" not in response.text and "refused" not in response.text.lower()


async def test_an_api_call_needing_the_cache_answers_503_when_it_is_down(client, student, settings):
    headers = await abearer(student)
    settings.CACHE_URL = "redis://127.0.0.1:1/0"
    settings.REDIS_SOCKET_TIMEOUT = 0.5
    response = await client.get("/api/me", headers=headers)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response.headers["Retry-After"]


async def test_metrics_export_requests_loop_lag_queues_and_cache(client, student):
    headers = await abearer(student)
    await client.get("/api/me", headers=headers)
    await client.get("/api/me", headers=headers)
    text = (await client.get("/metrics")).text
    assert 'http_requests_total{method="GET",route="/api/me",status="200"}' in text
    assert "http_request_duration_seconds_bucket" in text
    assert "event_loop_lag_seconds_bucket" in text
    assert 'queue_depth{queue="interactive"}' in text
    assert 'cache_requests_total{cache="jwt",result="hit"}' in text


async def test_metrics_include_actor_durations(client, staff, worker):
    response = await client.post("/api/jobs/selftest", json={"work_ms": 5}, headers=await abearer(staff))
    assert response.status_code == 200
    text = (await client.get("/metrics")).text
    assert 'actor_duration_seconds_count{actor="selftest.cpu",outcome="ok"}' in text
