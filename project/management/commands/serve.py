"""Serve the ASGI application with uvicorn (HOST, PORT and WEB_WORKERS from the environment)."""

import uvicorn
from django.core.management.base import BaseCommand

from project.env import envint, envstr


class Command(BaseCommand):
    help = "Serve HTTP and websockets with uvicorn."

    def handle(self, *args, **options):
        host = envstr("HOST", "127.0.0.1")
        port = envint("PORT", 8000, min_value=1, max_value=65535)
        workers = envint("WEB_WORKERS", 1, min_value=1, max_value=64)
        self.stdout.write(f"Serving on http://{host}:{port} ({workers} web process(es))")
        uvicorn.run(
            "project.asgi:application",
            host=host,
            port=port,
            workers=workers,
            lifespan="on",
            proxy_headers=True,
            timeout_graceful_shutdown=20,
            log_level="info",
        )
