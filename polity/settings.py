"""Polity settings: one module, driven by environment variables.

Development defaults need no services: SQLite under ``var/`` and a Celery broker on kombu's
filesystem transport (the worker is still a separate process). Point ``DATABASE_URL`` at PostgreSQL
and ``REDIS_URL`` (or ``CELERY_BROKER_URL``) at Redis and the same code runs in production.
``POLITY_ENV=production`` refuses to start with the development secret or with DEBUG on.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


POLITY_ENV = env("POLITY_ENV", "development")
PRODUCTION = POLITY_ENV == "production"

# pytest sets PYTEST_VERSION for the whole run; worker processes the tests start inherit it.
RUNNING_TESTS = "PYTEST_VERSION" in os.environ
if RUNNING_TESTS:
    # Each test run gets its own id, data folder (SQLite test database, broker folders), test
    # database name and task queue, so that concurrent runs in one checkout never share state.
    # Set in the environment so that the worker processes a run starts inherit the same values.
    os.environ.setdefault("POLITY_TEST_RUN_ID", str(os.getpid()))
    os.environ.setdefault(
        "POLITY_DATA_DIR", str(BASE_DIR / "var" / "test" / os.environ["POLITY_TEST_RUN_ID"])
    )
TEST_RUN_ID = env("POLITY_TEST_RUN_ID")

# Everything the running system writes (SQLite file, broker folders, keys, caches) lives here.
DATA_DIR = Path(env("POLITY_DATA_DIR", str(BASE_DIR / "var" / "run")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEVELOPMENT_SECRET_KEY = "polity-development-only-secret-key-refused-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

if PRODUCTION:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "POLITY_ENV=production needs SECRET_KEY set to a random value of 50+ characters."
        )
    if DEBUG:
        raise ImproperlyConfigured("POLITY_ENV=production refuses to run with DEBUG on.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("POLITY_ENV=production needs ALLOWED_HOSTS.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "polity",
    "ledger",
    "identity",
    "voting",
    "governance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "polity.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "polity.logging.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "polity.security.RefuseNulMiddleware",
    "polity.errors.BareErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "polity.urls"
WSGI_APPLICATION = "polity.wsgi.application"
ASGI_APPLICATION = "polity.asgi.application"
AUTH_USER_MODEL = "identity.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "polity.context.site",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'polity.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a separate worker process sees what the tests write.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-polity.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif TEST_RUN_ID:
    DATABASES["default"]["TEST"] = {"NAME": f"test_polity_{TEST_RUN_ID}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared between processes (throttling counters, cached status lists) ----------------------
REDIS_URL = env("REDIS_URL", "")
CACHE_KEY_PREFIX = f"test{TEST_RUN_ID}" if TEST_RUN_ID else ""
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Celery -----------------------------------------------------------------------------------------
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND", REDIS_URL or f"file://{DATA_DIR / 'celery-results'}"
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        "control_folder": str(BROKER_DIR / "control"),
        "polling_interval": 0.1,
    }
if CELERY_RESULT_BACKEND.startswith("file://"):
    Path(CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# A test run's tasks go to its own queue, which only the workers that run starts consume.
CELERY_TASK_DEFAULT_QUEUE = f"polity-test-{TEST_RUN_ID}" if TEST_RUN_ID else "celery"
CELERY_BEAT_SCHEDULE: dict = {
    # Ledger: sequence whatever appends left pending and (re)ask witnesses to cosign.
    "ledger-sequence": {"task": "ledger.sequence", "schedule": 10.0},
    # Governance: advance proposals on schedule, initiative deadlines, device-attested
    # milestones, pending feedback (governance/tasks.py; every step is idempotent).
    "governance-tick": {"task": "governance.tick", "schedule": 5.0},
    # Elections: open/close on schedule, resume a count a dead worker left, finish publication.
    "voting-tick": {"task": "voting.tick", "schedule": 15.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# Authentication -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Attempts inside the window before log-in, sign-up and password reset answer 429: per client
# address (log-in: per address and account name), and looser for all log-ins from one address.
AUTH_THROTTLE_ATTEMPTS = int(env("AUTH_THROTTLE_ATTEMPTS", "10"))
AUTH_THROTTLE_ADDRESS_ATTEMPTS = int(env("AUTH_THROTTLE_ADDRESS_ATTEMPTS", "50"))
AUTH_THROTTLE_WINDOW_SECONDS = int(env("AUTH_THROTTLE_WINDOW_SECONDS", "300"))
# How many reverse proxies of ours stand in front of Django, each appending to X-Forwarded-For.
# The client address (throttling, DRF's throttles) is then that header's N-th hop from the right;
# 0 uses the peer address and ignores the header, which any client can send.
POLITY_TRUSTED_PROXIES = int(env("POLITY_TRUSTED_PROXIES", "0"))
if POLITY_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("POLITY_TRUSTED_PROXIES must be 0 or more.")

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL (465), not both."
    )
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Polity <no-reply@polity.localhost>")

# Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_TZ = True

# Static files: front-end bundles are built by `npm run build` into static/build/ ----------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

# Security -----------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts and styles come only from our own bundles; no inline script anywhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# API --------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # DRF's parsers, with JSON depth bounded and duplicate keys refused (polity/inputs.py).
    "DEFAULT_PARSER_CLASSES": [
        "polity.parsers.JSONParser",
        "polity.parsers.FormParser",
        "polity.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "polity.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "polity.api.Pagination",
    "PAGE_SIZE": 100,
    # Client addresses for DRF's throttles, read as polity.throttle.client_address reads them.
    "NUM_PROXIES": POLITY_TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Polity API",
    "DESCRIPTION": "Civic governance, verifiable e-voting and a public transparency ledger.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Deployment identity: names the transparency log's origin line and the did:web issuer.
POLITY_SITE_NAME = env("POLITY_SITE_NAME", "Polity")
POLITY_CITY_NAME = env("POLITY_CITY_NAME", "Demo City")
POLITY_DOMAIN = env("POLITY_DOMAIN", "localhost")

# Ledger -----------------------------------------------------------------------------------------
# The checkpoint origin names this deployment's log; it is also the log key's name.
LEDGER_ORIGIN = env("LEDGER_ORIGIN", f"{POLITY_DOMAIN}/ledger")
# C2SP signer key string (PRIVATE+KEY+<origin>+...). Required in production; in development a key
# is generated once into DATA_DIR/keys/.
LEDGER_SIGNER_KEY = env("LEDGER_SIGNER_KEY", "")
# A checkpoint is "witnessed" once this many distinct partner witnesses cosigned it.
LEDGER_WITNESS_QUORUM = int(env("LEDGER_WITNESS_QUORUM", "2"))
# Governance: how old (seconds) a device reading may be when it arrives (store-and-forward);
# older ones are refused, so a burst of backdated readings cannot fake hours of service.
GOVERNANCE_READING_MAX_AGE = int(env("GOVERNANCE_READING_MAX_AGE", str(6 * 3600)))

# Logging: one JSON object per line, so that log shippers need no parsing rules.
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "polity.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
CSRF_FAILURE_VIEW = "polity.errors.csrf_failure"
