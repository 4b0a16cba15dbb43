from django.http import HttpRequest
from django.shortcuts import aget_object_or_404
from ninja import Router

from apps.accounts.auth import caller, jwt_auth, require_role
from apps.accounts.models import User
from apps.progress import queries, services
from apps.progress.schemas import ClassProgressOut, LearnerProgressOut

router = Router(tags=["progress"], auth=jwt_auth)


@router.get(
    "/me/progress",
    response=LearnerProgressOut,
    summary="The caller's own progress: levels per week, current level and trend, vocabulary, frequent errors",
)
async def my_progress(request: HttpRequest):
    learner = await queries.with_versions(User.objects.filter(pk=caller(request).id)).aget()
    return await services.learner_detail(learner)


@router.get(
    "/classrooms/{int:classroom_id}/progress",
    response=ClassProgressOut,
    summary="A class's progress table (the class's teacher and staff; 404 for anyone else's class)",
)
async def class_progress(request: HttpRequest, classroom_id: int):
    who = require_role(request, "teacher", "staff")
    classroom = await aget_object_or_404(services.visible_classrooms(who.id, who.role), pk=classroom_id)
    return {"classroom_id": classroom.pk, "name": classroom.name, "students": await services.class_table(classroom)}
