"""Settings, all read from the environment (see the README's settings table).

Nothing set gives the *embedded* profile: SQLite, local-memory cache, in-memory channel layer and a Dramatiq worker
inside the web process. ``DATABASE_URL``, ``REDIS_URL`` and ``BROKER_URL`` give the *services* profile: MySQL/MariaDB,
RabbitMQ as Dramatiq's broker, Redis for the channel layer and (``CACHE_URL``, by default the same server) the cache,
and Dramatiq workers as separate processes.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from project.env import envbool, envchoice, envfloat, envint, envintmap, envlist, envpools, envstr, envurl

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
SHARED_DIR = Path(envstr("SHARED_DIR", str(BASE_DIR.parent / "shared"))).resolve()

DEBUG = envbool("DEBUG", False)
DATABASE_URL = envurl("DATABASE_URL", {"mysql", "sqlite"})
REDIS_URL = envurl("REDIS_URL", {"redis", "rediss", "unix"})
# The cache (verified tokens, websocket tickets, rate limits, CEFR results) may evict: deploy/ runs it as its own Redis
# with maxmemory and allkeys-lru, so a flood of unique entries pushes out the oldest instead of failing every write.
CACHE_URL = envurl("CACHE_URL", {"redis", "rediss", "unix"}) or REDIS_URL
BROKER_URL = envurl("BROKER_URL", {"amqp", "amqps"})
REDIS_PREFIX = envstr("REDIS_PREFIX", "lingua")
REDIS_SOCKET_TIMEOUT = envfloat("REDIS_SOCKET_TIMEOUT", 2.0, min_value=0.1, max_value=60)
PROFILE = "services" if (DATABASE_URL or REDIS_URL or BROKER_URL) else "embedded"
if PROFILE == "services" and not (DATABASE_URL and REDIS_URL and BROKER_URL):
    _missing = [
        name
        for name, url in (("DATABASE_URL", DATABASE_URL), ("REDIS_URL", REDIS_URL), ("BROKER_URL", BROKER_URL))
        if not url
    ]
    raise ImproperlyConfigured(
        f"The services profile needs DATABASE_URL, REDIS_URL and BROKER_URL; missing: {', '.join(_missing)}"
    )


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    if PROFILE == "services":
        raise ImproperlyConfigured("SECRET_KEY must be set in the services profile")
    # Embedded profile: one random key per checkout, kept so sessions and tokens survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
WS_ALLOWED_ORIGINS = envlist("WS_ALLOWED_ORIGINS", [])
USE_X_FORWARDED_HOST = envbool("USE_X_FORWARDED_HOST", False)
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",
    "apps.core",
    "apps.accounts",
    "apps.jobs",
    "apps.cefr",
    "apps.ocr",
    "apps.chat",
    "apps.leveltest",
    "apps.progress",
    "apps.privacy",  # above every other app: it reads and erases their data
    "project",  # the composition root: the serve command
]

MIDDLEWARE = [
    "apps.core.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.ApiErrorEnvelopeMiddleware",
]

# The JSON API (JWT, no cookies) runs through a lean, async-only chain: Django's session, auth, CSRF and messages
# middleware are sync and would cost two thread hops each per request (project/asgi.py routes /api/ here).
API_MIDDLEWARE = [
    "apps.core.admission.AdmissionMiddleware",
    "apps.core.middleware.RequestMetricsMiddleware",
    "apps.core.middleware.ApiErrorEnvelopeMiddleware",
]

ROOT_URLCONF = "project.urls"
ASGI_APPLICATION = "project.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/admin/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- database -------------------------------------------------------------------------------------------------
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
    if _db["ENGINE"] == "django.db.backends.mysql":
        _db.setdefault("OPTIONS", {}).update({"charset": "utf8mb4", "connect_timeout": 5})
        _db.setdefault("TEST", {})["CHARSET"] = "utf8mb4"
        _db["TEST"]["COLLATION"] = "utf8mb4_unicode_ci"
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "db.sqlite3"),
            "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, broker, channel layer -------------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": REDIS_PREFIX,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    CHANNEL_LAYER_BACKEND = envchoice("CHANNEL_LAYER", "pubsub", {"pubsub", "core"})
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": (
                "channels_redis.pubsub.RedisPubSubChannelLayer"
                if CHANNEL_LAYER_BACKEND == "pubsub"
                else "channels_redis.core.RedisChannelLayer"
            ),
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{REDIS_PREFIX}:ch"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lingua"}}
    CHANNEL_LAYER_BACKEND = "memory"
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Dramatiq: RabbitMQ at BROKER_URL in the services profile, otherwise an in-memory broker consumed by a worker that
# runs inside the web process (EMBEDDED_WORKER).
EMBEDDED_WORKER = envbool("EMBEDDED_WORKER", not BROKER_URL)
# One pool of Dramatiq processes per kind of work, each sized for it (queue:processes:threads:nice). CEFR: one process
# with many threads so concurrent requests share forward passes; OCR: one single-threaded engine per process and core;
# PDF pages at a lower priority than interactive images; the web process always at a higher one (nice 0). An image
# process takes one message at a time (prefetch 1): with two, an image could wait behind another in a busy process
# while the other process idles.
_CORES = os.cpu_count() or 1
WORKER_POOLS = envpools(
    "WORKER_POOLS", f"cefr:1:16:5,interactive:{_CORES}:1:10:1,documents:{_CORES}:1:15,default:1:4:10"
)
WORKER_QUEUES = sorted({q for pool in WORKER_POOLS for q in pool["queues"]})
WORKER_THREADS = envint("WORKER_THREADS", 4, min_value=1, max_value=64)
# Backpressure: past this many waiting messages, endpoints that would enqueue more answer 503 with Retry-After.
QUEUE_MAX_DEPTH = envintmap("QUEUE_MAX_DEPTH", "cefr:5000,interactive:200,documents:5000,default:2000")
# Per-user limits on the heavy endpoints, requests per minute (export: a data export reads all of a learner's rows).
RATE_LIMITS = envintmap("RATE_LIMITS", "ocr:30,cefr:300,chat:60,leveltest:120,ws-ticket:30,export:2")
JOB_WAIT_SECONDS = envfloat("JOB_WAIT_SECONDS", 30.0, min_value=0.0, max_value=600)
JOB_MAX_RETRIES = envint("JOB_MAX_RETRIES", 3, min_value=0, max_value=20)
# Retention, enforced by `manage.py purge_expired` (deploy/systemd/lingua-purge.timer, hourly): OCR documents with
# their uploaded files, and jobs with their results, go this many days after they were made (finished).
RETENTION_DAYS = envint("RETENTION_DAYS", 365, min_value=1, max_value=100 * 365)
# A data export is a full copy of a learner's data made to be downloaded at once: kept a day, not a year, so a
# forgotten one does not become a second copy of everything (a new one can be asked for at any time).
EXPORT_RETENTION_HOURS = envint("EXPORT_RETENTION_HOURS", 24, min_value=1, max_value=24 * 365)

# --- auth -------------------------------------------------------------------------------------------------------
JWT_SIGNING_KEY = envstr("JWT_SIGNING_KEY") or SECRET_KEY
JWT_ACCESS_TTL = envint("JWT_ACCESS_TTL", 15 * 60, min_value=30, max_value=24 * 3600)
JWT_REFRESH_TTL = envint("JWT_REFRESH_TTL", 7 * 24 * 3600, min_value=60, max_value=90 * 24 * 3600)
# A session (one sign-in and the pairs its refresh tokens roll over to) ends this long after the sign-in, however
# often it is refreshed: its last tokens expire then, and the user signs in again.
JWT_SESSION_TTL = envint("JWT_SESSION_TTL", 30 * 24 * 3600, min_value=60, max_value=365 * 24 * 3600)
# Seconds a verified access token's user lookup is cached. Revocation does not wait for it: every request also reads
# the user's and the session's revocation marks on REDIS_URL (one MGET).
JWT_CACHE_TTL = envint("JWT_CACHE_TTL", 60, min_value=0, max_value=3600)
WS_MAX_FRAME_BYTES = envint("WS_MAX_FRAME_BYTES", 64 * 1024, min_value=1024, max_value=16 * 1024 * 1024)
WS_TICKET_TTL = envint("WS_TICKET_TTL", 30, min_value=5, max_value=600)
# Open websockets per user across every web process; one more is accepted and closed at once with 4429. Each socket
# holds a lease on REDIS_URL that it renews every third of WS_LEASE_SECONDS (re-checking its sign-in as it does), so
# the sockets of a process that died stop counting after WS_LEASE_SECONDS.
WS_MAX_PER_USER = envint("WS_MAX_PER_USER", 10, min_value=1, max_value=1000)
WS_LEASE_SECONDS = envint("WS_LEASE_SECONDS", 60, min_value=3, max_value=3600)
# Sign-in throttle (API, teacher and admin logins): after AUTH_FAILURE_LIMIT failures for one account from one address,
# that pair is refused for AUTH_LOCKOUT_SECONDS, the right password included.
AUTH_FAILURE_LIMIT = envint("AUTH_FAILURE_LIMIT", 10, min_value=1, max_value=1000)
AUTH_LOCKOUT_SECONDS = envint("AUTH_LOCKOUT_SECONDS", 900, min_value=1, max_value=7 * 24 * 3600)
AUTH_RATE_LIMIT = envint("AUTH_RATE_LIMIT", 10, min_value=1, max_value=10_000)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- requests ---------------------------------------------------------------------------------------------------
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", 20 * 1024 * 1024, min_value=1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("MAX_JSON_BYTES", 1024 * 1024, min_value=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "apps.core.uploads.TemporaryFileUploadHandler",  # Django's, safe with very long file-name extensions
]

# --- observability ----------------------------------------------------------------------------------------------
# Admission (apps.core.admission): API requests doing CPU work at once per web process (0: no gate), and how long a
# request waits for a slot before it goes ahead without one.
ADMISSION_SLOTS = envint("ADMISSION_SLOTS", 4, min_value=0, max_value=10_000)
ADMISSION_WAIT = envfloat("ADMISSION_WAIT", 2.0, min_value=0.0, max_value=60)
# Seconds between event-loop lag samples. Each wake-up of an idle loop costs ~0.15-0.25 ms of CPU on these VMs: every
# 20 ms that was 14 ms of CPU a second per web process doing nothing (1.4% of a 2-core machine for two processes);
# every 100 ms, 4 ms. A lag is measured in full whenever it is sampled; 10 samples a second still see every stall.
LOOP_LAG_INTERVAL = envfloat("LOOP_LAG_INTERVAL", 0.1, min_value=0.01, max_value=10)
LOG_LEVEL = envchoice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.request": {"level": "ERROR"}, "pika": {"level": "WARNING"}},
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
STATIC_URL = "/static/"
SERVE_STATIC = envbool("SERVE_STATIC", True)
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(DATA_DIR / "static")))

# --- CEFR classifier (loaded only in worker processes) -------------------------------------------------------------
CEFR_MODEL_DIR = Path(envstr("CEFR_MODEL_DIR", str(BASE_DIR / "models" / "cefr-minilm")))
CEFR_MAX_BATCH = envint("CEFR_MAX_BATCH", 32, min_value=1, max_value=512)
# 0: a batch is whatever has queued by the time the model thread is free (no added latency when idle; under load the
# texts that arrive during one forward pass form the next).
CEFR_MAX_WAIT_MS = envfloat("CEFR_MAX_WAIT_MS", 0.0, min_value=0.0, max_value=1000)
CEFR_CACHE_TTL = envint("CEFR_CACHE_TTL", 30 * 24 * 3600, min_value=1)
CEFR_TIMEOUT = envfloat("CEFR_TIMEOUT", 15.0, min_value=0.1, max_value=300)
# Where the CEFR model runs in the worker: "auto" (a CUDA GPU when torch sees one, else the CPU), "cpu", "cuda:0"...
CEFR_DEVICE = envstr("CEFR_DEVICE", "auto")
CEFR_TORCH_THREADS = envint("CEFR_TORCH_THREADS", 1, min_value=1, max_value=64)
# "auto": ONNX Runtime on the CPU (faster at identical levels: bench/results/cefr-runtime.json), torch on a GPU;
# "onnx" or "torch" force one. The ONNX graph is exported from the weights at a worker's first load, into
# CEFR_ONNX_CACHE_DIR under the weights' hash; CEFR_TORCH_THREADS sets either runtime's threads.
CEFR_RUNTIME = envchoice("CEFR_RUNTIME", "auto", {"auto", "onnx", "torch"})
CEFR_ONNX_CACHE_DIR = Path(envstr("CEFR_ONNX_CACHE_DIR", str(DATA_DIR / "cefr-onnx")))
# The band a learner sees: "B1-B2" when the second most probable level is next to the first and has at least this
# fraction of its probability, else the single level (apps/cefr/bands.py).
CEFR_BAND_RATIO = envfloat("CEFR_BAND_RATIO", 0.5, min_value=0.0, max_value=1.0)
CEFR_MAX_TEXTS = envint("CEFR_MAX_TEXTS", 64, min_value=1, max_value=1024)
CEFR_MAX_CHARS = envint("CEFR_MAX_CHARS", 2000, min_value=10, max_value=100_000)

# --- OCR (engines loaded only in worker processes) -------------------------------------------------------------------
OCR_ENGINE = envchoice("OCR_ENGINE", "onnx", {"onnx", "paddle"})
OCR_THREADS = envint("OCR_THREADS", 1, min_value=1, max_value=64)
# onnxruntime's CPU memory arena for the ONNX engine's sessions (ocr-burst: 1.21x the throughput of 5 pages at once).
OCR_MEMORY_ARENA = envbool("OCR_MEMORY_ARENA", True)
OCR_MAX_UPLOAD_BYTES = envint("OCR_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, min_value=1024)
OCR_MAX_PIXELS = envint("OCR_MAX_PIXELS", 50_000_000, min_value=10_000)
OCR_MAX_PAGES = envint("OCR_MAX_PAGES", 200, min_value=1, max_value=10_000)
OCR_PDF_DPI = envint("OCR_PDF_DPI", 200, min_value=50, max_value=600)
OCR_WAIT_SECONDS = envfloat("OCR_WAIT_SECONDS", 30.0, min_value=0.0, max_value=600)
OCR_MAX_IMAGES = envint("OCR_MAX_IMAGES", 50, min_value=1, max_value=1000)
# Per-user storage for OCR uploads (the sum of their documents' source files); an upload past it is 413 until the
# learner deletes documents. 0: no quota.
OCR_USER_QUOTA_MB = envint("OCR_USER_QUOTA_MB", 500, min_value=0, max_value=10_000_000)

# --- chat tutor -------------------------------------------------------------------------------------------------------
LLM_BASE_URL = envurl("LLM_BASE_URL", {"http", "https"})
LLM_MODEL = envstr("LLM_MODEL", "gpt-4o-mini")
LLM_API_KEY = envstr("LLM_API_KEY")
LLM_TIMEOUT = envfloat("LLM_TIMEOUT", 30.0, min_value=0.1, max_value=600)
LLM_MAX_RETRIES = envint("LLM_MAX_RETRIES", 1, min_value=0, max_value=10)
LLM_TEMPERATURE = envfloat("LLM_TEMPERATURE", 0.7, min_value=0.0, max_value=2.0)
LLM_MAX_TOKENS = envint("LLM_MAX_TOKENS", 300, min_value=16, max_value=8192)
LLM_HISTORY_TOKENS = envint("LLM_HISTORY_TOKENS", 2000, min_value=100, max_value=200_000)
CHAT_ANALYSIS_EVERY = envint("CHAT_ANALYSIS_EVERY", 100, min_value=1)
# Reply text is pushed to the websocket at once for the first piece, then at most once per this many ms (what arrived
# in between goes in one event): one channel-layer send per token costs a Redis round trip per token.
CHAT_TOKEN_FLUSH_MS = envint("CHAT_TOKEN_FLUSH_MS", 50, min_value=0, max_value=2000)
CHAT_MAX_MESSAGE_CHARS = envint("CHAT_MAX_MESSAGE_CHARS", 2000, min_value=10, max_value=100_000)
SPEECH_ENGINE = envchoice("SPEECH_ENGINE", "espeak-ng", {"espeak-ng"})
SPEECH_VOICE = envstr("SPEECH_VOICE", "en-us")
SPEECH_TIMEOUT = envfloat("SPEECH_TIMEOUT", 20.0, min_value=1, max_value=300)

# --- level test -------------------------------------------------------------------------------------------------------
LEVELTEST_ITEMS = envint("LEVELTEST_ITEMS", 24, min_value=3, max_value=200)
LEVELTEST_MIN_ANSWERS = envint("LEVELTEST_MIN_ANSWERS", 12, min_value=1, max_value=200)
LEVELTEST_MAX_WRITING_CHARS = envint("LEVELTEST_MAX_WRITING_CHARS", 5000, min_value=100, max_value=100_000)
# Hours from a learner's last started attempt (finished or not) before they may start another (409 with
# Retry-After until then): a retake that soon measures memory of the bank, not progress. 0: no wait.
LEVELTEST_RETAKE_HOURS = envint("LEVELTEST_RETAKE_HOURS", 24, min_value=0, max_value=24 * 365)
