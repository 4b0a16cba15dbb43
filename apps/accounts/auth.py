"""Authentication for the API (JWT bearer) and role checks."""

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from apps.accounts.tokens import InvalidToken, Principal, verify_access


class JWTAuth(HttpBearer):
    """``Authorization: Bearer <access token>``; sets ``request.auth`` to a ``Principal``."""

    async def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        try:
            return await verify_access(token)
        except InvalidToken:
            return None


jwt_auth = JWTAuth()


def caller(request: HttpRequest) -> Principal:
    """The authenticated caller of an endpoint protected by ``jwt_auth``."""
    return request.auth  # type: ignore[attr-defined]


def require_role(request: HttpRequest, *roles: str) -> Principal:
    """Return the caller, or raise 403 when their role is not one of ``roles``."""
    principal = caller(request)
    if principal.role not in roles:
        raise HttpError(403, f"This needs one of the roles: {', '.join(roles)}")
    return principal
