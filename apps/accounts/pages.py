"""Who may use the teachers' server-rendered pages (session login): teachers and staff."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.accounts.models import Role, User


async def page_teacher(request: HttpRequest) -> User:
    """The signed-in teacher or staff member; ``PermissionDenied`` (403) for anyone else."""
    user = await request.auser()
    if not isinstance(user, User) or user.role not in (Role.TEACHER, Role.STAFF):
        raise PermissionDenied("Teachers only")
    request.user = user  # resolved: templates must not trigger a sync user lookup inside the event loop
    return user
