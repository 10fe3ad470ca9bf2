"""Settings and URLconf of the HTTP part of ``bench/portal.py``: the project as it is, plus a minimal view.

    DJANGO_SETTINGS_MODULE=portal_urls gunicorn --pythonpath bench --workers 2 gongkai.site.wsgi

The settings are the project's (``gongkai.site.settings``: database, data dir and hosts from the
environment) with ``DEBUG`` off and this module as ``ROOT_URLCONF``.  The URLs are the project's
own (``gongkai.site.urls``) plus ``/bench/minimal/``, a view that returns ``ok`` through the same
middleware: the floor that an item page is compared with.
"""

from __future__ import annotations

from typing import Any

from gongkai.site.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = __name__


def __getattr__(name: str) -> Any:
    """``urlpatterns``, made when the URL resolver first asks for it.

    Django reads this module as settings before the apps are loaded, too early to import the
    project's URLs; the resolver asks for ``urlpatterns`` at the first request, when they are.
    """
    if name != "urlpatterns":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    def minimal(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    patterns = [path("bench/minimal/", minimal, name="bench-minimal"), path("", include("gongkai.site.urls"))]
    globals()["urlpatterns"] = patterns
    return patterns
