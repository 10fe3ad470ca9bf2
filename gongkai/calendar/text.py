"""Chinese date wording shared by the explanations (no legal rules here), and the messages they are
built from.

An explanation line is a :class:`Message`: a template with named placeholders ("%(day)s 收到申请…")
and its parameters, kept apart so that a translating layer (the staff desk, in Django) can translate
the template and format the parameters its own way; :attr:`Message.text` is the Chinese line. The
templates are marked with :func:`gettext_noop`, a local no-op that Django's ``makemessages`` finds by
name — this package never imports Django.

Parameters are: a :class:`~datetime.date` (a full date, 2025年1月20日), a :class:`MonthDay` (a date
without its year, 2月4日), a :class:`Weekday` (星期日), an ``int``, a ``str`` (shown as it is), a nested
:class:`Message` (translated too), or a tuple of those (a list, joined with "、").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeAlias

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def gettext_noop(message: str) -> str:
    """Mark *message* for translation; return it unchanged (Django's ``makemessages`` extracts the
    calls to a function of this name from any ``.py`` file)."""
    return message


# the name of a holiday span that has none (an imported schedule may leave it out)
HOLIDAY = gettext_noop("节假日")


def cn_date(d: date) -> str:
    """``2025年1月20日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_date_after(d: date, ref: date) -> str:
    """``2月4日`` when *d* is in the same year as *ref*, else the full date."""
    return f"{d.month}月{d.day}日" if d.year == ref.year else cn_date(d)


def cn_weekday(d: date) -> str:
    """``星期日``."""
    return WEEKDAYS[d.weekday()]


def cn_span(first: date, last: date) -> str:
    """``2025年1月28日至2月4日``, or one date when the span is a single day."""
    if first == last:
        return cn_date(first)
    return f"{cn_date(first)}至{cn_date_after(last, first)}"


# -- messages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthDay:
    """A date written without its year (``2月4日``), after a full date of the same year."""

    day: date


@dataclass(frozen=True)
class Weekday:
    """The day of the week of a date (``星期日``)."""

    day: date


Param: TypeAlias = "date | MonthDay | Weekday | int | str | Message | tuple[Param, ...]"


def date_after(d: date, ref: date) -> date | MonthDay:
    """*d* without its year when it is in the year of *ref* (as :func:`cn_date_after`)."""
    return MonthDay(d) if d.year == ref.year else d


@dataclass(frozen=True)
class Message:
    """A translatable template with its named parameters; :attr:`text` is the Chinese wording.

    Without parameters the template is the whole text (it is not %-formatted), so a name typed by an
    administrator (a holiday in an imported schedule) can be a :class:`Message` too.
    """

    template: str
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        if not self.params:
            return self.template
        return self.template % {key: cn_param(value) for key, value in self.params.items()}


def cn_param(value: Param) -> str:
    """A parameter worded in Chinese."""
    if isinstance(value, Message):
        return value.text
    if isinstance(value, MonthDay):
        return cn_date_after(value.day, value.day)
    if isinstance(value, Weekday):
        return cn_weekday(value.day)
    if isinstance(value, tuple):
        return "、".join(cn_param(item) for item in value)
    if isinstance(value, date):
        return cn_date(value)
    return str(value)
