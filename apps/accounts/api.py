from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import aauthenticate
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Status

from apps.accounts import services, throttle
from apps.accounts.auth import caller, jwt_auth
from apps.accounts.models import Classroom, User
from apps.accounts.schemas import (
    ClassroomOut,
    MeOut,
    PasswordChangeIn,
    RefreshIn,
    TicketOut,
    TokenIn,
    TokenPairOut,
)
from apps.accounts.tokens import ForeignToken, InvalidToken, issue_pair, issue_ws_ticket, logout, refresh_pair
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


@router.post(
    "/auth/logout",
    response={204: None},
    auth=jwt_auth,
    summary="Sign out the refresh token's session (its refresh and access tokens, its websockets)",
)
async def sign_out(request: HttpRequest, payload: RefreshIn):
    try:
        await logout(caller(request), payload.refresh)
    except InvalidToken as exc:
        raise HttpError(400, f"Cannot sign out with this refresh token: {exc}") from None
    except ForeignToken as exc:
        raise HttpError(403, str(exc)) from None
    return Status(204, None)


@router.post(
    "/auth/password",
    response={204: None},
    auth=jwt_auth,
    summary="Change the caller's password (every session, token and websocket of theirs ends)",
)
async def change_password(request: HttpRequest, payload: PasswordChangeIn):
    await check_rate(f"password:{caller(request).id}", settings.AUTH_RATE_LIMIT)
    await services.change_password(caller(request).id, payload.old_password, payload.new_password, request)
    return Status(204, None)


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
