"""Bulk import: valid rows go in whole, invalid rows are listed with their reasons, nothing half-imported."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from gongkai.agencies.models import Role
from gongkai.catalogue import search, services
from gongkai.catalogue.importing import ImportFileError, import_items
from gongkai.catalogue.models import CatalogueNode, Item, State, Topic
from gongkai.catalogue.services import CatalogueError
from tests.casekit import agency, staff
from tests.catalogkit import published

pytestmark = [pytest.mark.db, pytest.mark.django_db]

CSV = """名称,成文日期,文号,主题分类,文件类别,第二十条事项,印发日期,正文,备注
关于印发大英县城乡居民医疗救助办法的通知,2025-03-01,大府规〔2025〕1号,社会保障,行政规范性文件,（一）,2025/3/1,<p>医疗救助</p>,无
2025年第一季度工作动态,2025年4月2日,,SH,,十一,,<p>动态<script>x</script></p>,
,2025-04-03,,,,,,<p>没有名称</p>,
关于某事项的通知,2025-13-01,,不存在的分类,规范性文件,第二十一项,,,
""".replace("\n", "\r\n")


@pytest.fixture
def office():
    a = agency("DYX", "大英县人民政府办公室")
    Topic.objects.create(code="SH", name="社会保障")
    return a, staff("clerk", a, Role.HANDLER), staff("head", a, Role.APPROVER)


def test_valid_rows_are_imported_as_drafts_and_invalid_rows_listed(office) -> None:
    a, clerk, _ = office
    report = import_items(a, clerk, CSV.encode("utf-8-sig"), "目录.csv")
    assert report.summary == "共4行：导入2行，未导入2行"
    assert [r.message for r in report.rejected] == [
        "第4行：缺少名称",
        "第5行（关于某事项的通知）：成文日期“2025-13-01”不是有效日期（请写作2025-01-31）；第二十条事项“第二十一项”不存在"
        "（请填（一）至（十五））；主题分类“不存在的分类”不存在，请先在主题分类中添加；规章和行政规范性文件必须填写文号；"
        "规章和行政规范性文件必须填写印发日期",
    ]
    assert report.notes == ["以下列不认识，已忽略：备注"]
    first, second = report.created
    assert (first.title, first.written_on, first.document_number, first.topic.code, first.kind) == (
        "关于印发大英县城乡居民医疗救助办法的通知", date(2025, 3, 1), "大府规〔2025〕1号", "SH", "normative_document")
    assert (first.article20_item, first.issued_on, first.state, first.index_number) == (1, date(2025, 3, 1),
                                                                                       State.DRAFT, "")
    assert (second.written_on, second.article20_item, second.body) == (date(2025, 4, 2), 11, "<p>动态</p>")
    assert [e.action for e in first.events.all()] == ["create", "import"]
    assert Item.objects.count() == 2  # nothing of the rejected rows


def test_gbk_csv_gives_the_same_result(office) -> None:
    a, clerk, _ = office
    report = import_items(a, clerk, CSV.encode("gbk"), "目录.csv")
    assert report.summary == "共4行：导入2行，未导入2行"
    assert [i.title for i in report.created] == ["关于印发大英县城乡居民医疗救助办法的通知", "2025年第一季度工作动态"]


def test_xlsx_with_date_cells_and_tab_separated_text(office) -> None:
    a, clerk, _ = office
    CatalogueNode.objects.create(agency=a, name="政策文件", code="ZC", article20_item=1)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([])  # a blank first row is skipped
    ws.append(["标题", "成文日期", "目录栏目", "失效日期"])
    ws.append(["第一条", datetime(2025, 3, 1), "ZC", "20251231"])  # noqa: DTZ001 - Excel dates have no zone
    ws.append(["第二条", date(2025, 3, 2), "没有的栏目", None])
    buf = io.BytesIO()
    wb.save(buf)
    report = import_items(a, clerk, buf.getvalue(), "目录.xlsx")
    assert [(i.title, i.written_on, i.node.code, i.article20_item, i.expired_on) for i in report.created] == [
        ("第一条", date(2025, 3, 1), "ZC", 1, date(2025, 12, 31))]
    assert [r.message for r in report.rejected] == ["第4行（第二条）：目录栏目“没有的栏目”不是本机关的栏目"]
    tsv = "名称\t发布日期\n第三条\t2025.3.5\n".encode("utf-16")
    assert [i.title for i in import_items(a, clerk, tsv, "x.txt").created] == ["第三条"]


def test_a_published_catalogue_moves_over_with_its_own_numbers(office) -> None:
    a, clerk, head = office
    existing = published(a, clerk, head, "已有信息", date(2025, 1, 6))
    text = (
        "索引号,名称,发布日期,正文,文件类别,文号,印发日期,废止日期\n"
        "DYX-2025-000002,旧系统第二条,2025-01-10,<p>城乡低保标准</p>,,,,\n"
        ",旧系统无索引号,2025-01-11,<p>内容</p>,,,,\n"
        f"{existing.index_number},重复的索引号,2025-01-12,<p>内容</p>,,,,\n"
        "DYX-2025-000002,文件内重复,2025-01-12,<p>内容</p>,,,,\n"
        "DYX-OLD-7,已废止的旧文件,2020-05-06,<p>旧办法</p>,行政规范性文件,大府规〔2020〕3号,2020-05-01,2024-01-01\n"
        ",没有发布日期,,<p>内容</p>,,,,\n"
    )
    with pytest.raises(CatalogueError, match="没有审核人"):
        import_items(a, clerk, text.encode(), "old.csv", published=True)
    report = import_items(a, head, text.encode(), "old.csv", published=True)
    assert [(i.index_number, i.published_on, i.state) for i in report.created] == [
        ("DYX-2025-000002", date(2025, 1, 10), State.PUBLISHED),
        ("DYX-2025-000003", date(2025, 1, 11), State.PUBLISHED),  # 000001 is taken by the existing item
        ("DYX-OLD-7", date(2020, 5, 6), State.PUBLISHED),
    ]
    assert [r.message for r in report.rejected] == [
        "第4行（重复的索引号）：索引号“DYX-2025-000001”已被使用",
        "第5行（文件内重复）：索引号“DYX-2025-000002”已被使用",
        "第7行（没有发布日期）：导入已发布的信息必须填写发布日期",
    ]
    assert [h.item.title for h in search.search("低保").hits] == ["旧系统第二条"]  # indexed on import
    assert published(a, clerk, head, "导入之后", date(2025, 2, 3)).index_number == "DYX-2025-000004"
    services.withdraw(report.created[0], head, "导入重复")  # imported items follow the usual workflow


def test_files_that_cannot_be_read_are_refused_as_a_whole(office) -> None:
    a, clerk, _ = office
    with pytest.raises(ImportFileError, match="第一行没有“名称”（或“标题”）列"):
        import_items(a, clerk, "文号,成文日期\n大府发〔2025〕1号,2025-01-01\n".encode(), "x.csv")
    with pytest.raises(ImportFileError, match=r"请上传 \.xlsx 或 \.csv 文件"):
        import_items(a, clerk, b"\xd0\xcf\x11\xe0", "old.xls")
    with pytest.raises(ImportFileError, match="无法打开Excel文件"):
        import_items(a, clerk, b"not a zip", "x.xlsx")
    with pytest.raises(ImportFileError, match="文件是空的"):
        import_items(a, clerk, b"\n\n", "x.csv")
    with pytest.raises(ImportFileError, match="列“标题”重复出现"):
        import_items(a, clerk, "名称,标题\n甲,乙\n".encode(), "x.csv")
    assert Item.objects.count() == 0
