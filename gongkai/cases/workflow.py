"""The request workflow as an explicit state machine: the only way a case changes.

Each action checks the actor's role in the case's agency and the case's state, refuses what the
regulation does not allow with a message saying why and what to do instead, changes the case in
one transaction (the case row locked), and appends a :class:`CaseEvent` (who, when, before,
after).  Views and commands call these functions; nothing else writes a case.

Messages are whole translatable sentences with named placeholders (Chinese is the source, English
in the catalogue); the names of actions, dates and roles put into them are translated too, and
dates inside them follow a translatable date format (2025年03月01日, in English 1 March 2025).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.site.wording import joined, long_date, series

from . import clock
from .models import (
    CONFIRMED_CHANNELS,
    Appeal,
    Attachment,
    Case,
    CaseEvent,
    Channel,
    Consultation,
    Correction,
    Extension,
    FeeNotice,
    ReasonablePeriod,
    State,
    TrackingCounter,
)
from .outcomes import DECISION_OUTCOMES, OUTCOME_KEYS, label

CASE_WORKERS = (Role.REGISTRAR, Role.HANDLER, Role.APPROVER, Role.ADMINISTRATOR)
HANDLERS = (Role.HANDLER, Role.APPROVER, Role.ADMINISTRATOR)


class WorkflowError(Exception):
    """An action the rules do not allow now; the message says why and what to do."""


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("confirm_receipt", (State.AWAITING_CONFIRMATION,), State.IN_PROGRESS),
    Transition("answer_on_the_spot", (State.IN_PROGRESS,), State.CLOSED),
    Transition("request_correction", (State.IN_PROGRESS,), State.AWAITING_CORRECTION),
    Transition("receive_correction", (State.AWAITING_CORRECTION,), State.IN_PROGRESS),
    Transition("correction_lapsed", (State.AWAITING_CORRECTION,), State.CLOSED),
    Transition("start_consultation", (State.IN_PROGRESS, State.CONSULTING), State.CONSULTING),
    Transition("consultation_reply", (State.CONSULTING,), None),
    Transition("extend", (State.IN_PROGRESS, State.CONSULTING), None),
    Transition("set_reasonable_period", (State.IN_PROGRESS, State.CONSULTING), None),
    Transition("send_fee_notice", (State.IN_PROGRESS,), State.AWAITING_FEE),
    Transition("fee_paid", (State.AWAITING_FEE,), State.IN_PROGRESS),
    Transition("fee_lapsed", (State.AWAITING_FEE,), State.CLOSED),
    Transition("decide", (State.IN_PROGRESS,), State.CLOSED),
    Transition("assign", tuple(s for s in State.values if s != State.CLOSED), None),
    Transition("attach", tuple(State.values), None),
)}

# The name of each action: a button, a heading, and in messages "cannot …" (English: "Confirm receipt").
_ACTION_LABELS: dict[str, Promise] = {
    "register": pgettext_lazy("request action", "登记"),
    "confirm_receipt": pgettext_lazy("request action", "确认收到"),
    "answer_on_the_spot": pgettext_lazy("request action", "当场答复"),
    "request_correction": pgettext_lazy("request action", "告知补正"),
    "receive_correction": pgettext_lazy("request action", "收到补正"),
    "correction_lapsed": pgettext_lazy("request action", "逾期未补正"),
    "start_consultation": pgettext_lazy("request action", "征求意见"),
    "consultation_reply": pgettext_lazy("request action", "收到意见"),
    "extend": pgettext_lazy("request action", "延期答复"),
    "send_fee_notice": pgettext_lazy("request action", "发出收费通知"),
    "fee_paid": pgettext_lazy("request action", "缴费"),
    "fee_lapsed": pgettext_lazy("request action", "逾期未缴费"),
    "set_reasonable_period": pgettext_lazy("request action", "确定延迟答复的合理期限"),
    "decide": pgettext_lazy("request action", "答复"),
    "assign": pgettext_lazy("request action", "指定承办人"),
    "attach": pgettext_lazy("request action", "添加附件"),
}

# What a role allows, as the object of "cannot …" in the missing-role message: in Chinese the action's
# name, in English a verb phrase ("confirm receipt of requests").
_ABILITIES: dict[str, Promise] = {
    "register": pgettext_lazy("what a role allows on a request", "登记申请"),
    "confirm_receipt": pgettext_lazy("what a role allows on a request", "确认收到"),
    "answer_on_the_spot": pgettext_lazy("what a role allows on a request", "当场答复"),
    "request_correction": pgettext_lazy("what a role allows on a request", "告知补正"),
    "receive_correction": pgettext_lazy("what a role allows on a request", "收到补正"),
    "correction_lapsed": pgettext_lazy("what a role allows on a request", "逾期未补正"),
    "start_consultation": pgettext_lazy("what a role allows on a request", "征求意见"),
    "consultation_reply": pgettext_lazy("what a role allows on a request", "收到意见"),
    "extend": pgettext_lazy("what a role allows on a request", "延期答复"),
    "approve_extension": pgettext_lazy("what a role allows on a request", "同意延期答复"),
    "send_fee_notice": pgettext_lazy("what a role allows on a request", "发出收费通知"),
    "fee_paid": pgettext_lazy("what a role allows on a request", "缴费"),
    "fee_lapsed": pgettext_lazy("what a role allows on a request", "逾期未缴费"),
    "set_reasonable_period": pgettext_lazy("what a role allows on a request", "确定延迟答复的合理期限"),
    "decide": pgettext_lazy("what a role allows on a request", "答复"),
    "assign": pgettext_lazy("what a role allows on a request", "指定承办人"),
    "attach": pgettext_lazy("what a role allows on a request", "添加附件"),
    "record_appeal": pgettext_lazy("what a role allows on a request", "登记复议诉讼"),
    "decide_appeal": pgettext_lazy("what a role allows on a request", "登记复议诉讼结果"),
}


def action_label(action: str) -> str:
    """The name of ``action`` in the active language (an unknown action: its code)."""
    return str(_ACTION_LABELS.get(action, action))


# The names of the dates the workflow checks, as they appear inside its messages (English: lower
# case, without an article: "date submitted").
_DATE_NAMES: dict[str, Promise] = {
    "提交日期": pgettext_lazy("date in a request message", "提交日期"),
    "收到申请之日": pgettext_lazy("date in a request message", "收到申请之日"),
    "确认日期": pgettext_lazy("date in a request message", "确认日期"),
    "到达日期": pgettext_lazy("date in a request message", "到达日期"),
    "答复日期": pgettext_lazy("date in a request message", "答复日期"),
    "告知补正日期": pgettext_lazy("date in a request message", "告知补正日期"),
    "收到补正日期": pgettext_lazy("date in a request message", "收到补正日期"),
    "办结日期": pgettext_lazy("date in a request message", "办结日期"),
    "发出征求意见函日期": pgettext_lazy("date in a request message", "发出征求意见函日期"),
    "起算日": pgettext_lazy("date in a request message", "起算日"),
    "收到意见日期": pgettext_lazy("date in a request message", "收到意见日期"),
    "同意日期": pgettext_lazy("date in a request message", "同意日期"),
    "告知日期": pgettext_lazy("date in a request message", "告知日期"),
    "发出收费通知日期": pgettext_lazy("date in a request message", "发出收费通知日期"),
    "缴费日期": pgettext_lazy("date in a request message", "缴费日期"),
    "收到日期": pgettext_lazy("date in a request message", "收到日期"),
    "审结日期": pgettext_lazy("date in a request message", "审结日期"),
}


def _date_name(name: str) -> str:
    return str(_DATE_NAMES[name])


# -- helpers ------------------------------------------------------------------------------------

def _alternatives(items: list[str]) -> str:
    """States inside quotation marks: “办理中、征求意见中” (English: “In progress” or “Consultation in progress”)."""
    # Translators: joins two names inside one pair of quotation marks (“%(item)s、%(rest)s”); the
    # English closes and reopens the quotes: “In progress” or “Consultation in progress”.
    return joined(items, pgettext("alternatives inside quotation marks", "%(item)s、%(rest)s"))


def _require_role(actor: User, agency: Agency | int, roles: tuple[str, ...], ability: str) -> None:
    """Refuse unless ``actor`` holds one of ``roles`` in ``agency``; ``ability`` is a key of _ABILITIES."""
    if not has_role(actor, agency, *roles):
        raise WorkflowError(_("您在本机关没有%(roles)s岗位，不能%(what)s；请联系管理员分配岗位") % {
            "roles": series([str(Role(r).label) for r in roles]), "what": _ABILITIES[ability]})


def _not_future(d: date, what: str) -> None:
    """Refuse a date later than today; ``what`` is the date's name (one of _DATE_NAMES)."""
    if d > timezone.localdate():
        raise WorkflowError(_("%(what)s（%(day)s）晚于今天；请填写实际发生的日期") % {
            "what": _date_name(what), "day": long_date(d)})


