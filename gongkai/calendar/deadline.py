"""The answer clock of a request (依申请公开), computed from its events.

The due date is never the only stored truth: a case stores its events (receipt, 补正, letters
sent and replies received, fee notice and payment, extension, 第三十五条 period) and this module
derives the date and an explanation that cites the articles of the 条例 (2019).

Rules (``shared/spec/regulation-deadlines.md`` §3, §8):

* **Start** — the receipt date is decided by 第三十一条 (the caller gives it). The period is
  "自收到申请之日起20个工作日内" (第三十三条第二款) and is counted from the next day: the due date is
  the 20th working day after receipt (see :mod:`gongkai.calendar.workdays`).
* **补正 restarts** (第三十条) — the notice asking for a correction is due 7 working days after
  receipt (:func:`correction_notice_due`); the answer period restarts from the day the corrected
  request is received: days used before are discarded. While no correction has been received the
  due date is unknown (``DueDate.date is None``).
* **Pauses** (第三十三条第三款: "征求第三方和其他机关意见所需时间不计算在前款规定的期限内") — a letter to a
  third party (第三十二条) or to another agency (第三十四条), and, under the fee rules
  (国办函〔2020〕109号; that the fee time is not counted is recalled practice, not verified text),
  a fee notice. **Convention:** a pause sent on day S and ended on day E removes from the count
  every working day d with ``S < d <= E``; the sending day itself still counts, and counting
  resumes on the first working day after E. E is the reply (or payment) date, but never later
  than the end of the reply period: 15 working days after S for a consultation
  (:func:`consultation_reply_due`), 20 working days after S for a fee notice
  (:func:`fee_payment_due`). Without a recorded reply E is that end. Both periods run in law
  from the addressee's receipt of the letter; counting them from S is the conservative reading
  (the due date can only come earlier). Overlapping pauses remove a day once. A pause sent on or
  after the due date does not move it: the period was used up by then.
* **Extension** (第三十三条第二款) — at most one, of at most 20 working days, approved by the head of
  the disclosure work body and notified to the applicant. It lengthens the count (20 + k).
* **Replacement** (第三十五条) — for requests clearly beyond a reasonable volume or frequency the
  agency may set a reasonable later date and notify it; that date replaces the computed one
  (which is still shown).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .text import HOLIDAY, Message, MonthDay, Param, Weekday, cn_date, date_after, gettext_noop
from .workdays import ONE_DAY, Day, WorkCalendar

ANSWER_DAYS = 20  # 第三十三条第二款
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款
CORRECTION_NOTICE_DAYS = 7  # 第三十条
CONSULTATION_DAYS = 15  # 第三十二条、第三十四条
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号
PROACTIVE_DAYS = 20  # 第二十六条

PROVISIONAL_MARK = gettext_noop("（节假日安排未确认）")

_DEFAULT_CALENDAR = WorkCalendar()
_Date = date  # DueDate has a field named "date"


class DeadlineError(ValueError):
    """Events that cannot describe a lawful clock (e.g. a second extension)."""


class PauseKind(StrEnum):
    THIRD_PARTY = "third_party"  # 第三十二条
    AGENCY = "agency"  # 第三十四条
    FEE = "fee"  # 国办函〔2020〕109号


@dataclass(frozen=True)
class Correction:
    """补正 (第三十条): the notice sent on *requested_on*; the corrected request received on *received_on*."""

    requested_on: date
    received_on: date | None = None


@dataclass(frozen=True)
class Pause:
    """A consultation letter or a fee notice sent on *sent_on*; reply received / fee paid on *ended_on*."""

    kind: PauseKind | str
    sent_on: date
    ended_on: date | None = None


@dataclass(frozen=True)
class Extension:
    """延长答复期限 (第三十三条第二款): *days* working days, approved and notified on *approved_on*."""

    days: int = MAX_EXTENSION_DAYS
    approved_on: date | None = None


@dataclass(frozen=True)
class ReasonablePeriod:
    """第三十五条: the reasonable later date *due_on* set by the agency and notified on *notified_on*."""

    due_on: date
    notified_on: date | None = None


@dataclass(frozen=True)
class Step:
    """One line of the derivation. ``kind``: receipt, correction, period, extension, holiday, makeup,
    pause, unknown, warning, replaced, due.

    The line is ``template`` (marked for translation) filled with ``params`` (dates kept as dates; see
    :mod:`gongkai.calendar.text`); ``text`` is the Chinese line, ``message`` the pair for a layer that
    translates it.
    """

    kind: str
    template: str
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)
    on: date | None = None

    @property
    def message(self) -> Message:
        return Message(self.template, self.params)

    @property
    def text(self) -> str:
        return self.message.text


def _step(kind: str, template: str, on: date | None = None, **params: Param) -> Step:
    return Step(kind, template, params, on)


def _marked(day: date | MonthDay, provisional: bool) -> Param:
    """*day*, followed by the note that a year's holidays were guessed when *provisional*."""
    return Message(gettext_noop("%(day)s（节假日安排未确认）"), {"day": day}) if provisional else day


