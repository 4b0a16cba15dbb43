from uuid import UUID

from asgiref.sync import sync_to_async
from django.http import HttpRequest
from django.shortcuts import aget_object_or_404
from ninja import Router
from ninja.responses import Status

from apps.accounts.auth import caller, jwt_auth, require_role
from apps.core.errors import Conflict
from apps.core.ratelimit import limit_user
from apps.leveltest import reports, services
from apps.leveltest.models import Attempt, Report
from apps.leveltest.schemas import AnswerIn, AttemptOut, AttemptProgressOut, ReportOut, SubmittedOut
from apps.leveltest.signals import report_viewed

router = Router(tags=["level test"], auth=jwt_auth)


async def _own_attempt(request: HttpRequest, attempt_id: UUID) -> Attempt:
    return await aget_object_or_404(Attempt.objects.for_user(caller(request).id), pk=attempt_id)


#: What a learner's own report leaves out of each answered item (teachers of the class and staff see it).
LEARNER_HIDDEN = frozenset({"answer", "explanation"})


@router.post(
    "/leveltest/attempts",
    response={201: AttemptOut},
    summary="Start a placement test (students); 409 with Retry-After within LEVELTEST_RETAKE_HOURS of the last one",
)
async def start(request: HttpRequest):
    learner = require_role(request, "student")
    await limit_user("leveltest", learner.id)
    return Status(201, await sync_to_async(services.start)(learner.id))


@router.get("/leveltest/attempts", response=list[AttemptOut], summary="The caller's attempts")
async def attempts(request: HttpRequest):
    return [a async for a in Attempt.objects.for_user(caller(request).id)[:50]]


@router.get("/leveltest/attempts/{uuid:attempt_id}/next", summary="The next item (never its key), writing task or done")
async def next_item(request: HttpRequest, attempt_id: UUID):
    attempt = await _own_attempt(request, attempt_id)
    return await sync_to_async(services.next_item)(attempt.pk)


@router.put(
    "/leveltest/attempts/{uuid:attempt_id}/answers/{item_id}",
    response=AttemptProgressOut,
    summary="Answer the served item ({'choice': n}) or the writing task ({'text': ...})",
)
async def answer(request: HttpRequest, attempt_id: UUID, item_id: str, payload: AnswerIn):
    attempt = await _own_attempt(request, attempt_id)
    if payload.text is not None:
        return await services.record_writing(attempt, item_id, payload.text)
    return await sync_to_async(services.record_choice)(attempt.pk, item_id, payload.choice or 0)


@router.post(
    "/leveltest/attempts/{uuid:attempt_id}/submit", response={202: SubmittedOut}, summary="Finish: start the report"
)
async def submit(request: HttpRequest, attempt_id: UUID):
    job = await services.submit(await _own_attempt(request, attempt_id))
    return Status(202, {"job_id": job.id, "status": job.status})


@router.get(
    "/leveltest/attempts/{uuid:attempt_id}/report",
    response={200: ReportOut, 202: SubmittedOut},
    summary="The report (the learner, their teachers and staff); 202 while it is being written",
)
async def report(request: HttpRequest, attempt_id: UUID):
    who = caller(request)
    if who.role == "staff":
        qs = Attempt.objects.all()
    elif who.role == "teacher":
        qs = Attempt.objects.visible_to_teacher(who.id)
    else:
        qs = Attempt.objects.for_user(who.id)
    attempt = await aget_object_or_404(qs.select_related("job", "learner"), pk=attempt_id)
    found = await Report.objects.filter(attempt=attempt).afirst()
    if found is not None:
        await report_viewed.asend(
            sender=Report,
            viewer_id=who.id,
            viewer_role=who.role,
            student_id=attempt.learner_id,
            attempt_id=str(attempt.pk),
            via="api",
        )
        report = {
            "attempt_id": attempt.pk,
            "learner": attempt.learner.username,
            **{
                f: getattr(found, f)
                for f in ("level", "theta", "standard_error", "skills", "items", "writing", "created_at")
            },
        }
        report["writing"] = reports.with_band(report["writing"])
        if who.role == "student":  # the bank is reused: a learner sees which items were right, never the keys
            report["items"] = [{k: v for k, v in i.items() if k not in LEARNER_HIDDEN} for i in report["items"]]
        return report
    if attempt.job is None:
        raise Conflict("This attempt has not been submitted yet")
    return Status(202, {"job_id": attempt.job.id, "status": attempt.job.status})
