"""Learners' data rights over the API: ``POST /me/export``, ``GET /me/export/{job_id}``, ``DELETE /me``."""

import json
from uuid import UUID

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse
from django.shortcuts import aget_object_or_404
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from apps.accounts import throttle
from apps.accounts.api import router as accounts_router
from apps.accounts.auth import caller, jwt_auth
from apps.accounts.models import User
from apps.accounts.services import WrongPassword
from apps.jobs.models import Job
from apps.privacy import erasure, services
from apps.privacy.schemas import EraseIn, ExportAccepted, ExportOut

router = Router(tags=["privacy"], auth=jwt_auth)


@router.post(
    "/me/export",
    response={202: ExportAccepted},
    summary="Export all of the caller's data: starts a job (or returns the one running); rate-limited",
)
async def request_export(request: HttpRequest):
    job = await services.request_export(caller(request))
    return Status(202, {"job_id": job.id, "status": job.status})


@router.get(
    "/me/export/{uuid:job_id}",
    response={200: ExportOut, 202: ExportAccepted},
    summary="The export as one JSON document; 202 while it is being built, 410 once expired",
)
async def get_export(request: HttpRequest, job_id: UUID):
    jobs = Job.objects.for_user(caller(request).id).filter(kind=services.EXPORT_KIND)
    job = await aget_object_or_404(jobs, pk=job_id)
    document = await services.export_of(job)
    if document is None:
        return Status(202, {"job_id": job.id, "status": job.status})
    # A long history makes a document of megabytes: serialised in a thread, not on the event loop.
    body = await sync_to_async(json.dumps, thread_sensitive=False)(document, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json")


async def erase_me(request: HttpRequest, payload: EraseIn):
    """Erase the caller: the password confirms it (wrong ones count in the sign-in throttle)."""
    principal = caller(request)
    user = await User.objects.filter(pk=principal.id).afirst()
    if user is None:
        raise HttpError(401, "Unknown user")
    await sync_to_async(throttle.check, thread_sensitive=False)(user.username, request)
    if not await user.acheck_password(payload.password):
        await sync_to_async(throttle.failed, thread_sensitive=False)(user.username, request)
        raise WrongPassword("The password is wrong")
    try:
        erased = await sync_to_async(erasure.erase)(user.pk, actor_id=user.pk, actor_role=user.role, via="api")
    except User.DoesNotExist:  # a concurrent erasure won
        raise HttpError(401, "Unknown user") from None
    await erasure.forget(erased.cache_keys)
    return Status(204, None)


# Ninja resolves one path within one router: a second router's "/me" would shadow the accounts router's GET (405),
# so the DELETE joins that router (privacy may import accounts; accounts never imports privacy).
accounts_router.add_api_operation(
    "/me",
    ["DELETE"],
    erase_me,
    auth=jwt_auth,
    response={204: None},
    summary="Erase the caller's account and all their data; 409 for a teacher who still owns classes",
    tags=["privacy"],
)
