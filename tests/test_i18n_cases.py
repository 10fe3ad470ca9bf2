"""The request desk in English: registering a request (its tracking number, a possible repeat), the
inbox, the registration form, a case page in each state, the letters' refusals and the appeals
(行政复议、行政诉讼) pages hold no Chinese but the data (names, titles, the texts put in, the annual
report's outcome labels); in Chinese (the default) they read as before."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.cases import workflow
from gongkai.cases.models import Case
from gongkai.cases.outcomes import OUTCOMES
from tests.casekit import agency, messages_of, request, staff
from tests.test_i18n_portal import HAN, _without_data

pytestmark = [pytest.mark.db, pytest.mark.django_db]

@pytest.fixture
def desk() -> dict:
    """An office with a request in each state: in progress (with a document number and an attachment),
    awaiting confirmation (an ordinary letter), awaiting correction, consulting and extended, closed
    (partly disclosed); an appeal pending and one decided."""
    office = agency("DYX", "大英县人民政府办公室")
    clerk = staff("clerk", office, Role.HANDLER, Role.REGISTRAR)
    head = staff("head", office, Role.APPROVER)
    open_case = request(office, clerk, date(2025, 3, 3), n=1, document_number="大府办〔2025〕1号")
    workflow.attach(open_case, clerk, SimpleUploadedFile("名单.pdf", b"%PDF-1.4 ok", "application/pdf"))
    letter = request(office, clerk, date(2025, 1, 20), n=2, channel="ordinary_letter")
    correcting = request(office, clerk, date(2025, 3, 3), n=3)
    workflow.request_correction(correcting, clerk, date(2025, 3, 4), "请说明所需信息", date(2025, 3, 18))
    consulting = request(office, clerk, date(2025, 3, 3), n=4)
    workflow.extend(consulting, head, 10, date(2025, 3, 20), "需要调取档案")
    workflow.start_consultation(consulting, clerk, "third_party", "某某公司", date(2025, 3, 5))
    closed = request(office, clerk, date(2025, 3, 3), n=5)
    workflow.decide(closed, clerk, "partially_disclosed", date(2025, 3, 10), "涉及第三方商业秘密")
    pending = workflow.record_appeal(office, clerk, "review", date(2025, 4, 1), case=closed,
                                     reference="遂府复〔2025〕3号")
    decided = workflow.record_appeal(office, clerk, "suit_direct", date(2025, 4, 2), reference="（2025）川0922行初1号")
    workflow.decide_appeal(decided, clerk, "upheld", date(2025, 6, 1))
    cases = [open_case, letter, correcting, consulting, closed]
    data = [office.name, "名单.pdf", "大府办〔2025〕1号", "请说明所需信息", "需要调取档案", "某某公司",
            "涉及第三方商业秘密", "遂府复〔2025〕3号", "（2025）川0922行初1号", *(label for _, label in OUTCOMES),
            *(c.applicant_name for c in cases), *(c.id_document for c in cases), *(c.description for c in cases)]
    return {"office": office, "clerk": clerk, "head": head, "open": open_case, "letter": letter,
            "correcting": correcting, "consulting": consulting, "closed": closed, "pending": pending,
            "decided": decided, "data": data}


REGISTRATION = {"agency": "", "applicant_type": "natural_person", "applicant_name": "张1",
                "id_document": "身份证 510900000000000001", "phone": "13800000000",
                "description": "关于第1号事项的文件", "channel": "in_person", "submitted_on": "2025-03-10"}


def _pages(desk: dict, **kwargs) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every page of the request desk, and the messages the actions answer with."""
    client = Client(**kwargs)
    client.force_login(desk["clerk"])
    case = "/desk/{}/".format
    registration = {**REGISTRATION, "agency": desk["office"].pk}
    pending = desk["pending"].pk
    responses = {
        "inbox": client.get("/desk/"),
        "inbox, all": client.get("/desk/?state=all"),
        "register": client.get("/desk/new/"),
        "register, errors": client.post("/desk/new/", {"agency": desk["office"].pk, "channel": "signed_post"}),
        "register, signed post": client.post("/desk/new/", {**registration, "channel": "signed_post"}),
        "in progress": client.get(case(desk["open"].pk)),
        "awaiting confirmation": client.get(case(desk["letter"].pk)),
        "awaiting correction": client.get(case(desk["correcting"].pk)),
        "consulting": client.get(case(desk["consulting"].pk)),
        "closed": client.get(case(desk["closed"].pk)),
        "letter, no correction": client.get(case(desk["open"].pk) + "letters/correction.docx", follow=True),
        "letter, not confirmed": client.get(case(desk["letter"].pk) + "letters/receipt.pdf", follow=True),
        "letter, not answered": client.get(case(desk["open"].pk) + "letters/answer.pdf", follow=True),
        "letter, unknown": client.get(case(desk["open"].pk) + "letters/poster.pdf", follow=True),
        "appeals": client.get("/desk/appeals/"),
        "appeal, not ours": client.post("/desk/appeals/", {"agency": desk["office"].pk, "route": "review",
                                                           "filed_on": "2025-04-01", "tracking_number": "XXX-1"}),
        "appeal, future": client.post("/desk/appeals/", {"agency": desk["office"].pk, "route": "review",
                                                         "filed_on": "2999-04-01"}),
        "appeal recorded": client.post("/desk/appeals/", {
            "agency": desk["office"].pk, "route": "suit_after_review", "filed_on": "2025-05-01",
            "tracking_number": desk["open"].tracking_number.lower()}, follow=True),
        "appeal result, none": client.post(f"/desk/appeals/{pending}/result/", {}, follow=True),
        "appeal result": client.post(f"/desk/appeals/{pending}/result/", {
            f"a{pending}-result": "corrected", f"a{pending}-decided_on": "2025-06-01"}, follow=True),
        # last: a repeat of the request in progress, registered
        "registered": client.post("/desk/new/", registration, follow=True),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
    pages = {name: response.content.decode() for name, response in responses.items()}
    said = {name: messages_of(response) for name, response in responses.items() if messages_of(response)}
    return pages, said


def test_the_request_desk_in_english_has_no_chinese_but_the_data(desk) -> None:
    pages, said = _pages(desk, headers={"accept-language": "en"})
    for name, html in pages.items():
        assert '<html lang="en">' in html, name
        rest = _without_data(html, desk["data"])
        left = {m.group() for m in re.finditer(r"[^\s<>\"]*[\u4e00-\u9fff][^\s<>\"]*", rest)}
        assert not HAN.search(rest), (name, sorted(left))

    assert Case.objects.latest("id").tracking_number == "DYX-2025-00006"
    assert said == {
        "registered": ["Registered with tracking number DYX-2025-00006",
                       "This may be a repeated request: it is the same as or similar to DYX-2025-00001; the case "
                       "handler should decide"],
        "letter, no correction": ["No correction has been requested for this request"],
        "letter, not confirmed": ["The date the request was received has not been confirmed yet, so no letter can "
                                  "be issued"],
        "letter, not answered": ["This request has not been answered yet; please record the outcome first"],
        "letter, unknown": ["There is no kind of letter called “poster”"],
        "appeal recorded": ["Review or lawsuit recorded"],
        "appeal result, none": ["Please choose a result and enter the date concluded"],
        "appeal result": ["Result recorded"],
    }
    assert "<h1>DYX-2025-00006 · In progress</h1>" in pages["registered"]
    assert '<label for="id_agency">Receiving agency:</label>' in pages["register"]
    assert "Your agency has no request with this tracking number" in pages["appeal, not ours"]
    assert "is later than today" in pages["appeal, future"]
    assert "please enter the date it was signed for, which is the date the request was received (Article 31(2))" \
        in pages["register, signed post"]
    assert "This field is required." in pages["register, errors"]
    progress = pages["in progress"]
    for english in ("<td>张1 (Individual)</td>", "<td>关于第1号事项的文件 (大府办〔2025〕1号)</td>",
                    "<td>In person; submitted 2025-03-03; date received: 2025-03-03</td>",
                    "<h2>Reply due: 31 March 2025", "<li>名单.pdf (11\xa0bytes)</li>",
                    'Acknowledgement of receipt: <a href="/desk/{}/letters/receipt.docx">Word</a> · '
                    '<a href="/desk/{}/letters/receipt.pdf">PDF</a>'.format(desk["open"].pk, desk["open"].pk)):
        assert english in progress, english
    assert "date received: not confirmed yet</td>" in pages["awaiting confirmation"]
    assert "<h1>DYX-2025-00003 · Awaiting correction</h1>" in pages["awaiting correction"]
    assert "<legend>Record the correction received</legend>" in pages["awaiting correction"]
    assert "Reply due: to be determined" in pages["awaiting correction"]
    # the history: actions, states and what was recorded, by their English names
    for english in ("<td>Request a correction</td>", "<td>In progress → Awaiting correction</td>",
                    "<td>Date notified: 2025-03-04<br>Correction deadline: 2025-03-18<br>Late: No<br>"
                    "Reply due: 2025-03-12</td>"):
        assert english in pages["awaiting correction"], english
    assert "<h2>Reply due: 8 May 2025" in pages["consulting"]
    # 3/4 1, 3/5 2 (the letter's day), 3/6–3/26 not counted (no views: 15 working days), 3/27–4/3 3–8,
    # 4/7–4/25 9–23, Sunday 4/27 24, 4/28–4/30 25–27, 5/6–5/8 28–30 (20 + 10 of the extension)
    for english in ("<li>Consultation letter sent to a third party on 5 March 2025; no views recorded, so counted "
                    "until the period of 15 working days for views ends (26 March); working days not counted: 15 "
                    "(Articles 32 and 33(3))</li>",
                    "<li>Qingming Festival: 4 April 2025 to 6 April off, not counted</li>",
                    "<li>Sunday 27 April 2025 is a make-up working day, counted</li>",
                    "<li>Labour Day: 1 May 2025 to 5 May off, not counted</li>",
                    "<li>Reply due: Thursday 8 May 2025</li>"):
        assert english in pages["consulting"], english
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形） (2025-03-10)<br>" in pages["closed"]
    assert "<td>Decision upheld (2025-06-01)</td>" in re.sub(r"\s+<", "<", pages["appeals"])
    assert "<td>张1 (Individual)</td>" in pages["inbox"]


CHINESE = {
    "registered": ["已登记，受理编号 DYX-2025-00006", "可能是重复申请：与 DYX-2025-00001 相同或相近，请承办人判断"],
    "letter, no correction": ["本申请没有告知补正"],
    "letter, not confirmed": ["收到申请之日尚未确认，不能出具文书"],
    "letter, not answered": ["本申请尚未答复，请先记录办理结果"],
    "letter, unknown": ["没有“poster”这种文书"],
    "appeal recorded": ["已登记"],
    "appeal result, none": ["请选择结果并填写审结日期"],
    "appeal result": ["已登记结果"],
}


def test_the_request_desk_in_chinese_reads_as_before(desk) -> None:
    pages, said = _pages(desk)
    assert said == CHINESE
    for name, html in pages.items():
        assert '<html lang="zh-hans">' in html, name
    expected = {
        "register": ['<label for="id_agency">受理机关:</label>'],
        "appeal, not ours": ["您的机关没有这个受理编号的申请"],
        "in progress": ["<td>张1（自然人）</td>", "<td>关于第1号事项的文件（大府办〔2025〕1号）</td>",
                        "<td>当面提交；提交 2025-03-03；收到申请之日 2025-03-03</td>", "<h2>答复期限：2025年3月31日",
                        "<li>名单.pdf（11\xa0字节）</li>",
                        '<li>受理回执：<a href="/desk/{0}/letters/receipt.docx">Word</a> · '
                        '<a href="/desk/{0}/letters/receipt.pdf">PDF</a></li>'.format(desk["open"].pk)],
        "awaiting confirmation": ["<td>平常信函；提交 2025-01-20；收到申请之日 待确认</td>"],
        "awaiting correction": ["<h1>DYX-2025-00003 · 待补正</h1>", "<h2>答复期限：待定",
                                # the history names actions, states and what was recorded
                                "<td>告知补正</td>", "<td>办理中 → 待补正</td>",
                                "<td>告知日期：2025-03-04<br>补正期限：2025-03-18<br>超过期限：否<br>答复期限：2025-03-12</td>"],
        "consulting": ["<td>征求意见</td>",
                       "<td>征求对象类型：征求第三方意见（第三十二条）<br>征求对象：某某公司<br>发出日期：2025-03-05</td>"],
        "closed": ["<td>（二）部分公开（区分处理的，只计这一情形，不计其他情形）（2025-03-10）<br>"
                   "涉及第三方商业秘密</td>"],
        "appeals": ["结果维持（2025-06-01）"],
        "inbox": ["<td>张1（自然人）</td>"],
    }
    for name, texts in expected.items():
        for text in texts:
            assert text in pages[name], (name, text)
    for name, html in pages.items():
        assert not re.search(r"\b(Registered|Reply due|Review or lawsuit|submitted|Individual)\b", html), name


def test_a_case_or_appeal_not_found_says_so_in_the_language(desk) -> None:
    from django.http import Http404
    from django.utils import translation

    from gongkai.cases import selectors

    for language, text in (("en", "This request does not exist, or you are not allowed to see it"),
                           (settings.LANGUAGE_CODE, "没有这件申请，或您无权查看")):
        with translation.override(language), pytest.raises(Http404, match=text):
            selectors.case_for(desk["clerk"], 999999)


def test_registering_by_the_language_cookie_says_the_tracking_number_in_english(desk) -> None:
    client = Client()
    client.force_login(desk["clerk"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/desk/new/", {**REGISTRATION, "agency": desk["office"].pk, "applicant_name": "李四",
                                      "id_document": "", "description": "大英县2024年财政预算"}, follow=True)
    assert messages_of(page) == ["Registered with tracking number DYX-2025-00006"]  # no earlier request of 李四
