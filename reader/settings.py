"""Django settings for Parallax.

Everything is read from environment variables with development defaults, so
that `make run` works on a fresh machine with SQLite and a production install
(`make serve`) sets DJANGO_SECRET_KEY, DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS and
DATABASE_URL. The README lists every variable.
"""

import os
import re
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
# A fixed development key; production must set its own (checked below).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-not-secret" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

#: Where the TEI files live (the published, version-controlled form).
CORPUS_TEI_DIR = Path(os.environ.get("PARALLAX_TEI_DIR", BASE_DIR / "corpus" / "tei"))
#: Where the seed texts live (the evidence; never modified).
SEEDS_DIR = Path(os.environ.get("PARALLAX_SEEDS_DIR", BASE_DIR / "seeds"))
#: Entity model trained on the corpus by ``manage.py train``, used by ingest/recognise when present.
#: Empty (the default): spaCy's installed English model (the trained one did not score higher, see bench/README.md).
NER_MODEL_DIR = os.environ.get("PARALLAX_NER_MODEL", "")
#: Originals of imported TEI files, kept byte for byte (manage.py importtei).
FOREIGN_SOURCES_DIR = Path(os.environ.get("PARALLAX_FOREIGN_SOURCES_DIR", BASE_DIR / "sources" / "tei"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "csp",
    "reader.entities",
    "reader.texts",
    "reader.annotations",
    "django_tasks",
    "django_tasks_db",
    "reader.jobs",
]

MIDDLEWARE = [
    "reader.middleware.RefuseMalformedRequests",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "reader.caching.CorpusPageCache",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "reader.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "reader" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "reader.wsgi.application"

# SQLite by default; PostgreSQL (or any other) when DATABASE_URL is set. A connection kept between
# requests (conn_max_age) is checked before reuse, so a database restart costs no reader a 500.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several annotators save at once: WAL lets readers go on during a write, IMMEDIATE takes the
    # write lock when a transaction starts (so two savers queue instead of failing on upgrade),
    # and a writer waits up to 20 s for the lock instead of answering "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: Redis when REDIS_URL is set (shared by every server process and machine); else, in
# production, files under var/cache (shared by the processes of one machine); in development and
# tests, memory. Reader pages are cached whole for PAGE_CACHE_SECONDS (reader.caching), 0 = off.
# Redis fails open (reader.cache_backend): while it is down, pages are made afresh, never refused.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "reader.cache_backend.FailOpenRedisCache", "LOCATION": REDIS_URL}}
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("PARALLAX_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Background jobs (an editor's upload runs the pipeline): django-tasks with its database backend, so
# the queue needs no other service; `manage.py jobs_worker --supervise` runs them (`make run` starts one beside
# the site). PARALLAX_TASKS=immediate runs each job inside the request instead.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("PARALLAX_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if DEBUG else "3600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "reader" / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# In development WhiteNoise serves straight from the app folders (and does not
# warn that `collectstatic` has not been run); in production from STATIC_ROOT.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # Served behind a TLS-terminating proxy (make serve): the proxy says a request came in
    # over https with X-Forwarded-Proto; requests without it are redirected to https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("DJANGO_HSTS_PRELOAD", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# The map's tiles: a URL template (``https://tiles.example.org/{z}/{x}/{y}.png``), or "" for none: the map
# then draws only its bundled outline of the world. The tile server's origin is allowed as an image source.
PARALLAX_MAP_TILES = os.environ.get("PARALLAX_MAP_TILES", "")
_TILE_ORIGIN = re.match(r"https?://[^/{}]+", PARALLAX_MAP_TILES)

# Facsimiles on other hosts (IIIF Image API servers, image URLs in graphic/@url) the reading view may show:
# their origins, comma-separated ("https://iiif.example.org"); none by default (files next to the TEI only).
PARALLAX_IIIF_HOSTS = [
    o.rstrip("/") for o in os.environ.get("PARALLAX_IIIF_HOSTS", "").split(",") if re.match(r"^https?://[^/]+/?$", o)
]

# Content-Security-Policy on every response (django-csp): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN[0]] if _TILE_ORIGIN else []), *PARALLAX_IIIF_HOSTS],
        "connect-src": ["'self'", *PARALLAX_IIIF_HOSTS],  # a IIIF server's info.json
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Logs go to standard output (gunicorn passes them on): request errors (500s) included,
# with their traceback, whether or not DEBUG is on.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "reader": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
