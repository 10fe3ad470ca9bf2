"""Working days and due dates under the 《政府信息公开条例》(2019). Pure Python: no Django here.

* :mod:`.workdays` — :class:`WorkCalendar` (``chinesecalendar`` + imported schedules);
* :mod:`.schedule` — :class:`YearSchedule` and the file format an administrator types;
* :mod:`.deadline` — the answer clock (:func:`answer_due`) and the simple periods;
"""

from .deadline import (
    ANSWER_DAYS,
    MAX_EXTENSION_DAYS,
    PROVISIONAL_MARK,
    Correction,
    DeadlineError,
    DueDate,
    Extension,
    Pause,
    PauseKind,
    ReasonablePeriod,
    Step,
    answer_due,
    consultation_reply_due,
    correction_notice_due,
    fee_payment_due,
    proactive_publication_due,
    workday_period,
)
from .schedule import ScheduleError, YearSchedule, parse_schedule
from .workdays import CC_FIRST_YEAR, CC_LAST_YEAR, CalendarUnknownError, Day, WorkCalendar

__all__ = [
    "ANSWER_DAYS",
    "CC_FIRST_YEAR",
    "CC_LAST_YEAR",
    "MAX_EXTENSION_DAYS",
    "PROVISIONAL_MARK",
    "CalendarUnknownError",
    "Correction",
    "Day",
    "DeadlineError",
    "DueDate",
    "Extension",
    "Pause",
    "PauseKind",
    "ReasonablePeriod",
    "ScheduleError",
    "Step",
    "WorkCalendar",
    "YearSchedule",
    "answer_due",
    "consultation_reply_due",
    "correction_notice_due",
    "fee_payment_due",
    "parse_schedule",
    "proactive_publication_due",
    "workday_period",
]
