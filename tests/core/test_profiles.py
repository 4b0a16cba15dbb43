"""Each profile is built from the environment alone, and the web process never loads a model library."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.urls import get_resolver
from project.asgi import application  # the whole web process: Django, Channels, every API router
get_resolver().url_patterns
heavy = sorted(m for m in ("torch", "paddle", "transformers", "onnxruntime", "paddleocr") if m in sys.modules)
print(json.dumps({
    "profile": settings.PROFILE,
    "db": settings.DATABASES["default"]["ENGINE"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "embedded_worker": settings.EMBEDDED_WORKER,
    "broker": type(__import__("dramatiq").get_broker()).__name__,
    "heavy": heavy,
}))
"""


def _probe(env: dict[str, str], tmp_path) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "BROKER_URL", "CACHE_URL", "SECRET_KEY"}
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "project.settings", "DATA_DIR": str(tmp_path)}, **env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_nothing_set_gives_the_embedded_profile(tmp_path):
    probe = _probe({}, tmp_path)
    assert probe["profile"] == "embedded"
    assert probe["db"] == "django.db.backends.sqlite3"
    assert probe["cache"].endswith("LocMemCache")
    assert probe["layer"] == "channels.layers.InMemoryChannelLayer"
    assert probe["embedded_worker"] is True


def test_database_redis_and_broker_urls_give_the_services_profile(tmp_path):
    probe = _probe(
        {
            "DATABASE_URL": "mysql://root@127.0.0.1:3306/test",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672/lingua-test",
            "SECRET_KEY": "x" * 40,
        },
        tmp_path,
    )
    assert probe["profile"] == "services"
    assert probe["db"] == "django.db.backends.mysql"
    assert probe["cache"].endswith("RedisCache")
    assert probe["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert probe["embedded_worker"] is False
    assert probe["broker"] == "RabbitmqBroker"


def test_a_services_profile_missing_a_url_names_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"BROKER_URL", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        DATA_DIR=str(tmp_path),
        DATABASE_URL="mysql://root@127.0.0.1:3306/test",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert "missing: BROKER_URL" in _setup_fails(env)


def test_the_web_process_does_not_import_torch_or_paddle(tmp_path):
    assert _probe({}, tmp_path)["heavy"] == []


def _setup_fails(env: dict[str, str]) -> str:
    """Run django.setup() in a child process with ``env``; assert it fails and return its stderr."""
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode != 0
    return out.stderr


def test_a_bad_setting_stops_the_process_with_a_clear_message(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "BROKER_URL", "CACHE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="project.settings", DATA_DIR=str(tmp_path), JOB_WAIT_SECONDS="soon")
    assert "JOB_WAIT_SECONDS='soon' is not a number" in _setup_fails(env)


def test_the_services_profile_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="project.settings",
        DATA_DIR=str(tmp_path),
        DATABASE_URL="mysql://root@127.0.0.1:3306/test",
        REDIS_URL="redis://127.0.0.1:6379/15",
        BROKER_URL="amqp://guest:guest@127.0.0.1:5672/lingua-test",
    )
    assert "SECRET_KEY must be set" in _setup_fails(env)
