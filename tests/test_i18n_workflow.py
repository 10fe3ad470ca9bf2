"""The request workflow's refusals in English and in Chinese: the same sentence, whole, in each language
(names of actions, roles, states and dates translated, dates written the language's way, the
regulation's articles as "Article 30"); and the staff desk in English shows them in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from gongkai.agencies.models import Role
from gongkai.cases import workflow
from gongkai.cases.workflow import WorkflowError
from tests.casekit import agency, messages_of, request, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]

HAN = re.compile(r"[\u4e00-\u9fff]")
PARTIAL = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"  # the report's row: data, not translated


@pytest.fixture
def office() -> dict:
    """An office with a handler, a head, a registrar, a request in progress (received Monday 3 March
    2025), one by ordinary letter awaiting confirmation, one awaiting correction and one closed."""
    a = agency("DYX", "大英县人民政府办公室")
    clerk = staff("clerk", a, Role.HANDLER)
    head = staff("head", a, Role.APPROVER)
    registrar = staff("registrar", a, Role.REGISTRAR)
    open_case = request(a, clerk, date(2025, 3, 3), n=1)  # DYX-2025-00001
    letter = request(a, clerk, date(2025, 1, 20), n=2, channel="ordinary_letter")  # DYX-2025-00002
    correcting = request(a, clerk, date(2025, 3, 3), n=3)  # DYX-2025-00003
    workflow.request_correction(correcting, clerk, date(2025, 3, 4), "请说明所需信息", date(2025, 3, 18))
    closed = request(a, clerk, date(2025, 3, 3), n=4)  # DYX-2025-00004
    workflow.decide(closed, clerk, "disclosed", date(2025, 3, 10))
    return {"agency": a, "clerk": clerk, "head": head, "registrar": registrar, "open": open_case,
            "letter": letter, "correcting": correcting, "closed": closed}


def _refusals(o: dict) -> dict[str, Callable[[], object]]:
    clerk, head = o["clerk"], o["head"]
    return {
        "no role": lambda: workflow.decide(o["open"], o["registrar"], "disclosed", date(2025, 3, 10)),
        "no approver": lambda: workflow.extend(o["open"], clerk, 10, date(2025, 3, 20), "需要调取档案"),
        "wrong state": lambda: workflow.decide(o["letter"], clerk, "disclosed", date(2025, 3, 10)),
        "wrong state, two allowed": lambda: workflow.extend(o["closed"], head, 10, date(2025, 3, 20), "需要调取档案"),
        "future date": lambda: request(o["agency"], clerk, date(2999, 3, 1), n=9),
        "date before": lambda: workflow.confirm_receipt(o["letter"], clerk, date(2025, 1, 19)),
        "correction twice": lambda: workflow.request_correction(o["correcting"], clerk, date(2025, 3, 5), "再补",
                                                                date(2025, 3, 19)),
        "correction not lapsed": lambda: workflow.correction_lapsed(o["correcting"], clerk, date(2025, 3, 18)),
        "reasons": lambda: workflow.decide(o["open"], clerk, "partially_disclosed", date(2025, 3, 10)),
        "unclear": lambda: workflow.decide(o["open"], clerk, "unavailable_unclear_after_correction",
                                           date(2025, 3, 10), "仍不明确"),
        "too long": lambda: workflow.extend(o["open"], head, 21, date(2025, 3, 20), "需要调取档案"),
        "reasonable period": lambda: workflow.set_reasonable_period(o["open"], head, date(2025, 3, 28),
                                                                    date(2025, 3, 10), "一个月内提交了60件申请"),
        "fee basis": lambda: workflow.send_fee_notice(o["open"], clerk, Decimal("100"), " ", date(2025, 3, 5)),
        "assign": lambda: workflow.assign(o["open"], clerk, o["registrar"]),
    }


ENGLISH = {
    "no role": "You cannot reply to requests, as you hold none of the roles in this agency that allow it; please "
               "ask an administrator to assign you one of them: Case handler, Reviewer (head of disclosure office), "
               "Administrator",
    "no approver": "You cannot approve extensions of reply deadlines, as you hold none of the roles in this agency "
                   "that allow it; please ask an administrator to assign you one of them: Reviewer (head of "
                   "disclosure office)",
    "wrong state": "Request DYX-2025-00002 is “Awaiting confirmation of receipt”, so “Reply” is not possible (only "
                   "for requests that are “In progress”)",
    "wrong state, two allowed": "Request DYX-2025-00004 is “Closed”, so “Extend the reply deadline” is not possible "
                                "(only for requests that are “In progress” or “Consultation in progress”)",
    "future date": "The date submitted (1 March 2999) is later than today; please enter the date on which it "
                   "actually happened",
    "date before": "The date of confirmation (19 January 2025) is earlier than the date the request arrived "
                   "(20 January 2025); please check the dates",
    "correction twice": "A correction can be requested only once, listing everything to be corrected at the same "
                        "time (Article 30), and one has already been requested for this request",
    "correction not lapsed": "The correction deadline is 18 March 2025; only after it has passed can the request be "
                             "closed as a correction not made in time",
    "reasons": f"A reply of “{PARTIAL}” must state the reasons (Articles 36(3) and 37); please fill in the reasons "
               "and legal basis",
    "unclear": "The outcome “request still unclear after correction” applies only to requests for which a "
               "correction was requested and received (Article 30)",
    "too long": "An extension may not be longer than 20 working days (Article 33, paragraph 2)",
    "reasonable period": "The reasonable period must end later than the reply deadline under Article 33 "
                         "(31 March 2025); a request that can be answered by that deadline needs no other period",
    "fee basis": "A fee notice must state the basis, rates and amount of the fee (Guo Ban Han [2020] No. 109)",
    "assign": "registrar holds no case handler role in this agency and cannot handle this request",
}

CHINESE = {
    "no role": "您在本机关没有承办人、审核人（工作机构负责人）、管理员岗位，不能答复；请联系管理员分配岗位",
    "no approver": "您在本机关没有审核人（工作机构负责人）岗位，不能同意延期答复；请联系管理员分配岗位",
    "wrong state": "申请 DYX-2025-00002 当前状态为“待确认收到”，不能答复（只有“办理中”的申请可以）",
    "wrong state, two allowed": ("申请 DYX-2025-00004 当前状态为“已办结”，不能延期答复"
                                 "（只有“办理中、征求意见中”的申请可以）"),
    "future date": "提交日期（2999年03月01日）晚于今天；请填写实际发生的日期",
    "date before": "确认日期（2025年01月19日）早于到达日期（2025年01月20日），请核对日期",
    "correction twice": "补正只能一次性告知（第三十条），本申请已告知过补正",
    "correction not lapsed": "补正期限到2025年03月18日，期限届满之后才能按逾期未补正办结",
    "reasons": f"“{PARTIAL}”须说明理由（第三十六条第（三）项、第三十七条），请填写理由和依据",
    "unclear": "“补正后申请内容仍不明确”只适用于已告知补正并收到补正的申请（第三十条）",
    "too long": "延长的期限最长不得超过20个工作日（第三十三条第二款）",
    "reasonable period": ("合理期限应晚于依第三十三条计算的答复期限（2025年03月31日）；"
                          "能在该期限内答复的，不需要另定期限"),
    "fee basis": "收费通知须说明收费的依据、标准和数额（国办函〔2020〕109号）",
    "assign": "registrar 在本机关没有承办岗位，不能承办本申请",
}


def _said(o: dict, language: str) -> dict[str, str]:
    said = {}
    with translation.override(language):
        for name, refused in _refusals(o).items():
            with pytest.raises(WorkflowError) as caught:
                refused()
            said[name] = str(caught.value)
    return said


def test_the_workflow_refuses_in_english(office) -> None:
    said = _said(office, "en")
    assert said == ENGLISH
    # nothing Chinese but the report's row name of an outcome (data shared with the annual report)
    assert not [s for name, s in said.items() if HAN.search(s.replace(PARTIAL, ""))]


def test_the_workflow_refuses_in_chinese_as_before(office) -> None:
    assert _said(office, "zh-hans") == CHINESE
    assert _said(office, settings.LANGUAGE_CODE) == CHINESE


def test_the_names_of_actions_in_both_languages() -> None:
    with translation.override("en"):
        english = [workflow.action_label(a) for a in ("confirm_receipt", "request_correction", "decide", "extend")]
        assert workflow.action_label("unknown") == "unknown"
    with translation.override("zh-hans"):
        chinese = [workflow.action_label(a) for a in ("confirm_receipt", "request_correction", "decide", "extend")]
    assert english == ["Confirm receipt", "Request a correction", "Reply", "Extend the reply deadline"]
    assert chinese == ["确认收到", "告知补正", "答复", "延期答复"]


def _desk(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_desk_in_english_shows_the_refusal_in_english(office) -> None:
    """Through the desk, the language chosen by the cookie: the refusal, a form's error and a success."""
    clerk = _desk(office["clerk"])
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/desk/{office['correcting'].pk}/"

    page = clerk.post(url + "request_correction/", {
        "request_correction-requested_on": "2025-03-05", "request_correction-items": "再补",
        "request_correction-deadline": "2025-03-19"}, follow=True)
    assert messages_of(page) == [ENGLISH["correction twice"]]
    html = page.content.decode()
    assert '<html lang="en">' in html and ENGLISH["correction twice"] in html
    assert "<legend>Record the correction received</legend>" in html  # the actions the case allows, in English

    page = clerk.post(url + "correction_lapsed/", {"correction_lapsed-on": "2025-03-18"}, follow=True)
    assert messages_of(page) == [ENGLISH["correction not lapsed"]]

    page = clerk.post(url + "receive_correction/", {"receive_correction-on": "not a date"}, follow=True)
    assert messages_of(page) == ["Record the correction received: Date Enter a valid date."]

    page = clerk.post(url + "receive_correction/", {"receive_correction-on": "2025-03-10"}, follow=True)
    assert messages_of(page) == ["Done: Record the correction received"]
    assert "<legend>Reply</legend>" in page.content.decode()


