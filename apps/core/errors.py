"""The API's one error envelope and the domain exceptions that map onto it.

Every 4xx/5xx under ``/api/`` is ``{"error": {"status", "code", "message", "detail"?}}``.
"""

from http import HTTPStatus
from typing import Any

from django.http import JsonResponse

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def error_response(
    status: int,
    message: str | None = None,
    *,
    code: str | None = None,
    detail: Any = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """Return the envelope for ``status`` with a human message (defaults to the HTTP reason phrase)."""
    body: dict[str, Any] = {
        "status": status,
        "code": code or _CODES.get(status, "error"),
        "message": message or HTTPStatus(status).phrase,
    }
    if detail is not None:
        body["detail"] = detail
    response = JsonResponse({"error": body}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class ApiError(Exception):
    """Raised when a request must end with a specific status and message (base of the domain errors)."""

    status = 400
    code: str | None = None
    headers: dict[str, str] = {}

    def __init__(self, message: str | None = None, *, detail: Any = None):
        super().__init__(message or HTTPStatus(self.status).phrase)
        self.message = message
        self.detail = detail

    def to_response(self) -> JsonResponse:
        return error_response(self.status, self.message, code=self.code, detail=self.detail, headers=self.headers)


class Conflict(ApiError):
    """Raised when the request contradicts the resource's current state."""

    status = 409


class Unprocessable(ApiError):
    """Raised when the request is well formed but its content cannot be processed."""

    status = 422


class RateLimited(ApiError):
    """Raised when a caller exceeded a rate limit; carries the seconds to wait."""

    status = 429

    def __init__(self, retry_after: int, message: str = "Too many requests, slow down"):
        super().__init__(message)
        self.headers = {"Retry-After": str(max(1, int(retry_after)))}


class ServiceUnavailable(ApiError):
    """Raised when a dependency (database, Redis, broker, a model) cannot serve the request now."""

    status = 503

    def __init__(self, message: str = "A dependency is unavailable, retry shortly", retry_after: int = 5):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}
