"""The web project's foundation: settings, database reachability, languages, the PostgreSQL policy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.db
@pytest.mark.django_db
def test_healthz_reports_the_database_in_use() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


@pytest.mark.db
@pytest.mark.django_db
def test_admin_login_speaks_chinese_first_and_english_on_request() -> None:
    zh = Client().get("/admin/login/")
    assert zh.status_code == 200
    assert "登录" in zh.content.decode()
    en = Client(headers={"accept-language": "en"}).get("/admin/login/")
    assert "Log in" in en.content.decode()


def test_settings_defaults() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def _run_pytest(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GONGKAI_DATABASE_URL")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "db",
         "tests/test_site.py::test_healthz_reports_the_database_in_use"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


UNREACHABLE = "postgresql://postgres@127.0.0.1:1/test"  # port 1: nothing listens there


def test_unreachable_postgres_skips_with_a_reason_on_a_newcomers_machine() -> None:
    run = _run_pytest({"GONGKAI_DATABASE_URL": UNREACHABLE})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    assert "PostgreSQL at postgresql://postgres@127.0.0.1:1/test is unreachable" in run.stdout


def test_unreachable_postgres_fails_under_ci() -> None:
    run = _run_pytest({"GONGKAI_DATABASE_URL": UNREACHABLE, "CI": "true"})
    assert run.returncode == 3, run.stdout + run.stderr
    assert "CI=true: the PostgreSQL run is required" in run.stdout + run.stderr


@pytest.mark.db
@pytest.mark.django_db
def test_demo_data_goes_through_the_workflow_and_loads_once() -> None:
    from gongkai.cases.models import Case, CaseEvent
    from gongkai.site.demo import seed

    accounts = seed()
    assert [u for u, _ in accounts] == ["admin", "clerk", "head", "supervisor"]
    states = sorted(Case.objects.values_list("state", flat=True))
    assert states == ["awaiting_confirmation", "awaiting_correction", "closed", "closed", "consulting",
                      "in_progress", "in_progress", "in_progress"]
    assert CaseEvent.objects.filter(action="register").count() == 8
    seed()
    assert Case.objects.count() == 8
    client = Client()
    assert client.login(username="clerk", password="gongkai-demo")
    assert "申请公开政府信息" in client.get("/").content.decode()
    assert "示例申请人2" in client.get("/desk/").content.decode()
