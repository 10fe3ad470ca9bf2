"""The staff desk and the public request pages in a real headless Chromium (:mod:`tests.browserkit`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from tests.browserkit import MARKS, open_page
from tests.casekit import agency, staff

pytestmark = MARKS


@pytest.fixture
def clerk():
    """The data comes first: once Playwright runs, the test's context is not Django's thread any more."""
    office = agency("DYX", "大英县人民政府办公室")
    return staff("clerk", office, Role.HANDLER, Role.REGISTRAR)


@pytest.fixture
def page(clerk, live_server):
    yield from open_page()


def test_a_clerk_registers_a_request_asks_for_correction_and_reads_the_clock(page, live_server) -> None:
    page.goto(f"{live_server.url}/desk/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-clerk")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/")

    page.click("text=登记申请")
    page.select_option("#id_applicant_type", "natural_person")
    page.fill("#id_applicant_name", "赵六")
    page.fill("#id_id_document", "身份证 510900199001011234")
    page.fill("#id_description", "2024年村道硬化项目资金拨付文件")
    page.select_option("#id_channel", "in_person")
    received = timezone.localdate() - timedelta(days=3)
    page.fill("#id_submitted_on", received.isoformat())
    page.click("button:has-text('登记')")
    page.wait_for_selector("text=已登记，受理编号 DYX-")
    assert "答复期限" in page.inner_text("main")
    assert "收到申请（第三十一条），次日起算" in page.inner_text("ol.derivation")

    page.fill("#id_request_correction-requested_on", (received + timedelta(days=1)).isoformat())
    page.fill("#id_request_correction-items", "请写明文件名称或文号")
    page.fill("#id_request_correction-deadline", (received + timedelta(days=20)).isoformat())
    page.click("button:has-text('告知补正')")
    page.wait_for_selector("text=已告知补正")
    assert "待补正" in page.inner_text("h1")
    assert "答复期限：待收到补正后确定" in page.inner_text("ol.derivation")

    page.goto(f"{live_server.url}/desk/?state=awaiting_correction")
    assert "赵六" in page.inner_text("table")


def test_a_citizen_corrects_an_invalid_field_submits_and_finds_the_request(page, live_server) -> None:
    page.goto(f"{live_server.url}/")
    page.click("text=申请公开政府信息")
    page.select_option("#id_agency", label="大英县人民政府办公室")
    page.fill("#id_applicant_name", "钱七")
    page.fill("#id_id_document", "身份证 510900199001011234")
    page.fill("#id_phone", "电话号码")  # not a phone number
    page.fill("#id_description", "2025年城区道路改造工程的批准文件")
    page.select_option("#id_delivery_wanted", "自行领取")
    page.click("button:has-text('提交申请')")
    error = page.inner_text("#id_phone-error")
    assert "联系电话只能包含数字" in error
    assert page.input_value("#id_applicant_name") == "钱七"  # nothing typed is lost
    page.fill("#id_phone", "13800000000")
    page.click("button:has-text('提交申请')")
    page.wait_for_selector("#tracking-number")
    number = page.inner_text("#tracking-number")
    code = page.inner_text("#query-code")
    assert number.startswith("DYX-")

    page.click("text=查询办理进度")
    page.fill("#id_tracking_number", number)
    page.fill("#id_query_code", code)
    page.click("button:has-text('查询')")
    page.wait_for_selector(f"h2:has-text('{number}')")
    text = page.inner_text("main")
    assert "待确认收到" in text and "钱七" not in text


@pytest.fixture
def officer(clerk):
    """The clerk may also publish, and the office entered its yearly figures (第二部分)."""
    from gongkai.agencies.models import Agency, Membership
    from gongkai.catalogue.models import YearlyFigure

    office = Agency.objects.get(code="DYX")
    Membership.objects.create(user=clerk, agency=office, role=Role.APPROVER)
    YearlyFigure.objects.create(agency=office, year=2025, licensing_decisions=3, penalty_decisions=0,
                                coercion_decisions=0, fee_amount=0)
    return clerk


def test_an_officer_builds_fails_to_publish_a_broken_figure_corrects_and_publishes(officer, page,
                                                                                     live_server) -> None:
    page.goto(f"{live_server.url}/desk/annual/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-clerk")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/annual/")
    page.select_option("#id_agency", label="大英县人民政府办公室")
    page.fill("#id_year", "2025")
    page.click("button:has-text('用本系统数据生成草稿')")
    page.wait_for_selector("text=通过：没有违反任何规则")

    page.select_option("#cell", "t3_requests/new_requests/natural_person")
    page.fill("#value", "7")
    page.click("#save-cell")
    page.wait_for_selector("text=已修改")
    page.click("#publish")
    page.wait_for_selector("text=不能发布")
    assert "T3-1" in page.inner_text("ul.gate-errors")

    page.select_option("#cell", "t3_requests/new_requests/natural_person")
    page.fill("#value", "0")
    page.click("#save-cell")
    page.wait_for_selector("text=通过：没有违反任何规则")
    page.click("#publish")
    page.wait_for_selector("text=已发布")

    page.goto(f"{live_server.url}/reports/")
    page.click("text=2025年度报告")
    assert "政府信息公开工作年度报告" in page.title() or "政府信息公开" in page.inner_text("body")
    assert "收到和处理政府信息公开申请情况" in page.inner_text("body")
