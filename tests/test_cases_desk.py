"""The staff desk over HTTP: who sees what, the case page's clock, actions and their refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gongkai.agencies.models import Membership, Role
from gongkai.cases.models import Case, State
from tests.casekit import agency, logged_in, paused_case, request, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def two_agencies():
    county = agency("XZF", "某县人民政府")
    a = agency("AAA", "某县教育局", parent=county)
    b = agency("BBB", "某县自然资源局", parent=county)
    alice = staff("alice", a, Role.HANDLER)
    bob = staff("bob", b, Role.HANDLER)
    case_a = request(a, alice, date(2025, 3, 3), n=1, applicant_name="王小明", id_document="身份证 510900199001011234")
    case_b = request(b, bob, date(2025, 3, 3), n=2, applicant_name="李秘密", id_document="身份证 510900198802025678")
    return {"county": county, "a": a, "b": b, "alice": alice, "bob": bob, "case_a": case_a, "case_b": case_b}


def test_a_handler_lists_and_opens_only_their_agencys_cases(two_agencies) -> None:
    t = two_agencies
    alice = logged_in(t["alice"])
    inbox = alice.get("/desk/").content.decode()
    assert t["case_a"].tracking_number in inbox and "王小明" in inbox
    assert t["case_b"].tracking_number not in inbox and "李秘密" not in inbox
    assert alice.get(f"/desk/{t['case_b'].pk}/").status_code == 404
    assert alice.get(f"/desk/?q={t['case_b'].tracking_number}").content.decode().count("李秘密") == 0
    page = alice.get(f"/desk/{t['case_a'].pk}/").content.decode()
    assert "510900199001011234" in page


def test_nobody_acts_on_another_agencys_case(two_agencies) -> None:
    t = two_agencies
    response = logged_in(t["alice"]).post(f"/desk/{t['case_b'].pk}/decide/", {
        "decide-outcome": "disclosed", "decide-decided_on": "2025-03-10"})
    assert response.status_code == 404
    t["case_b"].refresh_from_db()
    assert t["case_b"].state == State.IN_PROGRESS


def test_a_supervisor_of_the_county_sees_no_applicant_on_the_desk(two_agencies) -> None:
    t = two_agencies
    sup = staff("sup", t["county"], Role.SUPERVISOR)
    c = logged_in(sup)
    inbox = c.get("/desk/").content.decode()
    assert "王小明" not in inbox and "李秘密" not in inbox
    assert c.get(f"/desk/{t['case_a'].pk}/").status_code == 404


def test_the_public_sees_nothing(two_agencies) -> None:
    t = two_agencies
    public = Client()
    for url in ("/desk/", f"/desk/{t['case_a'].pk}/", "/desk/new/"):
        response = public.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = public.post(f"/desk/{t['case_a'].pk}/decide/", {"decide-outcome": "disclosed"})
    assert response.status_code == 302
    assert Case.objects.get(pk=t["case_a"].pk).state == State.IN_PROGRESS


def test_losing_the_role_closes_the_door(two_agencies) -> None:
    t = two_agencies
    Membership.objects.filter(user=t["alice"]).delete()
    assert logged_in(t["alice"]).get(f"/desk/{t['case_a'].pk}/").status_code == 404


def test_the_case_page_explains_its_due_date_word_for_word(two_agencies) -> None:
    t = two_agencies
    a, alice = t["a"], t["alice"]
    head = staff("head", a, Role.APPROVER)
    case = paused_case(a, alice, head)
    page = logged_in(alice).get(f"/desk/{case.pk}/").content.decode()
    lines = [
        "2025年1月20日 收到申请（第三十一条），次日起算",
        "2025年1月22日 一次性告知申请人补正（第三十条，应在收到申请之日起7个工作日内，即不晚于2025年2月5日）",
        "2025年2月6日 收到补正后的申请，答复期限自该日重新计算，次日起算（第三十条）",
        "依第三十三条第二款，应在20个工作日内答复",
        "2025年2月8日（星期六）调休上班，计入",
        "2025年2月10日 向第三方发出征求意见函，至2月14日 收到意见，期间4个工作日不计入（第三十二条、第三十三条第三款）",
        "2025年2月20日 经政府信息公开工作机构负责人同意并告知申请人，延长20个工作日（第三十三条第二款），"
        "共计40个工作日",
        "2025年4月4日至4月6日 清明放假，不计",
        "答复期限：2025年4月9日（星期三）",
    ]
    derivation = page.split('<ol class="derivation">')[1].split("</ol>")[0]
    shown = [li.split("</li>")[0] for li in derivation.split("<li>")[1:]]
    assert shown == lines


def test_a_refused_action_shows_why(two_agencies) -> None:
    t = two_agencies
    c = logged_in(t["alice"])
    response = c.post(f"/desk/{t['case_a'].pk}/extend/", {
        "extend-working_days": "20", "extend-approved_on": "2025-03-20", "extend-reason": "复杂"}, follow=True)
    assert "您在本机关没有审核人（工作机构负责人）岗位，不能同意延期答复" in response.content.decode()
    response = c.post(f"/desk/{t['case_a'].pk}/decide/", {"decide-outcome": "disclosed", "decide-decided_on": "垃圾"},
                      follow=True)
    assert "答复：答复日期 输入一个有效的日期。" in response.content.decode()


def test_registration_through_the_form(two_agencies) -> None:
    t = two_agencies
    c = logged_in(t["alice"])
    response = c.post("/desk/new/", {
        "agency": t["a"].pk, "applicant_type": "commercial_enterprise", "applicant_name": "某某有限公司",
        "id_document": "91510900MA000000XX", "description": "2024年学校建设项目招标文件", "channel": "online",
        "submitted_on": "2025-03-01"}, follow=True)
    case = Case.objects.get(applicant_name="某某有限公司")
    assert case.state == State.AWAITING_CONFIRMATION and case.received_on is None
    assert f"已登记，受理编号 {case.tracking_number}" in response.content.decode()
    response = c.post("/desk/new/", {"agency": t["b"].pk, "applicant_type": "natural_person",
                                     "applicant_name": "x", "description": "y", "channel": "in_person",
                                     "submitted_on": "2025-03-01"})
    assert "选择一个有效的选项" in response.content.decode()


def test_attachments_are_type_and_size_checked_and_stored(two_agencies, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.cases.forms import MAX_ATTACHMENT_BYTES
    from gongkai.cases.models import CaseEvent

    settings.MEDIA_ROOT = tmp_path
    t = two_agencies
    c = logged_in(t["alice"])
    url = f"/desk/{t['case_a'].pk}/attach/"
    response = c.post(url, {"attach-file": SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test", "application/pdf")},
                      follow=True)
    assert "已添加附件" in response.content.decode()
    stored = t["case_a"].attachments.get()
    assert (stored.name, stored.size) == ("申请书.pdf", 13)
    assert stored.file.read() == b"%PDF-1.4 test"
    assert CaseEvent.objects.filter(case=t["case_a"], action="attach").count() == 1
    response = c.post(url, {"attach-file": SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")},
                      follow=True)
    assert "不支持这种文件类型（.exe）" in response.content.decode()
    big = SimpleUploadedFile("big.pdf", b"0" * (MAX_ATTACHMENT_BYTES + 1), "application/pdf")
    response = c.post(url, {"attach-file": big}, follow=True)
    assert "文件过大（20.0 MB），上限为 20 MB" in response.content.decode()
    assert t["case_a"].attachments.count() == 1


def test_assigning_a_handler_from_the_case_page(two_agencies) -> None:
    t = two_agencies
    carol = staff("carol", t["a"], Role.HANDLER)
    c = logged_in(t["alice"])
    page = c.get(f"/desk/{t['case_a'].pk}/").content.decode()
    assert ">carol<" in page and ">bob<" not in page  # only the agency's handlers are offered
    c.post(f"/desk/{t['case_a'].pk}/assign/", {"assign-handler": carol.pk})
    t["case_a"].refresh_from_db()
    assert t["case_a"].handler == carol
    assert t["case_a"].events.filter(action="assign").exists()
    response = c.post(f"/desk/{t['case_a'].pk}/assign/", {"assign-handler": t["bob"].pk}, follow=True)
    assert "选择一个有效的选项" in response.content.decode()


def test_appeals_are_recorded_and_decided_on_the_desk(two_agencies) -> None:
    from gongkai.cases.models import Appeal

    t = two_agencies
    c = logged_in(t["alice"])
    response = c.post("/desk/appeals/", {"agency": t["a"].pk, "route": "review", "filed_on": "2025-04-01",
                                         "tracking_number": t["case_b"].tracking_number}, follow=True)
    assert "您的机关没有这个受理编号的申请" in response.content.decode()  # another agency's case
    response = c.post("/desk/appeals/", {"agency": t["a"].pk, "route": "review", "filed_on": "2025-04-01",
                                         "tracking_number": t["case_a"].tracking_number,
                                         "reference": "遂府复〔2025〕3号"}, follow=True)
    assert "已登记" in response.content.decode()
    appeal = Appeal.objects.get()
    assert (appeal.case, appeal.result) == (t["case_a"], "pending")
    c.post(f"/desk/appeals/{appeal.pk}/result/", {f"a{appeal.pk}-result": "corrected",
                                                   f"a{appeal.pk}-decided_on": "2025-06-01"})
    appeal.refresh_from_db()
    assert (appeal.result, str(appeal.decided_on)) == ("corrected", "2025-06-01")
    assert logged_in(t["bob"]).post(f"/desk/appeals/{appeal.pk}/result/", {}).status_code == 404
    assert "遂府复〔2025〕3号" not in logged_in(t["bob"]).get("/desk/appeals/").content.decode()
