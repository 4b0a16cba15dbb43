"""Account changes that end sign-ins: a new password."""

from asgiref.sync import sync_to_async
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from apps.accounts import throttle
from apps.accounts.models import User
from apps.core.errors import ApiError, Unprocessable


class WrongPassword(ApiError):
    """Raised when the password that confirms a change (a new password, an erasure) is wrong."""

    status = 403


def _problems(password: str, user: User) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


async def change_password(user_id: int, old_password: str, new_password: str, request: HttpRequest) -> None:
    """Set a new password for the user; every earlier token, session and websocket of theirs ends (``User.save``).

    Raises ``Unprocessable`` (the validators' messages) for a new password that ``AUTH_PASSWORD_VALIDATORS`` refuse,
    ``WrongPassword`` for a wrong current one (counted by the sign-in throttle, so a stolen access token cannot be
    used to guess it) and ``RateLimited`` while the throttle locks the account for this address.
    """
    user = await User.objects.aget(pk=user_id)
    off_loop = sync_to_async(thread_sensitive=False)
    await off_loop(throttle.check)(user.username, request)
    problems = await off_loop(_problems)(new_password, user)
    if problems:
        detail = [{"loc": ["body", "payload", "new_password"], "msg": m, "type": "password_invalid"} for m in problems]
        raise Unprocessable("The new password is not acceptable: " + " ".join(problems), detail=detail)
    if not await user.acheck_password(old_password):
        await off_loop(throttle.failed)(user.username, request)
        raise WrongPassword("The current password is wrong")
    await off_loop(throttle.succeeded)(user.username, request)
    await off_loop(user.set_password)(new_password)
    await user.asave(update_fields=["password"])