def _not_before(d: date, earlier: date | None, what: str, earlier_what: str) -> None:
    if earlier is not None and d < earlier:
        raise WorkflowError(_("%(what)s（%(day)s）早于%(earlier_what)s（%(earlier)s），请核对日期") % {
            "what": _date_name(what), "day": long_date(d), "earlier_what": _date_name(earlier_what),
            "earlier": long_date(earlier)})


def _state_error(case: Case, action: str) -> WorkflowError:
    allowed = _alternatives([str(State(s).label) for s in TRANSITIONS[action].sources])
    return WorkflowError(_("申请 %(number)s 当前状态为“%(state)s”，不能%(action)s（只有“%(allowed)s”的申请可以）") % {
        "number": case.tracking_number, "state": State(case.state).label, "action": action_label(action),
        "allowed": allowed})


def _expect_state(case: Case, action: str) -> None:
    """Refuse early, before looking at what the action needs (checked again under the lock)."""
    if case.state not in TRANSITIONS[action].sources:
        raise _state_error(case, action)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _run(case: Case, actor: User, action: str, data: dict[str, Any], change: Any) -> Case:
    """Check the transition, apply ``change(locked_case)``, save and log — atomically."""
    transition = TRANSITIONS[action]
    with transaction.atomic():
        locked = _locked(case)
        roles = CASE_WORKERS if action in ("confirm_receipt", "attach") else HANDLERS
        _require_role(actor, locked.agency_id, roles, action)
        if locked.state not in transition.sources:
            raise _state_error(locked, action)
        before = locked.state
        change(locked)
        if transition.target is not None:
            locked.state = transition.target
        locked.full_clean(exclude=["possible_duplicate_of"])
        locked.save()
        CaseEvent.objects.create(case=locked, actor=actor, action=action, state_before=before,
                                 state_after=locked.state, data=_jsonable(data))
    case.refresh_from_db()
    return case


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if isinstance(v, date):
            out[k] = v.isoformat()
        elif isinstance(v, Decimal):
            out[k] = str(v)
        elif hasattr(v, "pk"):
            out[k] = v.pk
        else:
            out[k] = v
    return out


