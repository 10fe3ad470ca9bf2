"""Working days (工作日) by the State Council's yearly holiday notices.

The 条例 counts every period in 工作日 (7, 15, 20, +20) without defining the word. In practice a
working day is a day worked under 《国务院办公厅关于XXXX年部分节假日安排的通知》: Monday–Friday
except the holidays, plus the Saturdays and Sundays designated 调休上班 (see
``shared/spec/regulation-deadlines.md`` §8).

Sources, in this order, for a date ``d``:

1. an imported :class:`~gongkai.calendar.schedule.YearSchedule` for ``d.year`` (``extra``). It
   **replaces** the ``chinesecalendar`` data for that whole year, so a corrected or newer notice
   can be imported for a year the package already knows;
2. a date listed explicitly by the schedule of the neighbouring year (a notice may cover
   31 December or 1 January of the year next to it); then
3. the ``chinesecalendar`` package, which covers the years 2004 to the year of its release.

A date in no known year is **never guessed**: :meth:`WorkCalendar.is_workday` raises
:class:`CalendarUnknownError`. Only the ``provisional_*`` methods fall back to Monday–Friday, and
they say so.

Counting convention (§8, "自收到申请次日起算"): ``add_workdays(start, n)`` is the n-th working
day *after* ``start``; the count starts on the next day even when ``start`` itself is a holiday
or a weekend day, and ``start`` never counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

import chinese_calendar
from chinese_calendar import Holiday

from .schedule import YearSchedule
from .text import HOLIDAY, gettext_noop

ONE_DAY = timedelta(days=1)
_NO_SCHEDULES: Mapping[int, YearSchedule] = MappingProxyType({})

# The package's own supported range, as its ``_validate_date`` computes it.
_CC_HOLIDAYS: Mapping[date, str] = chinese_calendar.holidays
_CC_WORKDAYS: Mapping[date, str] = chinese_calendar.workdays
CC_FIRST_YEAR = min(_CC_HOLIDAYS).year
CC_LAST_YEAR = max(_CC_HOLIDAYS).year
_CC_NAMES_ZH = {h.value: h.chinese for h in Holiday}

# The holiday names of ``chinesecalendar`` (``Holiday.chinese``), marked here so that the explanations
# can be translated: a name missing from this list is shown as it is.
HOLIDAY_NAMES = (
    HOLIDAY,
    gettext_noop("元旦"),
    gettext_noop("春节"),
    gettext_noop("清明"),
    gettext_noop("劳动节"),
    gettext_noop("端午"),
    gettext_noop("国庆节"),
    gettext_noop("中秋"),
    gettext_noop("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
)


class CalendarUnknownError(ValueError):
    """The holiday arrangement of *year* is not known, so working days there cannot be counted."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(f"{year}年的节假日安排尚未录入：请在国务院办公厅发布通知后用 gongkai calendar import 导入"
                         f" / the {year} holiday schedule is not known yet")


@dataclass(frozen=True)
class Day:
    """What the calendar says about one date.

    ``kind`` is ``"workday"`` (ordinary Monday–Friday), ``"makeup"`` (a Saturday/Sunday worked,
    调休上班), ``"holiday"`` (a day of a holiday span, weekend days in it included) or
    ``"weekend"`` (an ordinary Saturday/Sunday). ``provisional`` is true when the year is not
    known and the answer is the Monday–Friday guess.
    """

    date: date
    workday: bool
    kind: str
    name: str | None = None
    provisional: bool = False


