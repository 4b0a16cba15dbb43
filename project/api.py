"""The one NinjaAPI: mounts each app's router and maps every error onto the JSON envelope."""

import logging

import redis.exceptions
from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from apps.accounts.api import router as accounts_router
from apps.cefr.api import router as cefr_router
from apps.chat.api import router as chat_router
from apps.core.api import router as core_router
from apps.core.errors import ApiError, ServiceUnavailable, error_response
from apps.jobs.api import router as jobs_router
from apps.leveltest.api import router as leveltest_router
from apps.ocr.api import router as ocr_router
from apps.privacy.api import router as privacy_router
from apps.progress.api import router as progress_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Lingua API",
    version="1.0",
    description="OCR, AI chat tutor and CEFR level test for English learners.",
    docs_url="/docs",
    urls_namespace="api",
)

api.add_router("", core_router)
api.add_router("", accounts_router)
api.add_router("", jobs_router)
api.add_router("", cefr_router)
api.add_router("", ocr_router)
api.add_router("", chat_router)
api.add_router("", leveltest_router)
api.add_router("", privacy_router)
api.add_router("", progress_router)


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError):
    return exc.to_response()


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error_response(422, "The request body is not valid JSON")
    return error_response(exc.status_code, str(exc))


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    detail = [
        {"loc": list(err.get("loc", [])), "msg": err.get("msg", ""), "type": err.get("type", "")} for err in exc.errors
    ]
    fields = ", ".join(".".join(str(p) for p in d["loc"][1:] or d["loc"]) for d in detail)
    return error_response(422, f"Invalid request: check {fields}" if fields else "Invalid request", detail=detail)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError):
    return error_response(401, "Authentication required", headers={"WWW-Authenticate": "Bearer"})


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied):
    return error_response(403, str(exc) or None)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    return error_response(404, "Not found")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig):
    return error_response(413, "Request body is too large")


@api.exception_handler(TooManyFilesSent)
def on_too_many_files(request: HttpRequest, exc: TooManyFilesSent):
    return error_response(413, f"Too many files in one request (at most {settings.DATA_UPLOAD_MAX_NUMBER_FILES})")


@api.exception_handler(TooManyFieldsSent)
def on_too_many_fields(request: HttpRequest, exc: TooManyFieldsSent):
    return error_response(
        413, f"Too many form fields in one request (at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS})"
    )


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation):
    return error_response(400, "The request was refused as malformed")


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request: HttpRequest, exc: MultiPartParserError):
    return error_response(422, f"The multipart body cannot be read: {exc}")


def _unavailable(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    logger.error("dependency unavailable: %s", exc, extra={"path": request.path})
    return ServiceUnavailable().to_response()


for _exc in (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OperationalError,
    InterfaceError,
):
    api.add_exception_handler(_exc, _unavailable)


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception):
    logger.exception("unhandled error", extra={"path": request.path})
    return error_response(500, "Internal server error")