# -- registration -------------------------------------------------------------------------------

def next_tracking_number(agency: Agency, year: int) -> str:
    """The next number of ``agency``'s requests in ``year``, from the database (never repeats).

    Runs inside the caller's transaction: the counter row is created if needed and advanced with
    an UPDATE, which the database serialises across processes and hosts.
    """
    TrackingCounter.objects.get_or_create(agency=agency, year=year)
    TrackingCounter.objects.filter(agency=agency, year=year).update(last=F("last") + 1)
    last = TrackingCounter.objects.get(agency=agency, year=year).last
    return f"{agency.code}-{year}-{last:05d}"


def register(agency: Agency, actor: User, *, received_on: date | None = None,
             **fields: Any) -> Case:
    """Record a new request.  ``received_on`` follows 第三十一条: for 当面 and 口头 it is the day of
    submission; for signed post, the day signed for; for 平常信函, online and fax the day receipt is
    confirmed with the applicant — until then the case waits in 待确认收到 and no clock runs.
    """
    _require_role(actor, agency, CASE_WORKERS, "register")
    submitted_on: date = fields["submitted_on"]
    _not_future(submitted_on, "提交日期")
    channel = fields["channel"]
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        if received_on not in (None, submitted_on):
            raise WorkflowError(_("当面或口头提出的申请，以提交之日为收到申请之日（第三十一条第（一）项）"))
        received_on = submitted_on
    if received_on is not None:
        _not_future(received_on, "收到申请之日")
        _not_before(received_on, submitted_on, "收到申请之日", "提交日期")
    if channel == Channel.SIGNED_POST and received_on is None:
        raise WorkflowError(_("邮寄（需签收）的申请，请填写签收之日，即收到申请之日（第三十一条第（二）项）"))
    with transaction.atomic():
        case = Case(agency=agency, received_on=received_on, **fields)
        case.state = State.IN_PROGRESS if received_on is not None else State.AWAITING_CONFIRMATION
        year = (received_on or submitted_on).year
        case.tracking_number = next_tracking_number(agency, year)
        case.possible_duplicate_of = find_possible_duplicate(case)
        case.full_clean()
        case.save()
        CaseEvent.objects.create(
            case=case, actor=actor, action="register", state_before="", state_after=case.state,
            data=_jsonable({"channel": channel, "submitted_on": submitted_on, "received_on": received_on,
                            "possible_duplicate_of": case.possible_duplicate_of_id}))
    return case


