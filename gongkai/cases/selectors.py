"""Reading cases: the only way views fetch them, so access rules hold everywhere.

Staff see the cases of the agencies they work for (:func:`gongkai.agencies.access.handling_agency_ids`),
applicants' personal data included; everybody else gets a 404, never a hint that a case exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, pgettext, pgettext_lazy

from gongkai.agencies.access import handling_agency_ids
from gongkai.calendar import CalendarUnknownError, DueDate, WorkCalendar
from gongkai.calendar.text import Message, MonthDay, Param, Weekday
from gongkai.site.wording import long_date, series

from . import clock
from .models import Case, Channel, Consultation, State
from .outcomes import OUTCOME_KEYS
from .outcomes import label as outcome_label


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


# -- the case's history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryLine:
    """One event of a case as the case page shows it: names instead of codes."""

    at: datetime
    actor: object | None
    action: str
    before: str  # the state before, named ("" for the first event)
    after: str
    details: list[str]  # "what: value" of what the event recorded


def history(case: Case) -> list[HistoryLine]:
    """The case's events, oldest first, with actions and states named in the active language."""
    from .workflow import action_label

    def state(code: str) -> str:
        return str(State(code).label) if code in State.values else code

    lines = []
    for e in case.events.select_related("actor"):
        # in the order of _DETAIL_NAMES, not as stored: PostgreSQL's jsonb keeps its own key order
        recorded = sorted((e.data or {}).items(), key=lambda kv: (_DETAIL_ORDER.get(kv[0], len(_DETAIL_ORDER)), kv[0]))
        details = [gettext("%(what)s：%(value)s") % {"what": _DETAIL_NAMES.get(key, key), "value": _detail(key, value)}
                   for key, value in recorded]
        lines.append(HistoryLine(e.at, e.actor, action_label(e.action), state(e.state_before) if e.state_before else "",
                                 state(e.state_after), details))
    return lines


# What the workflow records with each event (CaseEvent.data), named for the page.
_DETAIL_NAMES: dict[str, Promise] = {
    "channel": pgettext_lazy("case event detail", "提交方式"),
    "submitted_on": pgettext_lazy("case event detail", "提交日期"),
    "received_on": pgettext_lazy("case event detail", "收到日期"),
    "possible_duplicate_of": pgettext_lazy("case event detail", "可能重复的申请"),
    "outcome": pgettext_lazy("case event detail", "办理结果"),
    "decided_on": pgettext_lazy("case event detail", "答复日期"),
    "requested_on": pgettext_lazy("case event detail", "告知日期"),
    "deadline": pgettext_lazy("case event detail", "补正期限"),
    "late": pgettext_lazy("case event detail", "超过期限"),
    "due": pgettext_lazy("case event detail", "答复期限"),
    "on": pgettext_lazy("case event detail", "日期"),
    "kind": pgettext_lazy("case event detail", "征求对象类型"),
    "party": pgettext_lazy("case event detail", "征求对象"),
    "sent_on": pgettext_lazy("case event detail", "发出日期"),
    "consultation": pgettext_lazy("case event detail", "征求意见编号"),
    "replied_on": pgettext_lazy("case event detail", "回复日期"),
    "working_days": pgettext_lazy("case event detail", "延长工作日"),
    "approved_on": pgettext_lazy("case event detail", "批准日期"),
    "due_on": pgettext_lazy("case event detail", "答复期限"),
    "notified_on": pgettext_lazy("case event detail", "告知日期"),
    "amount_yuan": pgettext_lazy("case event detail", "金额（元）"),
    "paid_on": pgettext_lazy("case event detail", "缴费日期"),
    "handler": pgettext_lazy("case event detail", "承办人编号"),
    "name": pgettext_lazy("case event detail", "文件名"),
    "size": pgettext_lazy("case event detail", "大小（字节）"),
}

_DETAIL_ORDER = {key: n for n, key in enumerate(_DETAIL_NAMES)}


def _detail(key: str, value: object) -> str:
    """A recorded value as text: codes of a choice by their names, yes/no for a flag."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if key == "outcome" and value in OUTCOME_KEYS:
        return str(outcome_label(str(value)))
    if key == "channel" and value in Channel.values:
        return str(Channel(value).label)
    if key == "kind" and value in Consultation.Kind.values:
        return str(Consultation.Kind(value).label)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
