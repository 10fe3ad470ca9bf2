"""The public request form and status lookup: validation, escaping, CSRF, throttling, privacy."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.cases import online, workflow
from gongkai.cases.models import Case, State
from tests.casekit import agency, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]

GOOD = {"applicant_type": "natural_person", "applicant_name": "王小明", "id_document": "身份证 510900199001011234",
        "phone": "13800000000", "email": "wang@example.invalid", "description": "2024年县城污水处理厂建设项目环评批复",
        "form_wanted": "电子文档", "delivery_wanted": "电子邮件"}


@pytest.fixture
def office():
    return agency("DYX", "大英县人民政府办公室")


def _apply(client: Client, office, **changes: str):
    data = {**GOOD, "agency": office.pk, **changes}
    return client.post("/apply/", data, follow=True)


def test_a_citizen_corrects_a_field_submits_and_follows_the_request(office) -> None:
    client = Client()
    response = _apply(client, office, email="不是邮箱")
    assert response.status_code == 400
    assert "电子邮箱格式不对，例如 name@example.com" in response.content.decode()
    assert Case.objects.count() == 0
    response = _apply(client, office)
    page = response.content.decode()
    number = re.search(r'id="tracking-number">([^<]+)<', page).group(1)
    code = re.search(r'id="query-code">([^<]+)<', page).group(1)
    case = Case.objects.get()
    assert (case.tracking_number, case.state, case.channel, case.received_on) == (
        number, State.AWAITING_CONFIRMATION, "online", None)
    assert code not in case.query_code_hash
    assert mail.outbox[0].to == ["wang@example.invalid"] and code in mail.outbox[0].body
    assert client.get("/apply/submitted/").status_code == 302  # shown once

    status = client.post("/status/", {"tracking_number": number, "query_code": code}).content.decode()
    assert "待确认收到" in status and "大英县人民政府办公室" in status
    assert "王小明" not in status and "510900199001011234" not in status and "13800000000" not in status

    clerk = staff("clerk", office, Role.REGISTRAR, Role.HANDLER)
    workflow.confirm_receipt(case, clerk, case.submitted_on)
    status = client.post("/status/", {"tracking_number": number, "query_code": code.lower()}).content.decode()
    assert "办理中" in status and "答复期限" in status and "确认收到" in status
    assert "clerk" not in status


def test_the_lookup_needs_the_right_code_and_says_nothing_else(office) -> None:
    done = online.submit(office, "1.2.3.4", **{k: v for k, v in GOOD.items()})
    client = Client()
    page = client.post("/status/", {"tracking_number": done.case.tracking_number, "query_code": "00000000"})
    text = page.content.decode()
    assert "受理编号或查询码不对" in text and "待确认收到" not in text
    text = client.post("/status/", {"tracking_number": "DYX-2099-99999", "query_code": done.query_code}) \
        .content.decode()
    assert "受理编号或查询码不对" in text


def test_markup_is_stored_as_text_and_shown_escaped(office) -> None:
    _apply(Client(), office, description="<script>alert('x')</script>关于某文件", applicant_name="<b>张三</b>")
    case = Case.objects.get()
    assert case.description == "<script>alert('x')</script>关于某文件"
    clerk = staff("clerk", office, Role.HANDLER)
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/desk/{case.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;张三&lt;/b&gt;" in page


def test_csrf_is_enforced(office) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/apply/", {**GOOD, "agency": office.pk}).status_code == 403
    assert Case.objects.count() == 0


def test_one_address_may_submit_five_requests_an_hour(office) -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    for i in range(5):
        _apply(client, office, description=f"第{i}号文件的批复内容")
    response = _apply(client, office, description="第六件申请的内容")
    assert "同一地址每小时最多提交5件申请" in response.content.decode()
    assert Case.objects.count() == 5
    assert _apply(Client(REMOTE_ADDR="10.0.0.10"), office).status_code == 200
    assert Case.objects.count() == 6


def test_contact_and_delivery_must_fit(office) -> None:
    page = _apply(Client(), office, phone="", email="", delivery_wanted="自行领取").content.decode()
    assert "请至少留下一种联系方式：电话、电子邮箱或通信地址（第二十九条）" in page
    page = _apply(Client(), office, delivery_wanted="邮寄").content.decode()
    assert "选择“邮寄”获取时，请填写通信地址" in page
    page = _apply(Client(), office, description="文件").content.decode()
    assert "至少5个字" in page


def test_the_guide_lists_the_office(office) -> None:
    office.office_name = "政务公开办"
    office.phone = "0825-1234567"
    office.save()
    page = Client().get("/guide/DYX/").content.decode()
    assert "大英县人民政府办公室政府信息公开指南" in page and "政务公开办" in page and "0825-1234567" in page
    assert Client().get("/guide/NOPE/").status_code == 404