def find_possible_duplicate(case: Case) -> Case | None:
    """An earlier request of the same applicant for (nearly) the same information: 重复申请?

    Only flagged: whether it is a repeat under 第三十六条第（六）项 is the handler's decision.
    """
    same_applicant = Case.objects.filter(agency=case.agency, applicant_name=case.applicant_name)
    if case.id_document:
        same_applicant = same_applicant.filter(id_document=case.id_document)
    text = "".join(case.description.split())
    for earlier in same_applicant.exclude(pk=case.pk).order_by("-submitted_on", "-id")[:50]:
        other = "".join(earlier.description.split())
        if other == text or difflib.SequenceMatcher(None, other, text).ratio() >= 0.85:
            return earlier
    return None


def confirm_receipt(case: Case, actor: User, on: date) -> Case:
    """The day receipt was confirmed with the applicant is the day of receipt (第三十一条第（二）（三）项)."""
    _expect_state(case, "confirm_receipt")
    if case.channel not in CONFIRMED_CHANNELS:
        raise WorkflowError(_("只有平常信函、互联网和传真提交的申请需要确认收到"))
    _not_future(on, "确认日期")
    _not_before(on, case.submitted_on, "确认日期", "到达日期")

    def change(c: Case) -> None:
        c.received_on = on
    return _run(case, actor, "confirm_receipt", {"received_on": on}, change)


# -- answering ----------------------------------------------------------------------------------

def _check_outcome(outcome: str) -> None:
    if outcome not in OUTCOME_KEYS:
        raise WorkflowError(_("没有“%(outcome)s”这种办理结果；请从年度报告第三部分的结果中选择") % {
            "outcome": outcome})
    if outcome not in DECISION_OUTCOMES:
        raise WorkflowError(_("“%(outcome)s”由“逾期未补正”或“逾期未缴费”操作记录，不能直接选择") % {
            "outcome": label(outcome)})


def answer_on_the_spot(case: Case, actor: User, outcome: str, grounds: str = "") -> Case:
    """能够当场答复的，应当当场予以答复 (第三十三条第一款)."""
    _expect_state(case, "answer_on_the_spot")
    _check_outcome(outcome)
    if outcome == "unavailable_unclear_after_correction":
        raise WorkflowError(_("“补正后申请内容仍不明确”只能在收到补正后答复"))

    def change(c: Case) -> None:
        c.outcome, c.grounds, c.decided_on, c.answered_on_the_spot = outcome, grounds, c.received_on, True
    return _run(case, actor, "answer_on_the_spot", {"outcome": outcome}, change)


