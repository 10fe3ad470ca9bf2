"""Test-wide policy for the database.

The suite runs on SQLite by default.  ``GONGKAI_DATABASE_URL=postgresql://…`` runs it on
PostgreSQL (``scripts/test`` does both).  When that PostgreSQL cannot be reached:

* on a newcomer's machine the database tests are skipped, with a message saying why;
* under ``CI=true`` the run fails: CI must never pass by silently skipping PostgreSQL.
"""

from __future__ import annotations

import os

import pytest

_PG_PROBLEM: str | None = None


def _postgres_problem() -> str | None:
    url = os.environ.get("GONGKAI_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    try:
        with psycopg.connect(
            host=cfg.get("HOST") or None, port=cfg.get("PORT") or None, user=cfg.get("USER") or None,
            password=cfg.get("PASSWORD") or None, dbname=cfg.get("NAME") or "postgres", connect_timeout=3,
        ):
            return None
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL at {url} is unreachable: {first}"


def pytest_configure(config: pytest.Config) -> None:
    global _PG_PROBLEM
    if os.environ.get("DJANGO_SETTINGS_MODULE"):  # not under ``-p no:django``
        from django.conf import settings

        # Persistent connections would outlive the live server's request threads and keep the
        # test database busy at teardown (browser tests).
        settings.DATABASES["default"]["CONN_MAX_AGE"] = 0
    _PG_PROBLEM = _postgres_problem()
    if _PG_PROBLEM and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.exit(f"{_PG_PROBLEM}. CI=true: the PostgreSQL run is required and must not be skipped.",
                    returncode=3)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not _PG_PROBLEM:
        return
    skip = pytest.mark.skip(reason=f"{_PG_PROBLEM} — start PostgreSQL or unset GONGKAI_DATABASE_URL")
    for item in items:
        if "db" in item.keywords:
            item.add_marker(skip)


def pytest_report_header(config: pytest.Config) -> str:
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        return "gongkai database: none (Django not loaded)"
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST') or ''} {db['NAME']}".replace("  ", " ")
    note = f" (SKIPPING database tests: {_PG_PROBLEM})" if _PG_PROBLEM else ""
    return f"gongkai database: {where}{note}"


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the default language: a request in English must not leak into the next test."""
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        yield
        return
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files (attachments, letters) go to this test's own folder, not the data dir's ``media``."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
