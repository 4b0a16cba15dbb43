"""The embedded profile (SQLite, the in-process store and channel layer, one process) revokes as the services
profile does: at once despite an hour's lookup cache, closing the user's websockets; and it caps them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, json
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # before any hashing: fast
from django.core.management import call_command
call_command("migrate", verbosity=0)
import httpx
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from apps.accounts.models import User
from project.asgi import application

def create():
    user = User(username="alice", email="alice@example.com")
    user.set_password("correct horse battery staple")
    user.save()

async def main():
    await sync_to_async(create)()
    out = {"profile": settings.PROFILE}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://localhost") as c:
        login = {"username": "alice", "password": "correct horse battery staple"}
        pair = (await c.post("/api/auth/token", json=login)).json()
        auth = {"Authorization": "Bearer " + pair["access"]}
        out["before"] = [(await c.get("/api/me", headers=auth)).status_code for _ in range(2)]
        sockets = []
        for _ in range(2):
            ticket = (await c.post("/api/auth/ws-ticket", headers=auth)).json()["ticket"]
            sockets.append(WebsocketCommunicator(application, "/ws/events/?ticket=" + ticket))
            assert (await sockets[-1].connect())[0]
        out["over_cap"] = (await sockets[1].receive_output(timeout=1)).get("code")
        body = {"old_password": login["password"], "new_password": "a brand new passphrase 42"}
        out["password"] = (await c.post("/api/auth/password", json=body, headers=auth)).status_code
        out["after"] = (await c.get("/api/me", headers=auth)).status_code
        out["refresh"] = (await c.post("/api/auth/refresh", json={"refresh": pair["refresh"]})).status_code
        out["socket"] = (await sockets[0].receive_output(timeout=1)).get("code")
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_embedded_profile_revokes_at_once_closes_sockets_and_caps_them(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "BROKER_URL", "CACHE_URL", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        DATA_DIR=str(tmp_path),
        JWT_CACHE_TTL="3600",
        WS_MAX_PER_USER="1",
        LOG_LEVEL="WARNING",
    )
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-4000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out == {
        "profile": "embedded",
        "before": [200, 200],
        "over_cap": 4429,
        "password": 204,
        "after": 401,
        "refresh": 401,
        "socket": 4401,
    }
