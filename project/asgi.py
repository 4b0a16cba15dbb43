"""ASGI entry point: Django for HTTP, Channels for websockets (Origin check, then ticket auth)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from apps.accounts.ws import OriginValidatorMiddleware, TicketAuthMiddleware  # noqa: E402
from project.lifespan import BodyLimit, Lifespan  # noqa: E402
from project.routing import websocket_urlpatterns  # noqa: E402

http_app = BodyLimit(django_asgi_app)
if settings.SERVE_STATIC:
    # Without nginx in front (make run), static files (admin, API docs) are served here from the app folders.
    http_app = ASGIStaticFilesHandler(http_app)

application = Lifespan(
    ProtocolTypeRouter(
        {
            "http": http_app,
            "websocket": OriginValidatorMiddleware(TicketAuthMiddleware(URLRouter(websocket_urlpatterns))),
        }
    )
)
