"""What every browser test shares: Debian's Chromium driven by Playwright, and the skip/fail policy.

Skipped with a message when Chromium or Playwright is missing on a newcomer's machine; under
``CI=true`` a missing browser is a failure (``.ci/run`` installs it).  Test data must be created in
fixtures that run *before* :func:`open_page`: once Playwright runs, the test's context is not
Django's thread any more.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

MISSING = None if CHROMIUM and sync_playwright else (
    "Chromium (apt install chromium) and Playwright (pip install -e '.[test]') are needed for browser tests")
if MISSING and IN_CI:
    raise RuntimeError(f"CI=true: {MISSING}")

MARKS = [pytest.mark.db, pytest.mark.django_db(transaction=True),
         pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


def open_page() -> Iterator[Any]:
    """A fresh page in headless Chromium (use from a fixture with ``yield from open_page()``)."""
    assert sync_playwright is not None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(locale="zh-CN")
        yield context.new_page()
        browser.close()
