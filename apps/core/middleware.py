"""Request metrics and the JSON error envelope for everything under ``/api/``."""

import json
import time
from collections.abc import Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase

from apps.core.errors import error_response
from apps.core.metrics import HTTP_LATENCY, HTTP_REQUESTS

API_PREFIX = "/api/"


class _AsyncMiddleware:
    """Base for middleware that runs natively in async mode (and still works under WSGI)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self._acall(request)
        return self.process(request, self.get_response(request))

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        response = await self.get_response(request)
        return self.process(request, response)

    def process(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        raise NotImplementedError


class RequestMetricsMiddleware(_AsyncMiddleware):
    """Counts requests and records latency labelled by the matched route pattern (never the raw path)."""

    def __call__(self, request: HttpRequest):
        request._started = time.perf_counter()  # type: ignore[attr-defined]
        return super().__call__(request)

    def process(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        match = getattr(request, "resolver_match", None)
        route = "/" + match.route if match is not None and match.route else "<unmatched>"
        elapsed = time.perf_counter() - request._started  # type: ignore[attr-defined]
        HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method, route).observe(elapsed)
        response["Server-Timing"] = f"app;dur={elapsed * 1000:.2f}"
        response.setdefault("X-Content-Type-Options", "nosniff")
        return response


class ApiErrorEnvelopeMiddleware(_AsyncMiddleware):
    """Turns any non-JSON 4xx/5xx under ``/api/`` (405 from the router, CSRF, Django's own) into the envelope."""

    def process(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") and _is_envelope(response):
            return response
        message = None
        if response.get("Content-Type", "").startswith("application/json"):
            message = _detail_of(response)
        new = error_response(response.status_code, message)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                new[header] = response[header]
        return new


def _is_envelope(response: HttpResponseBase) -> bool:
    try:
        body = json.loads(response.content)  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), dict)


def _detail_of(response: HttpResponseBase) -> str | None:
    try:
        body = json.loads(response.content)  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return None
    detail = body.get("detail") if isinstance(body, dict) else None
    return detail if isinstance(detail, str) else None
