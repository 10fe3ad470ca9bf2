"""Requests submitted by the public online (条例 第二十九条, 第三十一条第（三）项).

An online request is received on the day both sides confirm it, so it waits in 待确认收到 until a
registrar confirms it; the applicant gets a tracking number and a query code (only its hash is
stored) to follow the request.  Submissions are limited per address and hour in the database,
so the limit holds across app servers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.agencies.models import Agency

from .models import Case, CaseEvent, Channel, State, SubmissionThrottle
from .workflow import find_possible_duplicate, next_tracking_number

MAX_PER_HOUR = 5


class TooManySubmissions(Exception):
    pass


@dataclass(frozen=True)
class Submitted:
    case: Case
    query_code: str  # shown once, and e-mailed; never stored in clear


def _throttle(address: str) -> None:
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        SubmissionThrottle.objects.get_or_create(address=address, hour=hour)
        SubmissionThrottle.objects.filter(address=address, hour=hour).update(count=F("count") + 1)
        count = SubmissionThrottle.objects.get(address=address, hour=hour).count
    SubmissionThrottle.objects.filter(hour__lt=hour - timedelta(days=1)).delete()
    if count > MAX_PER_HOUR:
        raise TooManySubmissions(gettext("同一地址每小时最多提交%(n)s件申请，请稍后再试，"
                                         "或到政府信息公开工作机构当面提交") % {"n": MAX_PER_HOUR})


def submit(agency: Agency, client_address: str, **fields: Any) -> Submitted:
    """Record an online request; it waits for confirmation of receipt (第三十一条第（三）项).

    ``client_address`` is where the request came from (for the hourly limit); ``fields`` are the
    applicant's (``address`` among them: the postal address).
    """
    _throttle(client_address)
    code = secrets.token_hex(4).upper()  # 8 characters, easy to type from the e-mail
    today = timezone.localdate()
    with transaction.atomic():
        case = Case(agency=agency, channel=Channel.ONLINE, submitted_on=today, state=State.AWAITING_CONFIRMATION,
                    query_code_hash=make_password(code), **fields)
        case.tracking_number = next_tracking_number(agency, today.year)
        case.possible_duplicate_of = find_possible_duplicate(case)
        case.full_clean()
        case.save()
        CaseEvent.objects.create(case=case, actor=None, action="register", state_before="",
                                 state_after=case.state, data={"channel": "online", "submitted_on": today.isoformat()})
    return Submitted(case, code)


def lookup(tracking_number: str, query_code: str) -> Case | None:
    """The case with this number, if the query code is right; None otherwise (no hint which was wrong)."""
    case = Case.objects.filter(tracking_number=tracking_number.strip().upper()).select_related("agency").first()
    if case is None or not case.query_code_hash:
        make_password(query_code)  # the same work either way: no timing hint that the number exists
        return None
    return case if check_password(query_code.strip().upper(), case.query_code_hash) else None