@dataclass(frozen=True)
class DueDate:
    """A computed due date with its derivation.

    ``date`` is ``None`` while a requested 补正 has not been received. ``provisional`` is true
    when a day of a year without a known holiday schedule was counted Monday–Friday.
    ``statutory`` is the date by 第三十三条 (equal to ``date`` unless 第三十五条 replaced it);
    ``period`` the working days counted (20, or 20 + extension); ``paused`` the working days not
    counted because of pauses.
    """

    date: date | None
    provisional: bool
    steps: tuple[Step, ...]
    statutory: _Date | None = None
    clock_start: _Date | None = None
    period: int = 0
    paused: int = 0

    def explain(self) -> str:
        """The derivation, one Chinese line per step."""
        return "\n".join(step.text for step in self.steps)

    def lines(self) -> list[str]:
        return [step.text for step in self.steps]


# -- simple periods ----------------------------------------------------------------------------


def correction_notice_due(receipt: date, *, calendar: WorkCalendar | None = None) -> date:
    """Last day to ask for a 补正: 7 working days after receipt (第三十条)."""
    return (calendar or _DEFAULT_CALENDAR).add_workdays(receipt, CORRECTION_NOTICE_DAYS)


def consultation_reply_due(sent_on: date, *, calendar: WorkCalendar | None = None) -> date:
    """End of a third party's or another agency's reply period: 15 working days (第三十二条、第三十四条).

    The law counts from the addressee's receipt of the letter; counting from *sent_on* is the
    conservative reading.
    """
    return (calendar or _DEFAULT_CALENDAR).add_workdays(sent_on, CONSULTATION_DAYS)


def fee_payment_due(notice_received_on: date, *, calendar: WorkCalendar | None = None) -> date:
    """Last day to pay the 信息处理费: 20 working days from the day after receipt of the notice
    (国办函〔2020〕109号); unpaid by then the request is deemed abandoned."""
    return (calendar or _DEFAULT_CALENDAR).add_workdays(notice_received_on, FEE_PAYMENT_DAYS)


def proactive_publication_due(formed_on: date, *, calendar: WorkCalendar | None = None) -> date:
    """Last day to publish proactively disclosed information: 20 working days after it was formed
    or changed (第二十六条), unless another law sets another period."""
    return (calendar or _DEFAULT_CALENDAR).add_workdays(formed_on, PROACTIVE_DAYS)


def workday_period(start: date, n: int, *, calendar: WorkCalendar | None = None,
                   provisional: bool = False) -> DueDate:
    """``add_workdays`` with its derivation (used by ``gongkai calendar add-workdays --explain``)."""
    cal = calendar or _DEFAULT_CALENDAR
    count = _count(cal, start, n, [], provisional)
    steps = [_step("period", gettext_noop("自%(day)s的次日起算%(n)s个工作日"), start, day=start, n=n)]
    steps += _calendar_steps(count.days)
    steps.append(_due_step(count.due, count.provisional, gettext_noop("到期日：%(day)s（%(weekday)s）"),
                           gettext_noop("到期日：%(day)s（%(weekday)s）（节假日安排未确认）")))
    return DueDate(count.due, count.provisional, tuple(steps), statutory=count.due, clock_start=start, period=n)


# -- the answer clock --------------------------------------------------------------------------


