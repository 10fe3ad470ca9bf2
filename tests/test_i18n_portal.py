"""The public pages in English: nothing Chinese is left but the data (agency names, titles, texts);
and in Chinese (the default) they read as before, dates as 2026年3月2日."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from gongkai.agencies.models import Agency, Role
from gongkai.annual import services as annual
from gongkai.cases import online, workflow
from gongkai.catalogue.models import CatalogueNode, Topic
from tests.casekit import agency, staff
from tests.catalogkit import normative, published

pytestmark = [pytest.mark.db, pytest.mark.django_db]

HAN = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_DATE = re.compile(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October"
                          r"|November|December) \d{4}\b")
APPLICATION = {"applicant_type": "natural_person", "applicant_name": "王小明",
               "id_document": "身份证 510900199001011234", "phone": "13800000000", "email": "wang@example.invalid",
               "description": "2025年县城污水处理厂建设项目环评批复", "form_wanted": "电子文档",
               "delivery_wanted": "电子邮件"}


@pytest.fixture
def county() -> dict:
    office = agency("DYX", "大英县人民政府办公室")
    Agency.objects.filter(pk=office.pk).update(office_name="大英县人民政府办公室政务公开科",
                                               office_address="大英县蓬莱镇大英大道1号")
    office.refresh_from_db()
    clerk = staff("clerk", office, Role.HANDLER, Role.REGISTRAR)
    head = staff("head", office, Role.APPROVER)
    topic = Topic.objects.create(code="ZW", name="综合政务")
    policies = CatalogueNode.objects.create(agency=office, name="政策文件", code="ZC", article20_item=1)
    county_docs = CatalogueNode.objects.create(agency=office, name="县政府文件", parent=policies)
    norm = normative(office, clerk, head, "大英县行政规范性文件管理办法", date(2026, 2, 27), date(2026, 3, 2),
                     "大府办发〔2026〕3号", node=county_docs, topic=topic, genre="notice",
                     effective_from=date(2026, 4, 1), summary="规范性文件的制定和备案",
                     body="<p>第一条 为加强规范性文件管理。</p>")
    reading = published(office, clerk, head, "《大英县行政规范性文件管理办法》政策解读", date(2026, 3, 4),
                        "<p>解读：规范性文件的制定程序。</p>", interprets=norm)
    draft = annual.create_draft(office, 2025, clerk)
    for key in draft.report.missing_cells():
        draft = annual.set_cell(draft, clerk, *key, "0")
    annual.publish(draft, head)
    done = online.submit(office, "1.2.3.4", **APPLICATION)
    workflow.confirm_receipt(done.case, clerk, done.case.submitted_on)
    data = [office.name, office.office_name, office.office_address, topic.name, policies.name, county_docs.name,
            norm.title, norm.document_number, norm.summary, reading.title, "第一条 为加强规范性文件管理。",
            "解读：规范性文件的制定程序。", *(APPLICATION[k] for k in ("applicant_name", "id_document", "description"))]
    return {"office": office, "norm": norm, "reading": reading, "case": done.case, "code": done.query_code,
            "data": data}


def _without_data(html: str, data: list[str]) -> str:
    """The page less what was put in: the data strings, search highlights and snippets (passages of a
    body), and the stored codes of the request form's choices (value="纸质": what the option sends)."""
    html = re.sub(r"</?mark>", "", html)
    html = re.sub(r'<p class="snippet">.*?</p>', "", html, flags=re.S)
    html = re.sub(r'<option value="[^"]*"', "<option", html)
    for text in sorted(data, key=len, reverse=True):
        html = html.replace(text, "")
    return html


def _public_pages(client: Client, county: dict) -> dict[str, str]:
    office, norm = county["office"], county["norm"]
    pages = {path: client.get(path) for path in (
        "/", f"/guide/{office.code}/", "/catalogue/", f"/catalogue/{office.code}/", "/items/",
        f"/items/?agency={office.code}&node={norm.node_id}", "/search/?q=规范性文件", f"/items/{norm.index_number}/",
        f"/items/{county['reading'].index_number}/", "/apply/", "/status/", "/reports/")}
    pages["/status/ (found)"] = client.post("/status/", {"tracking_number": county["case"].tracking_number,
                                                        "query_code": county["code"]})
    pages["/status/ (not found)"] = client.post("/status/", {"tracking_number": county["case"].tracking_number,
                                                            "query_code": "00000000"})
    pages["/apply/ (errors)"] = client.post("/apply/", {**APPLICATION, "agency": office.pk, "email": "x",
                                                       "phone": "", "postcode": "12"})
    pages["/apply/submitted/"] = client.post("/apply/", {**APPLICATION, "agency": office.pk}, follow=True)
    for path, response in pages.items():
        assert response.status_code in (200, 400), path
    return {path: response.content.decode() for path, response in pages.items()}


