from django.conf import settings
from django.http import HttpRequest
from ninja import Router

from apps.core import admission
from apps.core.errors import error_response
from apps.core.health import readiness

router = Router(tags=["health"])


@router.get("/health", summary="Liveness: the process answers (no I/O)")
async def health(request: HttpRequest):
    return {"status": "ok"}


@router.get("/ready", summary="Readiness: database, cache and broker reachable (503 otherwise)")
async def ready(request: HttpRequest):
    async with admission.released():  # a dependency that is down takes up to CHECK_TIMEOUT to say so
        components = await readiness()
    if all(c["ok"] for c in components.values()):
        return {"status": "ok", "profile": settings.PROFILE, "components": components}
    down = ", ".join(name for name, c in components.items() if not c["ok"])
    return error_response(
        503, f"Not ready: {down} unavailable", detail={"components": components}, headers={"Retry-After": "5"}
    )