def answer_due(
    receipt: date,
    *,
    correction: Correction | None = None,
    pauses: Sequence[Pause] = (),
    extensions: Sequence[Extension] = (),
    reasonable_period: ReasonablePeriod | None = None,
    calendar: WorkCalendar | None = None,
    provisional: bool = False,
) -> DueDate:
    """The answer due date of a request from its events (第三十条至第三十五条).

    *receipt* is the date of receipt under 第三十一条. Without *provisional*, a count reaching a
    year whose holiday schedule is unknown raises
    :class:`~gongkai.calendar.workdays.CalendarUnknownError`; with it, those days are counted
    Monday–Friday and the result is flagged. Raises :class:`DeadlineError` for impossible events.
    """
    cal = calendar or _DEFAULT_CALENDAR
    if reasonable_period is not None:
        provisional = True  # the statutory date is only shown; the 第三十五条 date is fixed
    _check(receipt, correction, pauses, extensions, reasonable_period)
    steps = [_step("receipt", gettext_noop("%(day)s 收到申请（第三十一条），次日起算"), receipt, day=receipt)]
    clock_start = receipt
    if correction is not None:
        limit, guessed = _add(cal, receipt, CORRECTION_NOTICE_DAYS, provisional)
        steps.append(_step("correction", gettext_noop("%(day)s 一次性告知申请人补正（第三十条，应在收到申请之日起"
                                                      "7个工作日内，即不晚于%(limit)s）"),
                           correction.requested_on, day=correction.requested_on, limit=_marked(limit, guessed)))
        if correction.requested_on > limit:
            steps.append(_step("warning", gettext_noop("注意：补正告知晚于第三十条规定的期限（不晚于%(limit)s）"),
                               limit=limit))
        if correction.received_on is None:
            steps.append(_step("correction",
                               gettext_noop("尚未收到补正：答复期限自收到补正之日起重新计算（第三十条）")))
            steps.append(_step("due", gettext_noop("答复期限：待收到补正后确定")))
            return DueDate(None, guessed, tuple(steps))
        clock_start = correction.received_on
        steps.append(_step("correction", gettext_noop("%(day)s 收到补正后的申请，答复期限自该日重新计算，"
                                                      "次日起算（第三十条）"), clock_start, day=clock_start))
    steps.append(_step("period", gettext_noop("依第三十三条第二款，应在%(days)s个工作日内答复"), days=ANSWER_DAYS))

    windows: list[tuple[Pause, date, date, Message]] = []
    for pause in sorted(pauses, key=lambda p: (p.sent_on, p.ended_on or p.sent_on)):
        end, note = _pause_end(cal, pause, provisional)
        windows.append((pause, pause.sent_on, end, note))
    intervals = [(s, e) for _, s, e, _ in windows]

    period = ANSWER_DAYS
    dated_extension: list[Step] = []  # a dated extension goes among the dated lines
    if extensions:
        ext = extensions[0]
        period += ext.days
        if ext.approved_on is None:  # undated: right after the period it lengthens
            steps.append(_step("extension", gettext_noop(
                "经政府信息公开工作机构负责人同意并告知申请人，延长%(days)s个工作日（第三十三条第二款），"
                "共计%(total)s个工作日"), days=ext.days, total=period))
        else:
            dated_extension.append(_step("extension", gettext_noop(
                "%(day)s 经政府信息公开工作机构负责人同意并告知申请人，延长%(days)s个工作日（第三十三条第二款），"
                "共计%(total)s个工作日"), ext.approved_on, day=ext.approved_on, days=ext.days, total=period))
            base = _count(cal, clock_start, ANSWER_DAYS, intervals, provisional).due
            if ext.approved_on > base:
                dated_extension.append(_step("warning", gettext_noop(
                    "注意：延长决定晚于原答复期限（%(due)s），应在原期限内决定并告知申请人（第三十三条第二款）"),
                    ext.approved_on, due=base))

    count = _count(cal, clock_start, period, intervals, provisional)
    dated = _calendar_steps(count.days) + dated_extension
    paused_total = 0
    removed: set[date] = set()
    for pause, s, e, note in windows:
        days = {day.date for day, _ in count.days if day.workday and s < day.date <= e} - removed
        removed |= days
        paused_total += len(days)
        dated.append(_pause_step(pause, e, note, len(days)))
    dated.sort(key=lambda step: step.on or clock_start)
    steps += dated

    due = count.due
    result_provisional = count.provisional
    if reasonable_period is not None:
        rp = reasonable_period
        steps.append(_step("replaced", gettext_noop("依第三十三条计算的答复期限为%(due)s"),
                           due=_marked(due, count.provisional)))
        if rp.notified_on is None:
            steps.append(_step("replaced", gettext_noop("依第三十五条确定延迟答复的合理期限至%(due)s，并告知申请人"),
                               due=rp.due_on))
        else:
            steps.append(_step("replaced", gettext_noop(
                "%(day)s 依第三十五条确定延迟答复的合理期限至%(due)s，并告知申请人"), rp.notified_on,
                day=rp.notified_on, due=rp.due_on))
        if rp.notified_on is not None and rp.notified_on > due:
            steps.append(_step("warning", gettext_noop("注意：合理期限的告知晚于第三十三条规定的答复期限（%(due)s）"),
                               due=due))
        statutory, due, result_provisional = due, rp.due_on, False
    else:
        statutory = due
    steps.append(_due_step(due, result_provisional, gettext_noop("答复期限：%(day)s（%(weekday)s）"),
                           gettext_noop("答复期限：%(day)s（%(weekday)s）（节假日安排未确认）")))
    return DueDate(due, result_provisional, tuple(steps), statutory=statutory, clock_start=clock_start,
                   period=period, paused=paused_total)


