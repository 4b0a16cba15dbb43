from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import aget_object_or_404
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from apps.accounts.auth import caller, jwt_auth, require_role
from apps.core.pagination import ListPagination
from apps.jobs import services, tasks
from apps.jobs.models import Job
from apps.jobs.schemas import JobAccepted, JobOut, SelfTestIn

router = Router(tags=["jobs"], auth=jwt_auth)


@router.get("/jobs", response=list[JobOut], summary="The caller's recent jobs")
@paginate(ListPagination)
async def list_jobs(request: HttpRequest):
    return Job.objects.for_user(caller(request).id)


@router.get("/jobs/{uuid:job_id}", response=JobOut, summary="One of the caller's jobs")
async def get_job(request: HttpRequest, job_id: UUID):
    return await aget_object_or_404(Job.objects.for_user(caller(request).id), pk=job_id)


@router.post(
    "/jobs/selftest",
    response={200: JobOut, 202: JobAccepted},
    summary="Run a CPU-bound self-test job on the workers (staff; used by capacity benchmarks)",
)
async def selftest(request: HttpRequest, payload: SelfTestIn):
    principal = require_role(request, "staff")
    job = await services.submit(
        principal.id,
        "selftest",
        tasks.SELFTEST_CPU,
        params={"work_ms": payload.work_ms},
        total=1,
    )
    if payload.wait:
        job = await services.wait(job)
        if job.is_finished:
            return Status(200, job)
    return Status(202, {"job_id": job.id, "status": job.status})
