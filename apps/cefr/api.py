from django.http import HttpRequest
from ninja import Router

from apps.accounts.auth import caller, jwt_auth
from apps.cefr import services
from apps.cefr.schemas import ClassifyIn, ClassifyOut
from apps.core.ratelimit import limit_user

router = Router(tags=["cefr"], auth=jwt_auth)


@router.post("/cefr/classify", response=list[ClassifyOut], summary="CEFR level (A1-C2) of each text, in order")
async def classify(request: HttpRequest, payload: ClassifyIn):
    await limit_user("cefr", caller(request).id)
    return await services.classify(payload.texts)