class WorkCalendar:
    """Working days from ``chinesecalendar`` plus imported schedules (``extra``, keyed by year)."""

    def __init__(self, extra: Mapping[int, YearSchedule] = _NO_SCHEDULES, *,
                 builtin_until: int | None = None) -> None:
        """*extra*: imported schedules by year. *builtin_until*: use ``chinesecalendar`` only up to
        this year (tests pin it so that a newer package release does not change what is "unknown")."""
        for year, schedule in extra.items():
            if schedule.year != year:
                raise ValueError(f"extra[{year}] is the schedule of {schedule.year}")
        self.extra: Mapping[int, YearSchedule] = MappingProxyType(dict(extra))
        self.builtin_last_year = CC_LAST_YEAR if builtin_until is None else min(builtin_until, CC_LAST_YEAR)

    def _builtin(self, year: int) -> bool:
        return CC_FIRST_YEAR <= year <= self.builtin_last_year

    # -- one day -----------------------------------------------------------------------------

    def knows(self, year: int) -> bool:
        """Whether the holiday arrangement of *year* is known."""
        return year in self.extra or self._builtin(year)

    def known_years(self) -> list[int]:
        """Every year whose working days can be counted, ascending."""
        return sorted(set(range(CC_FIRST_YEAR, self.builtin_last_year + 1)) | set(self.extra))

    def day(self, d: date, *, provisional: bool = False) -> Day:
        """Describe *d*. Raises :class:`CalendarUnknownError` for an unknown year unless *provisional*."""
        schedule = self.extra.get(d.year)
        if schedule is None:
            for neighbour in (d.year - 1, d.year + 1):
                other = self.extra.get(neighbour)
                if other is not None and other.lists(d):
                    schedule = other
                    break
        if schedule is not None:
            if d in schedule.makeup_workdays:
                return Day(d, True, "makeup", schedule.name_of(d))
            if d in schedule.holidays:
                return Day(d, False, "holiday", schedule.name_of(d))
            if d.year == schedule.year:
                return _plain(d)
        if self._builtin(d.year):
            if d in _CC_WORKDAYS:
                return Day(d, True, "makeup", _zh(_CC_WORKDAYS[d]))
            if d in _CC_HOLIDAYS:
                return Day(d, False, "holiday", _zh(_CC_HOLIDAYS[d]))
            return _plain(d)
        if not provisional:
            raise CalendarUnknownError(d.year)
        plain = _plain(d)
        return Day(d, plain.workday, plain.kind, None, provisional=True)

    def is_workday(self, d: date) -> bool:
        """Whether *d* is a working day. Raises :class:`CalendarUnknownError` for an unknown year."""
        return self.day(d).workday

    # -- counting ----------------------------------------------------------------------------

    def add_workdays(self, start: date, n: int) -> date:
        """The *n*-th working day after *start* (counting from the next day; ``n == 0`` gives *start*).

        Raises :class:`CalendarUnknownError` when the count reaches an unknown year.
        """
        result, _ = self._add(start, n, provisional=False)
        return result

    def provisional_add_workdays(self, start: date, n: int) -> tuple[date, bool]:
        """Like :meth:`add_workdays`, counting Monday–Friday in unknown years.

        Returns ``(date, provisional)``; *provisional* is true when a day of an unknown year was
        counted or skipped on the Monday–Friday guess ("节假日安排未确认").
        """
        return self._add(start, n, provisional=True)

    def workdays_between(self, start: date, end: date) -> int:
        """Working days *d* with ``start < d <= end`` (negative when *end* is before *start*).

        So ``workdays_between(s, add_workdays(s, n)) == n``.
        """
        if end < start:
            return -self.workdays_between(end, start)
        return sum(1 for d in _days_after(start, end) if self.is_workday(d))

    def _add(self, start: date, n: int, *, provisional: bool) -> tuple[date, bool]:
        if n < 0:
            raise ValueError(f"n must be >= 0, not {n}")
        d, guessed = start, False
        while n:
            d += ONE_DAY
            info = self.day(d, provisional=provisional)
            guessed = guessed or info.provisional
            if info.workday:
                n -= 1
        return d, guessed


def _plain(d: date) -> Day:
    return Day(d, True, "workday") if d.weekday() < 5 else Day(d, False, "weekend")


def _zh(english: str) -> str:
    return _CC_NAMES_ZH.get(english, english)


def _days_after(start: date, end: date) -> Iterator[date]:
    d = start + ONE_DAY
    while d <= end:
        yield d
        d += ONE_DAY