# -- internals ---------------------------------------------------------------------------------


@dataclass
class _Count:
    due: date
    provisional: bool
    days: list[tuple[Day, bool]]  # every day examined, with "inside a pause"


def _add(cal: WorkCalendar, start: date, n: int, provisional: bool) -> tuple[date, bool]:
    if provisional:
        return cal.provisional_add_workdays(start, n)
    return cal.add_workdays(start, n), False


def _count(cal: WorkCalendar, start: date, n: int, pauses: Sequence[tuple[date, date]],
           provisional: bool) -> _Count:
    if n < 0:
        raise ValueError(f"n must be >= 0, not {n}")
    d, left, guessed = start, n, False
    days: list[tuple[Day, bool]] = []
    while left:
        d += ONE_DAY
        info = cal.day(d, provisional=provisional)
        paused = any(s < d <= e for s, e in pauses)
        guessed = guessed or info.provisional
        days.append((info, paused))
        if info.workday and not paused:
            left -= 1
    return _Count(d, guessed, days)


def _check(receipt: date, correction: Correction | None, pauses: Sequence[Pause],
           extensions: Sequence[Extension], rp: ReasonablePeriod | None) -> None:
    if correction is not None:
        if correction.requested_on < receipt:
            raise DeadlineError("补正告知早于收到申请之日 / the 补正 notice predates the receipt")
        if correction.received_on is not None and correction.received_on < correction.requested_on:
            raise DeadlineError("收到补正早于补正告知 / the correction predates the 补正 notice")
    for pause in pauses:
        try:
            PauseKind(pause.kind)
        except ValueError:
            raise DeadlineError(f"未知的暂停类型 {pause.kind!r} / unknown pause kind {pause.kind!r}") from None
        if pause.sent_on < receipt:
            raise DeadlineError(f"{cn_date(pause.sent_on)}早于收到申请之日 / a pause starts before the receipt")
        if pause.ended_on is not None and pause.ended_on < pause.sent_on:
            raise DeadlineError(f"{cn_date(pause.ended_on)}早于发出之日{cn_date(pause.sent_on)}"
                                f" / a pause ends before it starts")
    if len(extensions) > 1:
        raise DeadlineError("答复期限只能延长一次，最长不超过20个工作日（第三十三条第二款）"
                            " / the answer period can be extended once only, by at most 20 working days")
    for ext in extensions:
        if not 1 <= ext.days <= MAX_EXTENSION_DAYS:
            raise DeadlineError(f"延长的期限最长不得超过20个工作日（第三十三条第二款），不能延长{ext.days}个工作日"
                                f" / an extension is 1 to 20 working days, not {ext.days}")
    if rp is not None and rp.notified_on is not None and rp.due_on < rp.notified_on:
        raise DeadlineError("第三十五条的合理期限早于告知之日 / the reasonable period ends before it is notified")


