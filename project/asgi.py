"""ASGI entry point: Django for HTTP, Channels for websockets (Origin check, then ticket auth)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from django.core.handlers.asgi import ASGIHandler  # noqa: E402


class ApiASGIHandler(ASGIHandler):
    """Django for ``/api/``: the same URLs and views behind ``settings.API_MIDDLEWARE`` only."""

    def load_middleware(self, is_async: bool = False) -> None:
        from django.conf import settings as conf

        full = conf.MIDDLEWARE
        conf.MIDDLEWARE = conf.API_MIDDLEWARE
        try:
            super().load_middleware(is_async=is_async)
        finally:
            conf.MIDDLEWARE = full


api_asgi_app = ApiASGIHandler()


async def django_http(scope, receive, send):
    app = api_asgi_app if scope["path"].startswith("/api/") else django_asgi_app
    return await app(scope, receive, send)


from typing import Any  # noqa: E402

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from apps.accounts.ws import OriginValidatorMiddleware, TicketAuthMiddleware  # noqa: E402
from project.lifespan import BodyLimit, Lifespan, Liveness  # noqa: E402
from project.routing import websocket_urlpatterns  # noqa: E402

http_app: Any = BodyLimit(django_http)
if settings.SERVE_STATIC:
    # Without nginx in front (make run), static files (admin, API docs) are served here from the app folders.
    http_app = ASGIStaticFilesHandler(http_app)
http_app = Liveness(http_app)

application = Lifespan(
    ProtocolTypeRouter(
        {
            "http": http_app,
            "websocket": OriginValidatorMiddleware(TicketAuthMiddleware(URLRouter(websocket_urlpatterns))),
        }
    )
)
