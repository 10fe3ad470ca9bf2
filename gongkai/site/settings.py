"""Settings for the gongkai web system.

Configuration comes from the environment so that the same code runs on a laptop (SQLite,
zero set-up) and on a province's many app servers sharing one PostgreSQL:

``GONGKAI_DATABASE_URL``  e.g. ``postgresql://user@db.example/gongkai``; default SQLite file
                          ``gongkai.sqlite3`` in ``GONGKAI_DATA_DIR``.
``GONGKAI_DATA_DIR``      where the SQLite file and uploaded files live (default ``./var``).
``GONGKAI_SECRET_KEY``    shared by all app servers; default: a random key kept in the data dir.
``GONGKAI_DEBUG``         ``1`` for development.
``GONGKAI_ALLOWED_HOSTS`` comma-separated host names.
``GONGKAI_PREPARED_STATEMENTS``  ``0`` behind a connection pooler that cannot keep PostgreSQL
                          prepared statements (PgBouncer before 1.21 in transaction mode); default
                          on: the public item page's query is prepared once per connection.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("GONGKAI_DEBUG", "") in ("1", "true", "yes")


def _secret_key() -> str:
    """``GONGKAI_SECRET_KEY``, or a random key kept in ``DATA_DIR/secret_key`` for a single host.

    Several app servers must share one key: set ``GONGKAI_SECRET_KEY`` on all of them.
    """
    key = os.environ.get("GONGKAI_SECRET_KEY", "")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
                 if h.strip()]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "gongkai.agencies",
    "gongkai.cases",
    "gongkai.catalogue",
    "gongkai.annual",
    "gongkai.supervision",
    "gongkai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.site.urls"
WSGI_APPLICATION = "gongkai.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
    {   # the public item page's content (gongkai.site.jinja says why); templates in <app>/jinja2/
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "gongkai.site.jinja.environment",
                    "context_processors": ["django.template.context_processors.i18n",
                                           "gongkai.site.jinja.context_processor"]},
    },
]


# PostgreSQL plans the item page's query (six tables) in about 0.7 ms and runs it in 0.06 ms; a
# statement prepared once per connection is planned once (gongkai.site.prepared).
PREPARED_STATEMENTS = os.environ.get("GONGKAI_PREPARED_STATEMENTS", "1") not in ("0", "false", "no")


def _database() -> dict:
    url = os.environ.get("GONGKAI_DATABASE_URL")
    if url:
        try:
            database: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"GONGKAI_DATABASE_URL is not a database URL ({exc}). "
                "Example: postgresql://user:password@127.0.0.1:5432/gongkai") from exc
        if PREPARED_STATEMENTS and database["ENGINE"] == "django.db.backends.postgresql":
            # psycopg prepares only on cursors that bind on the server, which Django's are not:
            # in gongkai that is the item page's query alone (gongkai.site.prepared)
            database.setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
        return database
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # kept open between requests, as PostgreSQL's: opening SQLite and reading its schema again took
    # longer than the item page's own queries
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "gongkai.sqlite3",
            "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Simplified Chinese first, English second (LocaleMiddleware picks by Accept-Language / cookie).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates per language (2026年11月29日 / 29 November 2026): templates use |date:"DATE_FORMAT", not a fixed pattern.
FORMAT_MODULE_PATH = ["gongkai.site.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TRUST_X_FORWARDED_FOR = os.environ.get("GONGKAI_TRUST_X_FORWARDED_FOR", "") in ("1", "true", "yes")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:inbox"

# E-mail (reminders): the console in development; GONGKAI_EMAIL_* configure SMTP in production.
EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
                               if DEBUG else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GONGKAI_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("GONGKAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("GONGKAI_EMAIL_TLS", "") in ("1", "true", "yes")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_EMAIL_FROM", "gongkai@localhost")