def test_the_desk_in_chinese_shows_the_refusal_as_before(office) -> None:
    clerk = _desk(office["clerk"])
    url = f"/desk/{office['correcting'].pk}/"
    page = clerk.post(url + "request_correction/", {
        "request_correction-requested_on": "2025-03-05", "request_correction-items": "再补",
        "request_correction-deadline": "2025-03-19"}, follow=True)
    assert messages_of(page) == [CHINESE["correction twice"]]
    assert '<html lang="zh-hans">' in page.content.decode()
    assert "<legend>收到补正</legend>" in page.content.decode()
    page = clerk.post(url + "receive_correction/", {"receive_correction-on": "not a date"}, follow=True)
    assert messages_of(page) == ["收到补正：日期 输入一个有效的日期。"]
    page = clerk.post(url + "receive_correction/", {"receive_correction-on": "2025-03-10"}, follow=True)
    assert messages_of(page) == ["已收到补正"]


def test_the_desk_in_english_through_the_accept_language_header(office) -> None:
    """A staff member without the cookie whose browser asks for English: a missing role, in English."""
    registrar = _desk(office["registrar"], headers={"accept-language": "en"})
    page = registrar.post(f"/desk/{office['open'].pk}/decide/", {
        "decide-outcome": "disclosed", "decide-decided_on": "2025-03-10"}, follow=True)
    assert messages_of(page) == [ENGLISH["no role"]]
    assert ENGLISH["no role"] in page.content.decode()
