"""A case's due dates, from its recorded events and the working-day calendar.

The dates are never stored: they are derived from :mod:`gongkai.calendar` each time, so a
holiday schedule imported later (``gongkai calendar import``) corrects every open case at once.
The calendar is ``chinesecalendar`` plus the schedules administrators imported into the
database (:class:`~gongkai.cases.models.CalendarYear`) — shared by every app server.
"""

from __future__ import annotations

from datetime import date

from gongkai import calendar as cal
from gongkai.calendar import CalendarUnknownError, DueDate, WorkCalendar, parse_schedule
from gongkai.calendar.deadline import CORRECTION_NOTICE_DAYS, FEE_PAYMENT_DAYS

from .models import CalendarYear, Case, Consultation


def work_calendar() -> WorkCalendar:
    """chinesecalendar plus every schedule imported into the database."""
    extra = {row.year: parse_schedule(row.source, f"{row.year}年节假日安排") for row in CalendarYear.objects.all()}
    return WorkCalendar(extra)


def clock_start(case: Case) -> date | None:
    """The day the answer period counts from: receipt, or the corrected request (第三十条)."""
    correction = getattr(case, "correction", None)
    if correction is not None and correction.received_on is not None:
        return correction.received_on
    return case.received_on


_PAUSE_KINDS: dict[str, cal.PauseKind] = {Consultation.Kind.THIRD_PARTY: cal.PauseKind.THIRD_PARTY,
                                            Consultation.Kind.OTHER_AGENCY: cal.PauseKind.AGENCY}


def answer_due(case: Case, calendar: WorkCalendar | None = None) -> DueDate:
    """The answer due date with its derivation; provisional (Mon–Fri) where a year is not known yet."""
    if case.received_on is None:
        raise ValueError("the day of receipt is not confirmed yet (第三十一条): no clock runs")
    work = calendar or work_calendar()
    correction = getattr(case, "correction", None)
    pauses = [cal.Pause(_PAUSE_KINDS[c.kind], c.sent_on, c.replied_on) for c in case.consultations.all()]
    fee = getattr(case, "fee_notice", None)
    if fee is not None:
        pauses.append(cal.Pause(cal.PauseKind.FEE, fee.sent_on, fee.paid_on))
    extension = getattr(case, "extension", None)
    period = getattr(case, "reasonable_period", None)
    kwargs = {
        "reasonable_period": cal.ReasonablePeriod(period.due_on, period.notified_on) if period else None,
        "correction": cal.Correction(correction.requested_on, correction.received_on) if correction else None,
        "pauses": pauses,
        "extensions": [cal.Extension(extension.working_days, extension.approved_on)] if extension else [],
        "calendar": work,
    }
    try:
        return cal.answer_due(case.received_on, **kwargs)  # type: ignore[arg-type]
    except CalendarUnknownError:
        return cal.answer_due(case.received_on, provisional=True, **kwargs)  # type: ignore[arg-type]


def _period(start: date, working_days: int) -> tuple[date, bool]:
    """The end of a simple period, and whether it is provisional (a year's holidays not known yet)."""
    return work_calendar().provisional_add_workdays(start, working_days)


def correction_notice_due(received_on: date) -> tuple[date, bool]:
    """补正 must be asked for within 7 working days of receipt (第三十条)."""
    return _period(received_on, CORRECTION_NOTICE_DAYS)


def fee_payment_due(sent_on: date) -> tuple[date, bool]:
    """The fee is due 20 working days after the notice (国办函〔2020〕109号)."""
    return _period(sent_on, FEE_PAYMENT_DAYS)
