"""Parts of messages that vary in number or form: lists and dates, worded for the active language.

A message is one translatable sentence with named placeholders; what fills a placeholder is
sometimes a list (the roles that may do something, the errors of one row) or a date.  Lists are
joined a pair at a time through a translatable pattern ("%(item)s、%(rest)s", in English
"%(item)s, %(rest)s"), so no translation needs a leading or trailing space; dates follow a
translatable date format (2025年07月01日 in Chinese, 1 July 2025 in English).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import pgettext


def joined(items: Iterable[object], pattern: str) -> str:
    """``items`` joined a pair at a time through a translated ``pattern`` ("%(item)s、%(rest)s")."""
    parts = [str(i) for i in items]
    if not parts:
        return ""
    text = parts[-1]
    for part in reversed(parts[:-1]):
        text = pattern % {"item": part, "rest": text}
    return text


def series(items: Iterable[object]) -> str:
    """Names in running text: 登记员、承办人、管理员 (English: Registrar, Case handler, Administrator)."""
    # Translators: joins two items of a list of names (the second may itself be a list).
    return joined(items, pgettext("list of names", "%(item)s、%(rest)s"))


def clauses(items: Iterable[object]) -> str:
    """Whole statements one after another: 甲不能为空；乙不是数字 (English: …; …)."""
    # Translators: joins two statements (the second may itself be several).
    return joined(items, pgettext("list of statements", "%(item)s；%(rest)s"))


def long_date(day: date) -> str:
    """A date inside a message: 2025年07月01日 (English: 1 July 2025)."""
    # Translators: how a date is written inside a message, in the letters of Django's date filter
    # (Y year, m month 01-12, d day 01-31, n month 1-12, j day 1-31, F month name).
    return date_format(day, pgettext("date in a message", "Y年m月d日"))