def decide(case: Case, actor: User, outcome: str, decided_on: date, grounds: str = "") -> Case:
    """The answer (第三十六条): exactly one outcome, the report row the case is counted in."""
    _expect_state(case, "decide")
    _check_outcome(outcome)
    _not_future(decided_on, "答复日期")
    _not_before(decided_on, case.received_on, "答复日期", "收到申请之日")
    if outcome == "unavailable_unclear_after_correction" and not (
            hasattr(case, "correction") and case.correction.received_on):
        raise WorkflowError(_("“补正后申请内容仍不明确”只适用于已告知补正并收到补正的申请（第三十条）"))
    needs_reasons = outcome == "partially_disclosed" or outcome.startswith(
        ("withheld_", "unavailable_", "not_processed_"))
    if needs_reasons and not grounds.strip():
        raise WorkflowError(_("“%(outcome)s”须说明理由（第三十六条第（三）项、第三十七条），请填写理由和依据") % {
            "outcome": label(outcome)})

    def change(c: Case) -> None:
        c.outcome, c.grounds, c.decided_on = outcome, grounds, decided_on
    return _run(case, actor, "decide", {"outcome": outcome, "decided_on": decided_on}, change)


# -- 补正 (第三十条) ------------------------------------------------------------------------------

def request_correction(case: Case, actor: User, requested_on: date, items: str,
                       deadline: date) -> Case:
    """一次性告知补正 within 7 working days of receipt (第三十条)."""
    if hasattr(case, "correction"):
        raise WorkflowError(_("补正只能一次性告知（第三十条），本申请已告知过补正"))
    _expect_state(case, "request_correction")
    if not items.strip():
        raise WorkflowError(_("请写明需要补正的事项（第三十条）"))
    _not_future(requested_on, "告知补正日期")
    _not_before(requested_on, case.received_on, "告知补正日期", "收到申请之日")
    if deadline <= requested_on:
        raise WorkflowError(_("补正期限应晚于告知补正日期，请给出合理的补正期限（第三十条）"))
    assert case.received_on is not None
    latest = clock.correction_notice_due(case.received_on)[0]
    late = requested_on > latest

    def change(c: Case) -> None:
        Correction.objects.create(case=c, requested_on=requested_on, deadline=deadline, items=items)
    return _run(case, actor, "request_correction",
                {"requested_on": requested_on, "deadline": deadline, "late": late, "due": latest}, change)


def receive_correction(case: Case, actor: User, on: date) -> Case:
    """答复期限自行政机关收到补正的申请之日起计算 (第三十条): the clock restarts."""
    _expect_state(case, "receive_correction")
    _not_future(on, "收到补正日期")
    _not_before(on, case.correction.requested_on, "收到补正日期", "告知补正日期")

    def change(c: Case) -> None:
        c.correction.received_on = on
        c.correction.save()
    return _run(case, actor, "receive_correction", {"received_on": on}, change)


def correction_lapsed(case: Case, actor: User, on: date) -> Case:
    """无正当理由逾期不补正的，视为放弃申请 (第三十条): closed as （六）其他处理."""
    _expect_state(case, "correction_lapsed")
    deadline = case.correction.deadline
    if on <= deadline:
        raise WorkflowError(_("补正期限到%(deadline)s，期限届满之后才能按逾期未补正办结") % {
            "deadline": long_date(deadline)})
    _not_future(on, "办结日期")

    def change(c: Case) -> None:
        c.correction.lapsed = True
        c.correction.save()
        c.outcome, c.decided_on = "other_no_correction", on
        c.grounds = "申请人无正当理由逾期不补正，视为放弃申请（第三十条）"
    return _run(case, actor, "correction_lapsed", {"on": on}, change)


# -- consultation (第三十二条, 第三十四条) -----------------------------------------------------------

def start_consultation(case: Case, actor: User, kind: str, party: str, sent_on: date) -> Case:
    _expect_state(case, "start_consultation")
    _not_future(sent_on, "发出征求意见函日期")
    _not_before(sent_on, clock.clock_start(case), "发出征求意见函日期", "起算日")
    if kind not in Consultation.Kind.values:
        raise WorkflowError(_("征求意见的类型只能是第三方（第三十二条）或其他机关（第三十四条）"))
    if not party.strip():
        raise WorkflowError(_("请填写被征求意见的第三方或机关"))

    def change(c: Case) -> None:
        Consultation.objects.create(case=c, kind=kind, party=party, sent_on=sent_on)
    return _run(case, actor, "start_consultation", {"kind": kind, "party": party, "sent_on": sent_on}, change)


