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
from django.utils.translation import gettext

from gongkai.agencies.access import handling_agency_ids
from gongkai.calendar import CalendarUnknownError, WorkCalendar

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
