"""Every error under /api/ is the JSON envelope, never an HTML page."""

import pytest

from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_envelope(response, status: int, code: str):
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]
    return error


async def test_an_unknown_path_is_a_json_404(client):
    _assert_envelope(await client.get("/api/does-not-exist"), 404, "not_found")


async def test_a_wrong_method_is_a_json_405(client):
    response = await client.delete("/api/health")
    _assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


async def test_a_body_over_the_limit_is_a_json_413(client, settings):
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    response = await client.post("/api/auth/token", content=b"x" * (1024 * 1024 + 1))
    _assert_envelope(response, 413, "payload_too_large")


async def test_a_chunked_body_over_the_limit_is_a_json_413(client, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024

    async def chunks():
        for _ in range(10):
            yield b"y" * 16 * 1024

    response = await client.post("/api/auth/token", content=chunks())
    _assert_envelope(response, 413, "payload_too_large")


async def test_a_json_body_over_the_json_limit_is_413(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    payload = {"username": "a", "password": "p" * 4000}
    _assert_envelope(await client.post("/api/auth/token", json=payload), 413, "payload_too_large")


async def test_invalid_fields_are_a_422_with_field_detail(client, staff):
    response = await client.post("/api/jobs/selftest", json={"work_ms": -5}, headers=await abearer(staff))
    error = _assert_envelope(response, 422, "validation_error")
    assert error["detail"][0]["loc"][-1] == "work_ms"
    assert "work_ms" in error["message"]


async def test_a_missing_field_is_a_422(client):
    error = _assert_envelope(await client.post("/api/auth/token", json={"username": "x"}), 422, "validation_error")
    assert any(d["loc"][-1] == "password" for d in error["detail"])


async def test_an_unexpected_error_is_a_500_without_internals(client, monkeypatch):
    async def explode():
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("apps.core.api.readiness", explode)
    response = await client.get("/api/ready")
    error = _assert_envelope(response, 500, "internal_error")
    assert "hunter2" not in response.text and error["message"] == "Internal server error"


async def test_outside_the_api_django_keeps_its_own_pages(client):
    response = await client.get("/no-such-page")
    assert response.status_code == 404
    assert not response.headers["content-type"].startswith("application/json")