def consultation_reply(case: Case, actor: User, consultation: Consultation, replied_on: date,
                       reply: str = "") -> Case:
    """The reply came (or the 15 working days passed: record the day they ended, with no reply)."""
    _expect_state(case, "consultation_reply")
    if consultation.case_id != case.pk or consultation.replied_on is not None:
        raise WorkflowError(_("该征求意见已经收到意见，或不属于本申请"))
    _not_future(replied_on, "收到意见日期")
    _not_before(replied_on, consultation.sent_on, "收到意见日期", "发出征求意见函日期")

    def change(c: Case) -> None:
        consultation.replied_on, consultation.reply = replied_on, reply
        consultation.save()
        if not c.consultations.filter(replied_on__isnull=True).exists():
            c.state = State.IN_PROGRESS
    return _run(case, actor, "consultation_reply",
                {"consultation": consultation.pk, "replied_on": replied_on}, change)


# -- extension (第三十三条第二款) --------------------------------------------------------------------

def extend(case: Case, actor: User, working_days: int, approved_on: date, reason: str) -> Case:
    """Once, at most 20 working days, with the disclosure office head's consent (第三十三条第二款)."""
    _expect_state(case, "extend")
    _require_role(actor, case.agency_id, (Role.APPROVER,), "approve_extension")
    if hasattr(case, "extension"):
        raise WorkflowError(_("答复期限只能延长一次（第三十三条第二款），本申请已经延期"))
    if not 1 <= working_days <= 20:
        raise WorkflowError(_("延长的期限最长不得超过20个工作日（第三十三条第二款）"))
    if not reason.strip():
        raise WorkflowError(_("请写明延期理由，延期答复告知书要告知申请人"))
    _not_future(approved_on, "同意日期")
    due = clock.answer_due(case).date
    if due is not None and approved_on > due:
        raise WorkflowError(_("答复期限已于%(due)s届满，不能再延期") % {"due": long_date(due)})

    def change(c: Case) -> None:
        Extension.objects.create(case=c, working_days=working_days, approved_by=actor, approved_on=approved_on,
                                 reason=reason)
    return _run(case, actor, "extend", {"working_days": working_days, "approved_on": approved_on}, change)


# -- 第三十五条 --------------------------------------------------------------------------------------

def set_reasonable_period(case: Case, actor: User, due_on: date, notified_on: date, reason: str) -> Case:
    """申请数量、频次明显超过合理范围 … 可以确定延迟答复的合理期限并告知申请人 (第三十五条)."""
    _expect_state(case, "set_reasonable_period")
    _require_role(actor, case.agency_id, (Role.APPROVER,), "set_reasonable_period")
    if hasattr(case, "reasonable_period"):
        raise WorkflowError(_("本申请已确定过延迟答复的合理期限"))
    if not reason.strip():
        raise WorkflowError(_("请写明申请数量、频次明显超过合理范围的理由（第三十五条）"))
    _not_future(notified_on, "告知日期")
    statutory = clock.answer_due(case).date
    if statutory is not None and due_on <= statutory:
        raise WorkflowError(_("合理期限应晚于依第三十三条计算的答复期限（%(due)s）；能在该期限内答复的，不需要另定期限")
                            % {"due": long_date(statutory)})

    def change(c: Case) -> None:
        ReasonablePeriod.objects.create(case=c, due_on=due_on, notified_on=notified_on, reason=reason,
                                        approved_by=actor)
    return _run(case, actor, "set_reasonable_period", {"due_on": due_on, "notified_on": notified_on}, change)


# -- fees (第四十二条, 国办函〔2020〕109号) --------------------------------------------------------------

