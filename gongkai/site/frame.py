"""A page's content inside the site's frame (``base.html``: header, navigation, styles).

For a visitor who is not signed in and has no message waiting, the frame is the same on every
page of one kind in one language, so it is rendered once per process (and language, script
prefix and URLconf) and the content is put in its place.  For anyone else — staff, whose header
shows their name and a sign-out form, or a visitor with a message to show — it is rendered each
time, from the same template.  Either way the bytes come from the same Django template.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# Letters only: they come out of the template as they went in (escaping changes nothing).
_TITLE = "gongkaiFrameTitleSlot"
_CONTENT = "gongkaiFrameContentSlot"

_frames: dict[tuple[str, str | None, str, Any], tuple[str, str, str]] = {}


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    if setting in {"TEMPLATES", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "ROOT_URLCONF"}:
        _frames.clear()


# Where Django keeps messages between requests: a cookie, the session, or either.
_MESSAGE_STORAGES = {f"django.contrib.messages.storage.{name}" for name in (
    "fallback.FallbackStorage", "cookie.CookieStorage", "session.SessionStorage")}


def _plain(request: HttpRequest) -> bool:
    """Nothing in the frame depends on who asks: not signed in, and no message waiting."""
    if (settings.MESSAGE_STORAGE in _MESSAGE_STORAGES and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES):
        return True  # no session (so nobody signed in) and no message cookie: most visitors, asked for nothing
    return not request.user.is_authenticated and not len(messages.get_messages(request))


def _split(template: str, request: HttpRequest) -> tuple[str, str, str]:
    page = render_to_string(template, {"title": _TITLE, "content": _CONTENT}, request)
    before, after = page.split(_TITLE)
    middle, end = after.split(_CONTENT)
    return before, middle, end


def framed(request: HttpRequest, template: str, title: str, content: SafeString, status: int = 200) -> HttpResponse:
    """The page: ``template`` (a Django template extending ``base.html`` that shows ``{{ title }}``
    once in its title block and ``{{ content }}`` once in its content block) around ``content``."""
    if settings.DEBUG or not _plain(request):
        return HttpResponse(render_to_string(template, {"title": title, "content": content}, request),
                            status=status)
    key = (template, get_language(), get_script_prefix(), get_urlconf())
    parts = _frames.get(key)
    if parts is None:
        parts = _frames[key] = _split(template, request)
    before, middle, end = parts
    return HttpResponse(before + escape(title) + middle + content + end, status=status)
