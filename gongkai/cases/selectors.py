"""Reading cases: the only way views fetch them, so access rules hold everywhere.

Staff see the cases of the agencies they work for (:func:`gongkai.agencies.access.handling_agency_ids`),
applicants' personal data included; everybody else gets a 404, never a hint that a case exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext

from gongkai.agencies.access import handling_agency_ids
from gongkai.calendar import CalendarUnknownError, DueDate, WorkCalendar
from gongkai.calendar.text import Message, MonthDay, Param, Weekday
from gongkai.site.wording import long_date, series

from . import clock
from .models import Case, State


def cases_for(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Case]:
    return (Case.objects.filter(agency_id__in=handling_agency_ids(user))
            .select_related("agency", "handler", "correction", "extension", "fee_notice", "reasonable_period")
            .prefetch_related("consultations"))


def case_for(user: AbstractBaseUser | AnonymousUser, pk: int) -> Case:
    try:
        return cases_for(user).get(pk=pk)
    except Case.DoesNotExist:
        raise Http404(gettext("没有这件申请，或您无权查看")) from None


def search(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(Q(tracking_number__icontains=text) | Q(description__icontains=text)
                           | Q(applicant_name__icontains=text))


@dataclass(frozen=True)
class Clock:
    """What the inbox shows of a case's clock."""

    due: date | None
    provisional: bool
    days_left: int | None  # working days from today to the due date; negative when overdue

    @property
    def urgent(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= 3

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


def case_clock(case: Case, calendar: WorkCalendar, today: date | None = None) -> Clock:
    if case.state in (State.CLOSED, State.AWAITING_CONFIRMATION) or case.received_on is None:
        return Clock(None, False, None)
    due = clock.answer_due(case, calendar)
    if due.date is None:
        return Clock(None, due.provisional, None)
    today = today or timezone.localdate()
    try:
        left = calendar.workdays_between(today, due.date)
    except CalendarUnknownError:
        left = (due.date - today).days  # unknown year: calendar days, shown as provisional
    return Clock(due.date, due.provisional, left)


# -- the explanation of a due date ---------------------------------------------------------------


def derivation(due: DueDate) -> list[str]:
    """The lines explaining *due*, in the active language.

    In Chinese they are the calendar's own lines (dates as 2025年3月3日, exactly as the command line
    and the letters word them); in another language each line is its translated template filled with
    the parameters worded for that language (dates by :func:`~gongkai.site.wording.long_date`).
    """
    if (get_language() or "zh-hans").split("-")[0] == "zh":
        return due.lines()
    return [translated(step.message) for step in due.steps]


def translated(message: Message) -> str:
    """``gettext(message.template) % {parameters worded for the active language}``."""
    text = gettext(message.template)
    if not message.params:
        return text
    return text % {key: _worded(value) for key, value in message.params.items()}


def _worded(value: Param) -> str:
    if isinstance(value, Message):
        return translated(value)
    if isinstance(value, MonthDay):
        # Translators: a date after a full date of the same year, in the letters of Django's date filter
        # (n month 1-12, j day 1-31, F month name).
        return date_format(value.day, pgettext("date in a message, without the year", "n月j日"))
    if isinstance(value, Weekday):
        return date_format(value.day, "l")
    if isinstance(value, tuple):
        return series(_worded(item) for item in value)
    if isinstance(value, date):
        return long_date(value)
    return str(value)
