"""The catalogue desk in English: its pages (the list with its warnings, an item in each state, the
repeal form, the yearly figures and their import) and the messages of its actions hold no Chinese
but the data (agency names, titles, texts); in Chinese (the default) they read as before."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from gongkai.agencies.models import Role
from gongkai.catalogue import figures, services
from gongkai.catalogue.models import CatalogueNode, Topic
from tests.casekit import agency, staff
from tests.catalogkit import draft, normative, published
from tests.test_i18n_portal import HAN, _without_data

pytestmark = [pytest.mark.db, pytest.mark.django_db]

IMPORT = "年度,行政许可处理决定数量,行政处罚处理决定数量\n2025,12,-5\n2024,3,4\n"
LICENSING = ("行政许可处理决定数量", "Administrative licensing decisions")


@pytest.fixture
def desk() -> dict:
    """An office with an item in every state: a draft (with an attachment, lacking what a 规范性文件
    needs, its 第二十六条 date long past), one awaiting review, a published normative document
    without an interpretation (published late), a repealed one and a withdrawn one; and yearly
    figures entered twice."""
    office = agency("DYX", "大英县人民政府办公室")
    clerk = staff("clerk", office, Role.HANDLER, Role.REGISTRAR)
    head = staff("head", office, Role.APPROVER)
    topic = Topic.objects.create(code="ZW", name="综合政务")
    node = CatalogueNode.objects.create(agency=office, name="政策文件", code="ZC", article20_item=1)
    norm = normative(office, clerk, head, "大英县城乡居民医疗救助办法", date(2025, 3, 3), date(2025, 3, 10),
                     "大府规〔2025〕1号", node=node, topic=topic, summary="医疗救助的对象和标准",
                     body="<p>第一条 为保障困难群众基本医疗。</p>", formed_or_changed_on=date(2025, 1, 2))
    repealed = normative(office, clerk, head, "大英县殡葬管理办法", date(2024, 1, 5), date(2024, 1, 10),
                         "大府规〔2024〕2号", body="<p>殡葬管理。</p>")
    services.repeal(repealed, head, date(2025, 7, 1), "大府规〔2025〕3号")
    withdrawn = published(office, clerk, head, "大英县2025年春节值班安排", date(2025, 1, 20), "<p>值班表。</p>")
    services.withdraw(withdrawn, head, "日期有误", date(2025, 1, 21))
    waiting = draft(office, clerk, "大英县城区停车收费标准", "<p>收费标准。</p>")
    services.submit_for_review(waiting, clerk)
    unfinished = draft(office, clerk, "关于加强农村饮水安全管理的通知", "<p>农村饮水。</p>", kind="normative_document",
                       formed_or_changed_on=date(2025, 2, 3))
    services.attach(unfinished, clerk, SimpleUploadedFile("名单.pdf", b"%PDF-1.4 ok", "application/pdf"))
    figures.save_figures(office, 2025, clerk, {"licensing_decisions": "12", "penalty_decisions": "5"})
    figures.save_figures(office, 2025, clerk, {"penalty_decisions": "", "fee_amount": "1.5"})
    data = [office.name, topic.name, node.name, "名单.pdf", "日期有误", "大府规〔2025〕3号", "医疗救助的对象和标准",
            "第一条 为保障困难群众基本医疗。", "殡葬管理。", "值班表。", "收费标准。", "农村饮水。",
            *(i.title for i in (norm, repealed, withdrawn, waiting, unfinished)),
            *(i.document_number for i in (norm, repealed))]
    return {"office": office, "clerk": clerk, "head": head, "norm": norm, "repealed": repealed,
            "withdrawn": withdrawn, "waiting": waiting, "unfinished": unfinished, "data": data}


def _clients(desk: dict, **kwargs) -> tuple[Client, Client]:
    clerk, head = Client(**kwargs), Client(**kwargs)
    clerk.force_login(desk["clerk"])
    head.force_login(desk["head"])
    return clerk, head


def _desk_pages(desk: dict, **kwargs) -> dict[str, str]:
    clerk, head = _clients(desk, **kwargs)
    item = "/desk/catalogue/{}/".format
    pages = {
        "index": clerk.get("/desk/catalogue/"),
        "new": clerk.get("/desk/catalogue/new/"),
        "draft": clerk.get(item(desk["unfinished"].pk)),
        "in review": head.get(item(desk["waiting"].pk)),
        "published": head.get(item(desk["norm"].pk)),
        "repealed": head.get(item(desk["repealed"].pk)),
        "withdrawn": clerk.get(item(desk["withdrawn"].pk)),
        "figures": clerk.get("/desk/catalogue/figures/"),
        "figures 2025": clerk.get("/desk/catalogue/figures/DYX/2025/"),
        "figures 2020": clerk.get("/desk/catalogue/figures/DYX/2020/"),
        "figures 2018": clerk.get("/desk/catalogue/figures/DYX/2018/"),
        # what the actions answer
        "submit, incomplete": clerk.post(item(desk["unfinished"].pk) + "submit/", follow=True),
        "publish, no role": clerk.post(item(desk["waiting"].pk) + "publish/", follow=True),
        "repeal, wrong state": head.post(item(desk["waiting"].pk) + "repeal/", follow=True),
        "withdraw, no reason": head.post(item(desk["norm"].pk) + "withdraw/", follow=True),
        "repeal, no basis": head.post(item(desk["norm"].pk) + "repeal/", {"repealed_on": "2025-07-01"}),
        "attach, wrong type": clerk.post(item(desk["unfinished"].pk) + "attach/",
                                         {"file": SimpleUploadedFile("run.exe", b"MZ")}, follow=True),
        "figures saved": clerk.post("/desk/catalogue/figures/DYX/2025/", {
            "licensing_decisions": "13", "penalty_decisions": "", "coercion_decisions": "", "fee_amount": "1.5"},
            follow=True),
        "figures import": clerk.post("/desk/catalogue/figures/import/", {
            "agency": desk["office"].pk, "file": SimpleUploadedFile("figures.csv", IMPORT.encode())}),
    }
    # the import template has the columns in the page's language, and a file with them is read
    template = clerk.get("/desk/catalogue/figures/template.csv").content.decode("utf-8-sig")
    columns = template.splitlines()[0].split(",")
    row = ",".join(["2023", *("1" if c in LICENSING else "" for c in columns[1:])])
    pages["figures import (template)"] = clerk.post("/desk/catalogue/figures/import/", {
        "agency": desk["office"].pk, "file": SimpleUploadedFile("template.csv", f"{template}{row}\n".encode())})
    for path, response in pages.items():
        assert response.status_code in (200, 400), path
    return {path: response.content.decode() for path, response in pages.items()}


def test_the_catalogue_desk_in_english_has_no_chinese_but_the_data(desk) -> None:
    pages = _desk_pages(desk, headers={"accept-language": "en"})
    data = desk["data"] + [IMPORT.split(",", 1)[0]]
    for path, html in pages.items():
        assert '<html lang="en">' in html, path
        rest = _without_data(html, data)
        left = {m.group() for m in re.finditer(r"[^\s<>\"]*[\u4e00-\u9fff][^\s<>\"]*", rest)}
        assert not HAN.search(rest), (path, sorted(left))

    index = pages["index"]
    for english in ("<h1>Proactively disclosed information</h1>", "Draft a new item", "Needs attention (3)",
                    "has no published policy interpretation yet", "(Article 26) and is overdue",
                    "but was published on 10 March 2025", 'aria-label="Filter by status"',
                    '<th scope="col">Index number</th>'):
        assert english in index, english
    assert 'Status: <strong id="state">Draft</strong>' in pages["draft"]
    for english in ("Submit for review", "Upload an attachment (PDF, OFD, Word, Excel, WPS, image, text, ZIP)",
                    '<h2 id="edit-heading">Edit the draft</h2>', "Save changes",
                    '<h2 id="log-heading">History</h2>'):
        assert english in pages["draft"], english
    assert re.search(r"名单\.pdf \(\d+\sbytes\)", pages["draft"])
    assert '<h2 id="attachments-heading">Attachments</h2>' in pages["draft"]
    for english in ('<h3 id="repeal-heading">Repeal</h3>', 'id="repeal">Repeal</button>', "Reason for withdrawal",
                    "<h2 id=\"actions-heading\">Actions</h2>", "Publication date: 2025-03-10", "Review and publish"):
        assert english in pages["published"], english
    assert "Repeal: 2025-07-01 (大府规〔2025〕3号)" in pages["repealed"]
    assert "<dt>Date repealed</dt><dd>2025-07-01</dd>" in pages["repealed"]
    assert "Edit again" in pages["withdrawn"] and "Withdraw: 日期有误" in pages["withdrawn"]
    assert "Date withdrawn: 2025-01-21" in pages["withdrawn"]
    assert "Reason for returning" in pages["in review"] and "Return for changes" in pages["in review"]
    assert "<h1>Draft an item for proactive disclosure</h1>" in pages["new"]
    assert ("“关于加强农村饮水安全管理的通知” cannot be submitted for review or published until these are filled in: "
            "document number, date issued") in pages["submit, incomplete"]
    assert ("You cannot review and publish items, as you hold none of the roles in this agency that allow it; "
            "please ask an administrator to assign you one of them: Reviewer (head of disclosure office)"
            ) in pages["publish, no role"]
    assert ("“大英县城区停车收费标准” is “Awaiting review”, so “Repeal” is not possible (only for items that are "
            "“Published”)") in pages["repeal, wrong state"].replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert "Please give a reason" in pages["withdraw, no reason"]
    assert "The file type of attachment “run.exe” is not allowed; you can upload: " in pages["attach, wrong type"]

    listing = pages["figures"]
    assert "so this agency enters them year by year. Leave a figure blank" in listing
    assert "with one row per year. Blank cells leave" in listing
    assert "Report format: " in pages["figures 2025"] and "Report format: " in pages["figures 2020"]
    assert re.search(r"Entry: [^<]*→ 12; [^<]*→ 5</li>", pages["figures 2025"])
    assert re.search(r"Change: [^<]*5 → not entered; [^<]*not entered → 1\.5</li>", pages["figures 2025"])
    assert "figures changed: 1" in pages["figures saved"]
    report = pages["figures import"]
    assert "2 rows: 1 imported, 1 not imported" in report and "Row 2 (Year 2025): " in report
    assert "Row 3: 2024, figures changed: 2" in report
    assert "1 row: 1 imported, 0 not imported" in pages["figures import (template)"]


def test_the_catalogue_desk_in_chinese_reads_as_before(desk) -> None:
    pages = _desk_pages(desk)
    for path, html in pages.items():
        assert '<html lang="zh-hans">' in html, path
    expected = {
        "index": ["<h1>主动公开信息</h1>", "起草新信息", "需要注意（3）", "尚未发布政策解读", "（第二十六条），已逾期",
                  "实际2025年03月10日发布", 'aria-label="按状态筛选"', '<th scope="col">索引号</th>'],
        "new": ["<h1>起草主动公开信息</h1>", "保存草稿", "公开机关"],
        "draft": ['状态：<strong id="state">草稿</strong> · 机关：大英县人民政府办公室', "提交审核",
                  "上传附件（PDF、OFD、Word、Excel、WPS、图片、文本、ZIP）", "修改草稿", "保存修改", "名单.pdf（",
                  "<h2 id=\"log-heading\">操作记录</h2>", " 起草</li>", " 添加附件</li>"],
        "in review": ["审核发布", "退回原因", "退回修改", " 提交审核</li>"],
        "published": ['<h3 id="repeal-heading">废止</h3>', 'id="repeal">废止</button>', "撤回原因",
                      "废止后信息仍在目录中公开，有效性自废止日期起显示为“废止”，并计入年度报告的“本年废止件数”。",
                      "· 发布日期：2025-03-10", "<h2 id=\"actions-heading\">操作</h2>", "<dt>有效性</dt>"],
        "repealed": ["废止：2025-07-01（大府规〔2025〕3号）", "<dt>废止日期</dt><dd>2025-07-01</dd>"],
        "withdrawn": ["重新编辑", "撤回：日期有误", "撤回日期：2025-01-21"],
        "submit, incomplete": ["“关于加强农村饮水安全管理的通知”缺少文号、印发日期，补全后才能提交审核或发布"],
        "publish, no role": ["您在本机关没有审核人（工作机构负责人）岗位，不能审核发布信息；请联系管理员分配岗位"],
        "repeal, wrong state": ["“大英县城区停车收费标准”当前状态为“待审核”，不能废止（只有“已发布”的信息可以）"],
        "withdraw, no reason": ["请填写原因"],
        "attach, wrong type": ["附件“run.exe”的类型不允许；可以上传：csv、doc、docx、"],
        "figures": ["年度报告第二部分中第二十条第（五）（六）（八）（九）项的处理决定数量、收费金额等，"
                    "目录无法自动统计，由本机关按年度填写。没有统计的留空（报告中该格显示为未填写），没有发生的填0。"
                    "每次修改都记录修改人和修改前后的数字。",
                    "每个年度一行。空白的格不改变已填写的数字。"],
        "figures 2025": ["<p>报告格式：2021年格式（国办公开办函〔2021〕30号，2021年度起）</p>",
                         "修改：行政处罚处理决定数量 5 → 未填写；行政事业性收费金额（万元） 未填写 → 1.5</li>"],
        "figures 2020": ["<p>报告格式：2019年格式（国办公开办函〔2019〕60号，2019、2020年度）</p>"],
        "figures saved": ["已保存大英县人民政府办公室2025年度统计数（修改1项）"],
        "figures import": ["共2行：导入1行，未导入1行",
                           "第2行（2025年度）：行政处罚处理决定数量不能是负数（填写了-5）；",
                           "第3行：2024年度，修改2项"],
        "figures import (template)": ["共1行：导入1行，未导入0行"],
    }
    for path, texts in expected.items():
        for text in texts:
            assert text in pages[path], (path, text)
    for path, html in pages.items():
        assert not re.search(r"\b(Draft|Repeal|Withdraw|History|Status|Report format)\b", html), path


def test_the_messages_of_the_services_in_english_and_in_chinese(desk) -> None:
    """What the annual report's and the online requests' services refuse with, in both languages."""
    from gongkai.annual import services as annual
    from gongkai.cases import online
    from gongkai.site.wording import long_date

    office, clerk, head = desk["office"], desk["clerk"], desk["head"]
    report = annual.create_draft(office, 2025, clerk)
    cell = next(iter(report.report.missing_cells()))

    def said(language: str) -> list[str]:
        with translation.override(language):
            messages = []
            with pytest.raises(annual.AnnualError) as caught:
                annual.set_cell(report, clerk, *cell, "two")
            messages.append(str(caught.value))
            with pytest.raises(annual.AnnualError) as caught:
                annual.create_draft(office, 2025, staff(f"x-{language}", office, Role.SUPERVISOR))
            messages.append(str(caught.value))
            with pytest.raises(annual.AnnualError) as caught:
                annual.publish(report, head)
            messages.append(str(caught.value))
            with pytest.raises(online.TooManySubmissions) as caught:
                for _ in range(online.MAX_PER_HOUR + 1):
                    online._throttle(f"10.0.0.{len(language)}")
            return [*messages, str(caught.value), long_date(date(2025, 7, 1))]

    english = said("en")
    for text in ("“two” is not a whole number; please enter a number",
                 "You hold no role in this agency that allows preparing or publishing the annual report",
                 "cannot be published. The ",
                 "No more than 5 requests an hour can be submitted from the same address", "1 July 2025"):
        assert any(text in s for s in english), (text, english)
    assert not any(HAN.search(s) for i, s in enumerate(english) if i != 2), english  # 2: the rule is Chinese
    chinese = said("zh-hans")
    for text in ("“two”不是整数，请填写数字", "您在本机关没有编制或发布年度报告的岗位；请联系管理员",
                 "条规则，不能发布。首条：[",
                 "同一地址每小时最多提交5件申请，请稍后再试，或到政府信息公开工作机构当面提交",
                 "2025年07月01日"):
        assert any(text in s for s in chinese), (text, chinese)