def test_the_public_pages_in_english_have_no_chinese_but_the_data(county) -> None:
    pages = _public_pages(Client(headers={"accept-language": "en"}), county)
    for path, html in pages.items():
        assert '<html lang="en">' in html, path
        rest = _without_data(html, county["data"] + ["规范性文件"])  # the search words, shown in the form
        left = {m.group() for m in re.finditer(r"[^\s<>\"]*[\u4e00-\u9fff][^\s<>\"]*", rest)}
        assert not HAN.search(rest), (path, sorted(left))

    assert "<h1>Government Information Disclosure Catalogue</h1>" in pages["/catalogue/"]
    assert "Government Information Disclosure Guide" in pages["/"]
    assert "Disclosure on request" in pages[f"/guide/{county['office'].code}/"]
    item = pages[f"/items/{county['norm'].index_number}/"]
    for english in ('<nav class="crumbs" aria-label="You are here">', "<dt>Index number</dt>", "<dt>Validity</dt>",
                    "<dt>Effective date</dt>", '<h2 id="body-heading">Full text</h2>', "Policy interpretations"):
        assert english in item, english
    assert '>2 March 2026</time>' in item and "(4 March 2026)" in item
    assert "This is a policy interpretation of <a" in pages[f"/items/{county['reading'].index_number}/"]
    assert ENGLISH_DATE.search(pages["/status/ (found)"])
    assert "Receipt confirmed" in pages["/status/ (found)"] and "Reply due" in pages["/status/ (found)"]
    assert "The tracking number or lookup code is not correct" in pages["/status/ (not found)"]
    assert "This is not a valid email address" in pages["/apply/ (errors)"]
    assert 'id="tracking-number">' in pages["/apply/submitted/"] and "Lookup code:" in pages["/apply/submitted/"]
    assert "2025 annual report" in pages["/reports/"]
    assert "(2 items)" in pages["/catalogue/"]


def test_the_public_pages_in_chinese_read_as_before(county) -> None:
    pages = _public_pages(Client(), county)
    for path, html in pages.items():
        assert '<html lang="zh-hans">' in html, path
    item = pages[f"/items/{county['norm'].index_number}/"]
    for chinese in ("<dt>索引号</dt>", "<dt>有效性</dt>", "<dt>施行日期</dt><dd>2026年4月1日</dd>",
                    '<h2 id="body-heading">正文</h2>', '>2026年3月2日</time>', "（2026年3月4日）"):
        assert chinese in item, chinese
    assert "本文是对<a" in pages[f"/items/{county['reading'].index_number}/"]
    assert "<h1>政府信息公开目录</h1>" in pages["/catalogue/"] and "（2条）" in pages["/catalogue/"]
    assert re.search(r"<dt>提交日期</dt><dd>\d{4}年\d{1,2}月\d{1,2}日</dd>", pages["/status/ (found)"])
    assert "确认收到" in pages["/status/ (found)"]
    assert "受理编号或查询码不对" in pages["/status/ (not found)"]
    assert "二、依申请公开" in pages[f"/guide/{county['office'].code}/"]
    assert "2025年度报告" in pages["/reports/"]
    for path, html in pages.items():
        assert not ENGLISH_DATE.search(html), path


def test_the_supervision_dashboard_and_its_export_in_english() -> None:
    import io

    import openpyxl

    from tests.casekit import request

    county = agency("XZF", "示范县人民政府")
    late = agency("XZF-A", "示范县甲局", parent=county)
    request(late, staff("clerk", late, Role.HANDLER), date(2025, 2, 24))  # long overdue
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff("sup", county, Role.SUPERVISOR))
    html = client.get("/desk/supervision/?year=2024").content.decode()
    for english in ("Supervision of government information disclosure, 2024", "Annual report not published",
                    "1 request overdue without a reply", 'name: "New requests"', 'name: "Cases"'):
        assert english in html, english
    rest = _without_data(html, [county.name, late.name])
    assert not HAN.search(rest), sorted(set(HAN.findall(rest)))
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/desk/supervision/?year=2024&format=xlsx").content)).active
    assert sheet.title == "Year 2024"
    assert [c.value for c in sheet[1]][:4] == ["Agency code", "Agency", "Annual report", "Published on time"]
    assert sheet["C3"].value == "Not published" and sheet["U3"].value == "Annual report not published; " \
        "1 request overdue without a reply"
