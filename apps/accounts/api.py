from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import aauthenticate
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from apps.accounts import throttle
from apps.accounts.auth import caller, jwt_auth
from apps.accounts.models import Classroom, User
from apps.accounts.schemas import ClassroomOut, MeOut, RefreshIn, TicketOut, TokenIn, TokenPairOut
from apps.accounts.tokens import InvalidToken, issue_pair, issue_ws_ticket, refresh_pair
from apps.core.ratelimit import check_rate, limit_user

router = Router(tags=["auth"])


@router.post("/auth/token", response=TokenPairOut, summary="Obtain an access and a refresh token")
async def obtain_token(request: HttpRequest, payload: TokenIn):
    await check_rate(f"login:{throttle.client_address(request)}:{payload.username.lower()}", settings.AUTH_RATE_LIMIT)
    await sync_to_async(throttle.check, thread_sensitive=False)(
        payload.username, request
    )  # 429 while locked, right password or not
    user = await aauthenticate(request, username=payload.username, password=payload.password)  # counts failures
    if user is None:
        raise HttpError(401, "Wrong username or password")
    await sync_to_async(throttle.succeeded, thread_sensitive=False)(payload.username, request)
    return issue_pair(user)


@router.post("/auth/refresh", response=TokenPairOut, summary="Exchange a refresh token for a new pair")
async def refresh_token(request: HttpRequest, payload: RefreshIn):
    await check_rate(f"refresh:{throttle.client_address(request)}", settings.AUTH_RATE_LIMIT * 6)
    try:
        return await refresh_pair(payload.refresh)
    except InvalidToken as exc:
        raise HttpError(401, str(exc)) from None


@router.post("/auth/ws-ticket", response=TicketOut, auth=jwt_auth, summary="One-time ticket for a websocket")
async def ws_ticket(request: HttpRequest):
    await limit_user("ws-ticket", caller(request).id)
    return {"ticket": await issue_ws_ticket(caller(request)), "expires_in": settings.WS_TICKET_TTL}


@router.get("/me", response=MeOut, auth=jwt_auth, summary="The caller's profile")
async def me(request: HttpRequest):
    return await User.objects.aget(pk=caller(request).id)


@router.get("/classrooms", response=list[ClassroomOut], auth=jwt_auth, summary="Classes the caller can see")
async def classrooms(request: HttpRequest):
    qs = Classroom.objects.visible_to(caller(request).id, caller(request).role).prefetch_related("students")
    return [
        {
            "id": c.id,
            "name": c.name,
            "teacher_id": c.teacher_id,
            "student_ids": [s.id for s in c.students.all()],
        }
        async for c in qs
    ]
