"""The catalogue in a real headless Chromium (Debian's ``chromium``, driven by Playwright): a reader
searches and opens a result; a reviewer publishes an item and it then appears in search.  See :mod:`tests.browserkit`.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.agencies.models import Role
from gongkai.catalogue import services
from tests.browserkit import MARKS, open_page
from tests.casekit import agency, staff
from tests.catalogkit import draft, normative, published

pytestmark = MARKS


@pytest.fixture
def catalogue():
    """The data comes first: once Playwright runs, the test's context is not Django's thread any more."""
    office = agency("DYX", "大英县人民政府办公室")
    clerk = staff("clerk", office, Role.HANDLER)
    head = staff("head", office, Role.APPROVER)
    norm = normative(office, clerk, head, "大英县行政规范性文件管理办法", date(2025, 3, 1), date(2025, 3, 3),
                     "大府办发〔2025〕3号", body="<p>第一条 为加强行政规范性文件管理，制定本办法。</p>")
    published(office, clerk, head, "关于春季森林防火的通告", date(2025, 3, 5), "<p>禁止野外用火。</p>")
    waiting = draft(office, clerk, "大英县城区停车收费标准", "<p>城区道路临时停车收费标准如下。</p>")
    services.submit_for_review(waiting, clerk)
    return {"norm": norm, "waiting": waiting}


@pytest.fixture
def page(catalogue, live_server):
    yield from open_page()


def test_a_reader_searches_for_normative_documents_and_opens_a_result(page, live_server, catalogue) -> None:
    page.goto(f"{live_server.url}/")
    page.click("text=检索政府信息")
    page.get_by_label("关键词").fill("规范性文件")
    page.click("button:has-text('检索')")
    page.wait_for_selector("ol.results")
    results = page.inner_text("ol.results")
    assert "大英县行政规范性文件管理办法" in results and "森林防火" not in results
    assert page.locator("ol.results mark").count() >= 1
    page.click("ol.results a:has-text('管理办法')")
    page.wait_for_selector("#item-title")
    assert page.inner_text("#item-title") == "大英县行政规范性文件管理办法"
    assert page.inner_text("#index-number") == catalogue["norm"].index_number
    assert page.inner_text("#validity") == "有效"
    assert "大府办发〔2025〕3号" in page.inner_text("dl.metadata")
    assert "为加强行政规范性文件管理" in page.inner_text("main")


def test_a_reviewer_publishes_an_item_and_it_then_appears_in_search(page, live_server, catalogue) -> None:
    page.goto(f"{live_server.url}/search/?q=停车收费")
    assert "没有找到相关信息" in page.inner_text("main")

    page.goto(f"{live_server.url}/desk/catalogue/")
    page.fill("#id_username", "head")
    page.fill("#id_password", "pw-head")
    page.click("button[type=submit]")
    page.wait_for_url("**/desk/catalogue/")
    page.click("text=大英县城区停车收费标准")
    assert page.inner_text("#state") == "待审核"
    page.click("#publish")
    page.wait_for_selector("text=已发布，索引号 DYX-")
    assert page.inner_text("#state") == "已发布"

    page.goto(f"{live_server.url}/search/")
    page.get_by_label("关键词").fill("停车收费")
    page.click("button:has-text('检索')")
    page.wait_for_selector("ol.results a")
    page.click("ol.results a:has-text('停车')")
    page.wait_for_selector("#item-title")
    assert page.inner_text("#item-title") == "大英县城区停车收费标准"
