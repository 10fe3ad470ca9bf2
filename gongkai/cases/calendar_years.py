"""Holiday schedules for years ``chinesecalendar`` does not know yet, kept in the database.

The State Council publishes next year's schedule around December; requests received then already
have due dates in January.  An administrator imports the schedule once (``gongkai calendar import``)
and every app server sees it; the import lists the open cases whose due date it moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from gongkai.calendar import ScheduleError, WorkCalendar, YearSchedule, parse_schedule

from . import clock
from .models import CalendarYear, Case, State


@dataclass(frozen=True)
class DueChange:
    case: Case
    before: date | None
    before_provisional: bool
    after: date | None


@dataclass(frozen=True)
class ImportResult:
    schedule: YearSchedule
    replaced: bool
    changes: list[DueChange]


def _open_cases() -> list[Case]:
    return list(Case.objects.exclude(state__in=[State.CLOSED, State.AWAITING_CONFIRMATION])
                .select_related("agency", "correction", "extension", "fee_notice")
                .prefetch_related("consultations").order_by("agency__code", "tracking_number"))


def import_schedule(text: str, name: str, *, replace: bool = False, actor: User | None = None) -> ImportResult:
    """Check ``text`` (:func:`gongkai.calendar.parse_schedule`), store it, and list the moved due dates.

    Raises :class:`ScheduleError` for a malformed schedule, or when the year was imported already
    and ``replace`` is not given; nothing is stored then.
    """
    schedule = parse_schedule(text, name)
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=schedule.year).first()
        if existing is not None and not replace:
            raise ScheduleError(name, "", f"{schedule.year}年的安排已经导入过；如要替换，请加 --replace",
                                f"{schedule.year} was imported already; use --replace to replace it")
        cases = _open_cases()
        old_calendar = clock.work_calendar()
        before = {c.pk: clock.answer_due(c, old_calendar) for c in cases}
        if existing is not None:
            existing.source, existing.imported_by = text, actor
            existing.save()
        else:
            CalendarYear.objects.create(year=schedule.year, source=text, imported_by=actor)
        new_calendar = clock.work_calendar()
        changes = []
        for case in cases:
            after = clock.answer_due(case, new_calendar)
            old = before[case.pk]
            if (old.date, old.provisional) != (after.date, after.provisional):
                changes.append(DueChange(case, old.date, old.provisional, after.date))
    return ImportResult(schedule, existing is not None, changes)


def database_calendar() -> WorkCalendar:
    return clock.work_calendar()