def send_fee_notice(case: Case, actor: User, amount_yuan: Decimal, basis: str, sent_on: date) -> Case:
    _expect_state(case, "send_fee_notice")
    if hasattr(case, "fee_notice"):
        raise WorkflowError(_("本申请已发出过收费通知"))
    if amount_yuan <= 0:
        raise WorkflowError(_("收费金额应大于0；不收费的申请不需要收费通知"))
    if not basis.strip():
        raise WorkflowError(_("收费通知须说明收费的依据、标准和数额（国办函〔2020〕109号）"))
    _not_future(sent_on, "发出收费通知日期")
    _not_before(sent_on, clock.clock_start(case), "发出收费通知日期", "起算日")

    def change(c: Case) -> None:
        FeeNotice.objects.create(case=c, amount_yuan=amount_yuan, basis=basis, sent_on=sent_on)
    return _run(case, actor, "send_fee_notice", {"amount_yuan": amount_yuan, "sent_on": sent_on}, change)


def fee_paid(case: Case, actor: User, paid_on: date) -> Case:
    _expect_state(case, "fee_paid")
    _not_future(paid_on, "缴费日期")
    _not_before(paid_on, case.fee_notice.sent_on, "缴费日期", "发出收费通知日期")

    def change(c: Case) -> None:
        c.fee_notice.paid_on = paid_on
        c.fee_notice.save()
    return _run(case, actor, "fee_paid", {"paid_on": paid_on}, change)


def fee_lapsed(case: Case, actor: User, on: date) -> Case:
    """逾期未缴纳的视为放弃申请: closed as （六）2 (2021)."""
    _expect_state(case, "fee_lapsed")
    due = clock.fee_payment_due(case.fee_notice.sent_on)[0]
    if on <= due:
        raise WorkflowError(_("缴费期限到%(due)s，期限届满之后才能按逾期未缴费办结") % {"due": long_date(due)})
    _not_future(on, "办结日期")

    def change(c: Case) -> None:
        c.fee_notice.lapsed = True
        c.fee_notice.save()
        c.outcome, c.decided_on = "other_fee_unpaid", on
        c.grounds = "申请人逾期未按收费通知要求缴纳费用，视为放弃申请"
    return _run(case, actor, "fee_lapsed", {"on": on}, change)


# -- assignment ---------------------------------------------------------------------------------

def assign(case: Case, actor: User, handler: User) -> Case:
    _expect_state(case, "assign")
    if not has_role(handler, case.agency_id, Role.HANDLER, Role.APPROVER):
        raise WorkflowError(_("%(user)s 在本机关没有承办岗位，不能承办本申请") % {"user": handler})

    def change(c: Case) -> None:
        c.handler = handler
    return _run(case, actor, "assign", {"handler": handler.pk}, change)


def attach(case: Case, actor: User, upload: UploadedFile) -> Case:
    """Store a file with the case through Django's storage (any app server can read it back)."""
    _expect_state(case, "attach")

    def change(c: Case) -> None:
        Attachment.objects.create(case=c, file=upload, name=upload.name or "附件", size=upload.size or 0,
                                  content_type=upload.content_type or "application/octet-stream",
                                  uploaded_by=actor)
    return _run(case, actor, "attach", {"name": upload.name, "size": upload.size}, change)


# -- review and litigation ----------------------------------------------------------------------

def record_appeal(agency: Agency, actor: User, route: str, filed_on: date, case: Case | None = None,
                  reference: str = "") -> Appeal:
    _require_role(actor, agency, HANDLERS, "record_appeal")
    _not_future(filed_on, "收到日期")
    if case is not None and case.agency_id != agency.pk:
        raise WorkflowError(_("相关申请不属于本机关"))
    return Appeal.objects.create(agency=agency, route=route, filed_on=filed_on, case=case, reference=reference)


def decide_appeal(appeal: Appeal, actor: User, result: str, decided_on: date) -> Appeal:
    _require_role(actor, appeal.agency_id, HANDLERS, "decide_appeal")
    if result == Appeal.Result.PENDING:
        raise WorkflowError(_("请选择结果维持、结果纠正或其他结果"))
    _not_future(decided_on, "审结日期")
    _not_before(decided_on, appeal.filed_on, "审结日期", "收到日期")
    appeal.result, appeal.decided_on = result, decided_on
    appeal.full_clean()
    appeal.save()
    return appeal
