"""Reminders: who must hear about which cases today.

``gongkai remind`` (run it from cron each working morning) e-mails every handler the open cases
assigned to them, or — when a case has no handler — the agency's handlers, that are due within
``soon`` working days or overdue; supervisors get the overdue cases of the agencies below them.
Through Django's e-mail backends (``EMAIL_*`` settings), so nothing here knows about SMTP.
The e-mails are in the active language: the site's ``LANGUAGE_CODE`` when run from cron.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from gongkai.agencies.models import Agency, Membership, Role

from . import clock, selectors
from .models import Case, State


@dataclass(frozen=True)
class Due:
    case: Case
    due: date
    days_left: int
    provisional: bool


def due_cases(today: date, soon: int = 3) -> list[Due]:
    """Open cases whose answer is due within ``soon`` working days, or overdue."""
    calendar = clock.work_calendar()
    out = []
    cases = (Case.objects.exclude(state__in=[State.CLOSED, State.AWAITING_CONFIRMATION])
             .select_related("agency", "handler", "correction", "extension", "fee_notice", "reasonable_period")
             .prefetch_related("consultations").order_by("agency__code", "tracking_number"))
    for case in cases:
        c = selectors.case_clock(case, calendar, today)
        if c.due is not None and c.days_left is not None and c.days_left <= soon:
            out.append(Due(case, c.due, c.days_left, c.provisional))
    return out


def _line(d: Due) -> str:
    if d.days_left < 0:
        when = ngettext("已逾期%(days)d个工作日", "已逾期%(days)d个工作日", -d.days_left) % {"days": -d.days_left}
    elif d.days_left == 0:
        when = _("今天到期")
    else:
        when = ngettext("还剩%(days)d个工作日", "还剩%(days)d个工作日", d.days_left) % {"days": d.days_left}
    mark = pgettext("reminder, after the due date", "（节假日安排未确认）") if d.provisional else ""
    return _("%(number)s  %(agency)s  答复期限 %(due)s%(provisional)s，%(when)s") % {
        "number": d.case.tracking_number, "agency": d.case.agency.name, "due": f"{d.due:%Y-%m-%d}",
        "provisional": mark, "when": when}


def plan(today: date, soon: int = 3) -> dict[User, list[Due]]:
    """Recipient → the cases they are told about (handlers: due soon or overdue; supervisors: overdue)."""
    found = due_cases(today, soon)
    recipients: dict[User, list[Due]] = defaultdict(list)
    handlers_by_agency: dict[int, list[User]] = defaultdict(list)
    for m in Membership.objects.filter(role__in=[Role.HANDLER, Role.APPROVER]).select_related("user"):
        if m.user.is_active and m.user not in handlers_by_agency[m.agency_id]:
            handlers_by_agency[m.agency_id].append(m.user)
    for d in found:
        for user in [d.case.handler] if d.case.handler else handlers_by_agency[d.case.agency_id]:
            if user is not None and user.is_active:
                recipients[user].append(d)
    overdue = [d for d in found if d.days_left < 0]
    for m in Membership.objects.filter(role=Role.SUPERVISOR).select_related("user", "agency"):
        below = Agency.descendant_ids(m.agency)
        mine = [d for d in overdue if d.case.agency_id in below]
        if mine and m.user.is_active:
            recipients[m.user].extend(d for d in mine if d not in recipients[m.user])
    return dict(recipients)


def send(today: date, soon: int = 3, dry_run: bool = False) -> list[tuple[User, list[Due], bool]]:
    """Send one e-mail per recipient; returns (recipient, cases, sent?) — not sent when no address."""
    report = []
    for user, items in sorted(plan(today, soon).items(), key=lambda kv: kv[0].username):
        body = "\n".join(_line(d) for d in sorted(items, key=lambda d: d.days_left))
        subject = ngettext("[政府信息公开] %(count)d件申请即将到期或已逾期（%(date)s）",
                           "[政府信息公开] %(count)d件申请即将到期或已逾期（%(date)s）", len(items)) % {
            "count": len(items), "date": f"{today:%Y-%m-%d}"}
        sent = bool(user.email) and not dry_run
        if sent:
            send_mail(subject, body + "\n\n" + _("请登录办理系统处理。"), settings.DEFAULT_FROM_EMAIL, [user.email])
        report.append((user, items, sent))
    return report
