"""The Jinja2 environment of the pages read most often (the public item page).

Django's own template language spends 15–20 µs on each variable and tag; the item page has about
sixty, so rendering it took longer than everything else a request does together.  Jinja2
compiles a template to Python.  The rest of the site keeps Django templates; a Jinja2 page is
framed by the same ``base.html`` (:mod:`gongkai.site.frame`).

The templates are written so that ``makemessages`` finds their messages as it finds those of a
Django template:

* ``{% translate "信息属性" %}`` and ``{% translate "正文" context "heading of an item's text" %}``,
  the Django tag's own syntax (:class:`TranslateExtension`; compiled to a lookup in the request's
  language's :class:`Messages`, from :func:`context_processor`);
* ``{{ _("%(date)s（%(note)s）")|fill(date=…, note=…) }}`` for a message with values: the message
  id is that of the same ``{% blocktranslate %}``, and ``fill`` escapes the values, not the message.

Translations are looked up once per language and message in a process (Django's ``gettext``
costs several µs a call, and the catalogue of a running process does not change), in the language
of the request (``LANGUAGE_CODE``, from Django's i18n context processor).
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats
from django.utils.translation import get_language, gettext, override, pgettext
from jinja2 import Environment, nodes, pass_context
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.runtime import Context
from markupsafe import Markup

_translations: dict[tuple[str | None, str | None, str], Markup] = {}


def translated(message: str, context: str | None = None, language: str | None = None) -> Markup:
    """``message`` in the active language (as Django's ``{% translate %}`` gives it: not escaped).

    ``language`` is the active language if the caller knows it (asking Django costs 2–3 µs)."""
    key = (language or get_language(), context, message)
    try:
        return _translations[key]
    except KeyError:
        with override(key[0]):  # the language the key names, should a caller name another
            text = _translations[key] = Markup(gettext(message) if context is None else pgettext(context, message))
        return text


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """Tests that change the languages or the catalogues see the change (a running site never does)."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "FORMAT_MODULE_PATH", "ROOT_URLCONF"}:
        _translations.clear()
        _catalogues.clear()
        _reversed.cache_clear()
        _formatted.cache_clear()


class Messages(dict[tuple[str | None, str], Markup]):
    """One language's translations as ``{% translate %}`` reads them: ``messages[(context, message)]``
    (a dict lookup in the compiled template, where a call cost several times more)."""

    def __init__(self, language: str | None) -> None:
        super().__init__()
        self.language = language

    def __missing__(self, key: tuple[str | None, str]) -> Markup:
        context, message = key
        text = self[key] = translated(message, context, self.language)
        return text


_catalogues: dict[str | None, Messages] = {}


def messages_of(language: str | None) -> Messages:
    try:
        return _catalogues[language]
    except KeyError:
        return _catalogues.setdefault(language, Messages(language))


class _ActiveMessages:
    """``_messages`` of a template rendered without a request (so without the context processor):
    the active language's."""

    def __getitem__(self, key: tuple[str | None, str]) -> Markup:
        return messages_of(get_language())[key]


def context_processor(request: HttpRequest) -> dict[str, Any]:
    """The request's language's translations, for the Jinja2 backend's ``context_processors``."""
    return {"_messages": messages_of(get_language())}


class TranslateExtension(Extension):
    """``{% translate "message" %}`` and ``{% translate "message" context "context" %}``."""

    tags = {"translate"}

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        message = parser.parse_expression()
        context: nodes.Expr = nodes.Const(None)
        if parser.stream.skip_if("name:context"):
            context = parser.parse_expression()
        if not isinstance(message, nodes.Const) or not isinstance(context, nodes.Const):
            parser.fail("translate takes a quoted message (and context), as Django's tag does", lineno)
        key = nodes.Const((context.value, message.value))
        return nodes.Output([nodes.Getitem(nodes.Name("_messages", "load"), key, "load")], lineno=lineno)


@pass_context
def _gettext(render: Context, message: str) -> Markup:
    """``_("message")``."""
    return translated(message, None, render.get("LANGUAGE_CODE"))


def fill(message: Markup, **values: Any) -> Markup:
    """A translated message with ``%(name)s`` placeholders, the values escaped."""
    return message % values


@functools.lru_cache(maxsize=4096)
def _reversed(prefix: str, urlconf: str | None, name: str, args: tuple[Any, ...]) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def url(name: str, *args: Any) -> str:
    """``{% url name arg … %}``, remembered (the site's links do not change while it runs)."""
    return _reversed(get_script_prefix(), get_urlconf(), name, args)


@functools.lru_cache(maxsize=8192)
def _formatted(language: str | None, day: date, fmt: str) -> str:
    with override(language):
        return formats.date_format(day, fmt)


@pass_context
def date_filter(render: Context, day: date | None, fmt: str = "DATE_FORMAT") -> str:
    """``|date:"DATE_FORMAT"`` (or another format) in the active language; '' for no date."""
    return "" if day is None else _formatted(render.get("LANGUAGE_CODE") or get_language(), day, fmt)


def environment(**options: Any) -> Environment:
    """The environment Django's Jinja2 backend builds (``TEMPLATES`` ``OPTIONS["environment"]``)."""
    env = Environment(**options, extensions=[TranslateExtension])
    env.globals.update(_=_gettext, url=url, _messages=_ActiveMessages())
    env.filters.update(date=date_filter, fill=fill, filesizeformat=filesizeformat,
                       linebreaksbr=linebreaksbr)
    return env