def _pause_end(cal: WorkCalendar, pause: Pause, provisional: bool) -> tuple[date, Message]:
    """The last day not counted, and how it was decided (for the explanation)."""
    days = FEE_PAYMENT_DAYS if pause.kind == PauseKind.FEE else CONSULTATION_DAYS
    limit, guessed = _add(cal, pause.sent_on, days, provisional)
    when = {"limit": _marked(date_after(limit, pause.sent_on), guessed)}
    ended = {"day": date_after(pause.ended_on, pause.sent_on)} if pause.ended_on else {}
    if pause.kind == PauseKind.FEE:
        if pause.ended_on is None:
            return limit, Message(gettext_noop("未记录缴费，按缴费期限届满（%(limit)s）计"), when)
        if pause.ended_on > limit:
            return limit, Message(gettext_noop("至%(day)s 缴纳费用，已超过20个工作日缴费期限，"
                                               "按%(limit)s届满计"),
                                  {**ended, **when})
        return pause.ended_on, Message(gettext_noop("至%(day)s 缴纳费用"), ended)
    if pause.ended_on is None:
        return limit, Message(gettext_noop("未记录收到意见，按15个工作日意见期届满（%(limit)s）计"), when)
    if pause.ended_on > limit:
        return limit, Message(gettext_noop("至%(day)s 收到意见，已超过15个工作日意见期，按%(limit)s届满计"),
                              {**ended, **when})
    return pause.ended_on, Message(gettext_noop("至%(day)s 收到意见"), ended)


_PAUSE_WORDING = {
    PauseKind.THIRD_PARTY: (gettext_noop("向第三方发出征求意见函"), gettext_noop("第三十二条、第三十三条第三款")),
    PauseKind.AGENCY: (gettext_noop("向其他行政机关发出征求意见函"), gettext_noop("第三十四条、第三十三条第三款")),
    PauseKind.FEE: (gettext_noop("发出收费通知"), gettext_noop("国办函〔2020〕109号")),
}


def _pause_step(pause: Pause, end: date, note: Message, n: int) -> Step:
    what, basis = _PAUSE_WORDING[PauseKind(pause.kind)]
    effect = (Message(gettext_noop("期间%(n)s个工作日不计入"), {"n": n}) if n
              else Message(gettext_noop("不影响答复期限")))
    if pause.kind == PauseKind.FEE and pause.ended_on is None:
        effect = Message(gettext_noop("%(effect)s；逾期未缴纳的视为放弃申请"), {"effect": effect})
    return _step("pause", gettext_noop("%(day)s %(what)s，%(note)s，%(effect)s（%(basis)s）"), pause.sent_on,
                 day=pause.sent_on, what=Message(what), note=note, effect=effect, basis=Message(basis))


def _calendar_steps(days: list[tuple[Day, bool]]) -> list[Step]:
    """Holiday spans skipped, make-up days counted, and the first guessed day of an unknown year."""
    steps: list[Step] = []
    run: list[Day] = []

    def close() -> None:
        if run:
            first, last = run[0].date, run[-1].date
            names = tuple(Message(name) for name in dict.fromkeys(day.name or HOLIDAY for day in run))
            if first == last:
                steps.append(_step("holiday", gettext_noop("%(day)s %(names)s放假，不计"), first,
                                   day=first, names=names))
            else:
                steps.append(_step("holiday", gettext_noop("%(first)s至%(last)s %(names)s放假，不计"), first,
                                   first=first, last=date_after(last, first), names=names))
            run.clear()

    guessed_years: set[int] = set()
    for day, paused in days:
        if day.kind == "holiday":
            run.append(day)
            continue
        close()
        if day.kind == "makeup" and not paused:
            steps.append(_step("makeup", gettext_noop("%(day)s（%(weekday)s）调休上班，计入"), day.date,
                               day=day.date, weekday=Weekday(day.date)))
        if day.provisional and day.date.year not in guessed_years:
            guessed_years.add(day.date.year)
            steps.append(_step("unknown", gettext_noop("%(year)s年的节假日安排尚未录入，自%(day)s起暂按"
                                                       "星期一至星期五计算（节假日安排未确认）"), day.date,
                               year=day.date.year, day=day.date))
    close()
    return steps


def _due_step(due: date, provisional: bool, template: str, provisional_template: str) -> Step:
    """The last line; the templates have the placeholders day and weekday."""
    return _step("due", provisional_template if provisional else template, due, day=due, weekday=Weekday(due))
