"""Renderers: HTML, Word and Excel in the official layout, read back by our own parser.

The round trip is the main check: whatever a renderer writes, ``parse_bytes`` must read every
figure back exactly, with no error.  The layout tests pin the merged cells of the official
template (spec §3; 上海市人民政府办公厅's 2019 report prints the same spans).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from bs4 import BeautifulSoup
from docx.oxml.ns import qn
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings

from gongkai.cli import main
from gongkai.report.formats import FORMAT_2019, FORMAT_2021, SECTIONS, T3_NOTE, get_format
from gongkai.report.model import Report
from gongkai.report.parse import parse_bytes, parse_file
from gongkai.report.render import render
from gongkai.report.render.layout import GridCell, cell_text, format_grids, table_grid
from tests.strategies import example_report, valid_reports

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
SEED = FIXTURES / "daying-2020.txt"
T3 = "t3_requests"
T4 = "t4_review_litigation"
TARGETS = ("html", "docx", "xlsx")


def errors(report: Report) -> list[str]:
    return [f"{p.code}: {p.message}" for p in report.problems if p.severity == "error"]


def spans(cell: GridCell) -> tuple[str, int, int, int, int]:
    return (cell.text, cell.row, cell.col, cell.rowspan, cell.colspan)


# ---------------------------------------------------------------------------------------------
# Round trip: render, parse back, same figures


def _assert_round_trip(report: Report, target: str) -> Report:
    back = parse_bytes(render(report, target), f"x.{target}")
    assert errors(back) == []
    assert back.format == report.format
    assert back.year == report.year
    assert set(back.cells) == set(report.definition.data_cells())
    for key, value in report.cells.items():
        got = back.cells[key]
        assert got == value and type(got) is type(value), (key, value, got)
        if isinstance(value, Decimal) and target != "xlsx":
            # Printed text keeps every decimal digit: 12.50 comes back as 12.50, not 12.5.
            assert got.as_tuple() == value.as_tuple(), (key, value, got)
    return back


@pytest.mark.parametrize("version", [FORMAT_2019, FORMAT_2021])
@pytest.mark.parametrize("target", TARGETS)
def test_round_trip_random_reports(version, target):
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_reports(version))
    def check(report):
        back = _assert_round_trip(report, target)
        if target != "xlsx":  # Excel: see test_xlsx_round_trip_limits
            assert back.agency == report.agency
            assert back.units == report.units

    check()


def test_xlsx_tiny_amount():
    report = example_report(FORMAT_2021)
    key = ("t2_item8", "administrative_fees", "fee_amount")
    report.cells[key] = Decimal("0.00005")  # 0.5 元 in 万元
    ws = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))["二、主动公开政府信息情况"]
    assert any(c.value == pytest.approx(0.00005) for row in ws.iter_rows() for c in row)
    assert parse_bytes(render(report, "xlsx"), "x.xlsx").cells[key] == Decimal("0.00005")


@pytest.mark.parametrize("target", TARGETS)
def test_blank_and_unread_cells_render_empty(target):
    report = example_report(FORMAT_2021)
    report.cells[(T3, "new_requests", "total")] = None  # a blank in the last column
    report.cells[(T3, "withheld_state_secret", "natural_person")] = None
    for col in ("legal_service_org", "other_org", "total"):  # a row ending in three blanks
        report.cells[(T3, "withheld_third_party", col)] = None
    del report.cells[(T4, "cases", "review_total")]  # not read at all: printed empty too
    report.cells[("t2_item8", "administrative_fees", "fee_amount")] = None
    back = parse_bytes(render(report, target), f"x.{target}")
    assert errors(back) == []
    expected = dict(report.cells)
    expected[(T4, "cases", "review_total")] = None
    assert back.cells == expected


@pytest.mark.parametrize("target", TARGETS)
def test_example_reports_round_trip(target):
    for version in (FORMAT_2019, FORMAT_2021):
        _assert_round_trip(example_report(version), target)


def test_xlsx_round_trip_limits():
    """What Excel keeps and what our reader cannot get back (see the report for the parser)."""
    report = example_report(FORMAT_2019)
    back = parse_bytes(render(report, "xlsx"), "x.xlsx")
    assert back.cells == report.cells
    key = ("t2_item9", "government_procurement", "procurement_amount")
    assert back.cells[key] == Decimal("251000.50")
    assert key not in back.units  # the unit lives in the number format, which the reader ignores


PUBLISHED = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html", ".md") and p.name != "SOURCES.md")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("path", PUBLISHED, ids=lambda p: p.name)
def test_published_reports_round_trip(path, target):
    """Every figure read from a published report comes back; a cell not read comes back blank."""
    source = parse_file(path)
    back = parse_bytes(render(source, target), f"x.{target}")
    assert back.format == source.format and back.year == source.year
    for key in source.definition.data_cells():
        if key in source.cells:
            assert back.cells.get(key, "?") == source.cells[key], key
        else:
            assert back.cells.get(key) is None, key
    assert len(errors(back)) <= len(errors(source))


# ---------------------------------------------------------------------------------------------
# The grid


@pytest.mark.parametrize("version", [FORMAT_2019, FORMAT_2021])
def test_every_grid_tiles_its_rectangle(version):
    """Each grid position is covered by exactly one cell; value cells follow the format's order."""
    fmt = get_format(version)
    for grid in format_grids(version):
        covered: dict[tuple[int, int], GridCell] = {}
        for cell in grid.cells():
            for r in range(cell.row, cell.last_row + 1):
                for c in range(cell.col, cell.last_col + 1):
                    assert (r, c) not in covered, (grid.table.key, r, c)
                    covered[(r, c)] = cell
        assert set(covered) == {(r, c) for r in range(grid.height) for c in range(grid.width)}
        for i, row in enumerate(grid.rows):
            assert all(cell.row == i for cell in row)
            assert [c.col for c in row] == sorted(c.col for c in row)
    keys = [c.key for g in format_grids(version) for c in g.value_cells()]
    assert keys == fmt.data_cells()


def test_t3_header_2021():
    grid = table_grid(get_format(FORMAT_2021).table(T3))
    assert grid.width == 10 and grid.label_columns == 3
    assert [[spans(c) for c in row] for row in grid.header_rows] == [
        [(T3_NOTE, 0, 0, 3, 3), ("申请人情况", 0, 3, 1, 7)],
        [("自然人", 1, 3, 2, 1), ("法人或其他组织", 1, 4, 1, 5), ("总计", 1, 9, 2, 1)],
        [("商业企业", 2, 4, 1, 1), ("科研机构", 2, 5, 1, 1), ("社会公益组织", 2, 6, 1, 1),
         ("法律服务机构", 2, 7, 1, 1), ("其他", 2, 8, 1, 1)],
    ]


@pytest.mark.parametrize(("version", "results_rows", "other"), [
    # 2019: （六）其他处理 is one row spanning two label columns; 20 rows as in 上海 2019.
    (FORMAT_2019, 20, ("（六）其他处理", 23, 1, 1, 2)),
    # 2021: （六）其他处理 is a heading beside its three items.
    (FORMAT_2021, 22, ("（六）其他处理", 23, 1, 3, 1)),
])
def test_t3_row_labels(version, results_rows, other):
    grid = table_grid(get_format(version).table(T3))
    labels = [spans(c) for c in grid.cells() if c.kind == "label"]
    assert labels[:6] == [
        ("一、本年新收政府信息公开申请数量", 3, 0, 1, 3),
        ("二、上年结转政府信息公开申请数量", 4, 0, 1, 3),
        ("三、本年度办理结果", 5, 0, results_rows, 1),
        ("（一）予以公开", 5, 1, 1, 2),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 6, 1, 1, 2),
        ("（三）不予公开", 7, 1, 8, 1),
    ]
    assert spans(grid.find("1.属于国家秘密")) == ("1.属于国家秘密", 7, 2, 1, 1)
    assert spans(grid.find("（四）无法提供"))[3:] == (3, 1)
    assert spans(grid.find("（五）不予处理"))[3:] == (5, 1)
    assert spans(grid.find("（六）其他处理")) == other
    total = grid.find("（七）总计")
    assert (total.col, total.colspan, total.row) == (1, 2, 5 + results_rows - 1)
    assert spans(grid.find("四、结转下年度继续办理")) == ("四、结转下年度继续办理", grid.height - 1, 0, 1, 3)
    first_value = grid.body_rows[0][-7]
    assert first_value.key == (T3, "new_requests", "natural_person") and first_value.col == 3


def test_t4_header():
    grid = table_grid(get_format(FORMAT_2021).table(T4))
    assert grid.width == 15 and grid.label_columns == 0
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [spans(c) for c in grid.header_rows[0]] == [("行政复议", 0, 0, 1, 5), ("行政诉讼", 0, 5, 1, 10)]
    assert [spans(c) for c in grid.header_rows[1]] == [
        *[(t, 1, i, 2, 1) for i, t in enumerate(outcomes)],
        ("未经复议直接起诉", 1, 5, 1, 5), ("复议后起诉", 1, 10, 1, 5),
    ]
    assert [spans(c) for c in grid.header_rows[2]] == [(t, 2, 5 + i, 1, 1) for i, t in enumerate(outcomes * 2)]
    assert [c.key[2] for c in grid.body_rows[0]][:6] == [
        "review_upheld", "review_corrected", "review_other", "review_pending", "review_total", "suit_direct_upheld"]
    assert table_grid(get_format(FORMAT_2019).table(T4)) == grid


def test_t2_tables_have_their_item_as_title_row():
    grid = table_grid(get_format(FORMAT_2021).table("t2_item1"))
    assert [[spans(c) for c in row] for row in grid.header_rows] == [
        [("第二十条第（一）项", 0, 0, 1, 4)],
        [("信息内容", 1, 0, 1, 1), ("本年制发件数", 1, 1, 1, 1), ("本年废止件数", 1, 2, 1, 1),
         ("现行有效件数", 1, 3, 1, 1)],
    ]
    assert [c.text for row in grid.body_rows for c in row if c.kind == "label"] == ["规章", "行政规范性文件"]
    assert len(format_grids(FORMAT_2019)) == 7 and len(format_grids(FORMAT_2021)) == 6


def test_cell_text_keeps_decimals_and_blanks():
    report = Report(format=FORMAT_2019)
    fee = table_grid(get_format(FORMAT_2021).table("t2_item8")).value_cells()[0]
    amount = table_grid(get_format(FORMAT_2019).table("t2_item9")).value_cells()[1]
    count = table_grid(get_format(FORMAT_2019).table("t2_item9")).value_cells()[0]
    report.cells[amount.key] = Decimal("12.50")
    assert cell_text(report, amount) == "12.50"
    report.units[amount.key] = "万元"  # 2019 prints no unit in the header: the cell carries it
    assert cell_text(report, amount) == "12.50万元"
    report.cells[amount.key] = Decimal(0).scaleb(-6)
    assert cell_text(report, amount) == "0.000000万元"
    assert cell_text(report, count) == ""  # not read
    report.cells[count.key] = None
    assert cell_text(report, count) == ""  # blank
    report.cells[count.key] = 7
    assert cell_text(report, count) == "7"
    report2021 = Report(format=FORMAT_2021, cells={fee.key: Decimal("24252.311082")}, units={fee.key: "万元"})
    assert cell_text(report2021, fee) == "24252.311082"  # the header says 万元


# ---------------------------------------------------------------------------------------------
# HTML


def test_html_document():
    report = example_report(FORMAT_2021)
    report.agency = "示例<局>&“办”"
    report.narrative = {"overview": "第一段<script>alert(1)</script>\n第二段", "other": "收取信息处理费0元。"}
    page = render(report, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"zh-Hans\">")
    assert '<meta charset="utf-8">' in page
    assert "@page { size: A4;" in page
    assert '"FangSong", "仿宋"' in page and '"Noto Serif CJK SC"' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "示例&lt;局&gt;&amp;“办”2023年政府信息公开工作年度报告" in page
    soup = BeautifulSoup(page, "lxml")
    assert [h.get_text() for h in soup.find_all("h2")] == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert [p.get_text() for p in soup.select("#overview p")] == ["第一段<script>alert(1)</script>", "第二段"]
    assert soup.select_one("#other p").get_text() == "收取信息处理费0元。"
    t3 = soup.select_one("table.t3_requests")
    header = {th.get_text(): (th.get("rowspan"), th.get("colspan")) for th in t3.thead.find_all("th")}
    assert header["申请人情况"] == (None, "7")
    assert header["法人或其他组织"] == (None, "5")
    assert header["自然人"] == ("2", None) and header["总计"] == ("2", None)
    assert header[T3_NOTE] == ("3", "3")
    assert t3.find("th", string="三、本年度办理结果")["rowspan"] == "22"
    t4 = soup.select_one("table.t4_review_litigation")
    assert [(th.get_text(), th.get("colspan")) for th in t4.thead.tr.find_all("th")] == [
        ("行政复议", "5"), ("行政诉讼", "10")]
    assert len(t4.tbody.find_all("td")) == 15
    fee = soup.select_one("table.t2_item8 tbody td").get_text()
    assert fee == "1234.567891"


# ---------------------------------------------------------------------------------------------
# Word


def _docx(report: Report) -> docx.document.Document:
    return docx.Document(io.BytesIO(render(report, "docx")))


def test_docx_page_fonts_and_merges():
    report = example_report(FORMAT_2021)
    document = _docx(report)
    section = document.sections[0]
    # Word stores twips: 21.0 cm is 11906 twips, within 1 twip (635 EMU) of the exact size.
    assert abs(section.page_width - Cm(21.0)) < 635 and abs(section.page_height - Cm(29.7)) < 635
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert len(document.tables) == len(get_format(FORMAT_2021).tables)
    assert all(t.style.name == "Table Grid" for t in document.tables)
    fonts = {r.get(qn("w:eastAsia")) for t in document.tables for r in t._tbl.iter(qn("w:rFonts"))}
    assert fonts == {"宋体"}

    t3 = document.tables[4]
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc  # the corner: 3 header rows × 3 label columns
    assert t3.cell(0, 0).text == T3_NOTE
    assert t3.cell(0, 3)._tc is t3.cell(0, 9)._tc and t3.cell(0, 3).text == "申请人情况"
    assert t3.cell(1, 4)._tc is t3.cell(1, 8)._tc and t3.cell(1, 4).text == "法人或其他组织"
    assert t3.cell(1, 3)._tc is t3.cell(2, 3)._tc and t3.cell(1, 3).text == "自然人"
    assert t3.cell(5, 0)._tc is t3.cell(26, 0)._tc and t3.cell(5, 0).text == "三、本年度办理结果"
    assert t3.cell(7, 1)._tc is t3.cell(14, 1)._tc and t3.cell(7, 1).text == "（三）不予公开"
    assert t3.cell(3, 0)._tc is t3.cell(3, 2)._tc
    assert [t3.cell(3, c).text for c in range(3, 10)] == [
        str(report.cells[(T3, "new_requests", c.key)]) for c in get_format(FORMAT_2021).table(T3).columns]
    first_row = t3.rows[0]._tr
    assert [tc.grid_span for tc in first_row.tc_lst] == [3, 7]
    assert first_row.trPr.find(qn("w:tblHeader")) is not None  # header rows repeat on each page

    t4 = document.tables[5]
    assert t4.cell(0, 0)._tc is t4.cell(0, 4)._tc and t4.cell(0, 0).text == "行政复议"
    assert t4.cell(0, 5)._tc is t4.cell(0, 14)._tc and t4.cell(0, 5).text == "行政诉讼"
    assert t4.cell(1, 0)._tc is t4.cell(2, 0)._tc
    assert t4.cell(1, 5)._tc is t4.cell(1, 9)._tc and t4.cell(1, 10).text == "复议后起诉"


# ---------------------------------------------------------------------------------------------
# Excel


def _xlsx(report: Report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))


def test_xlsx_sheets_merges_numbers_and_print():
    report = example_report(FORMAT_2021)
    wb = _xlsx(report)
    assert wb.sheetnames == [f"{s.number}、{s.label}" for s in SECTIONS]
    t3 = wb["三、收到和处理政府信息公开申请情况"]
    merged = {str(r) for r in t3.merged_cells.ranges}
    # Row 1 is the section heading; the table starts on row 2.
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4", "A5:C5", "A7:A28", "B7:C7", "B9:B16", "B25:B27",
            "B28:C28", "A29:C29"} <= merged
    assert t3["A2"].value == T3_NOTE and t3["D2"].value == "申请人情况" and t3["E3"].value == "法人或其他组织"
    assert t3["A7"].value == "三、本年度办理结果" and t3["C9"].value == "1.属于国家秘密"
    values = [t3.cell(row=5, column=c).value for c in range(4, 11)]
    assert values == [report.cells[(T3, "new_requests", c.key)] for c in get_format(FORMAT_2021).table(T3).columns]
    assert all(type(v) is int for v in values)
    assert t3["A2"].font.name == "宋体"

    t4 = wb["四、政府信息公开行政复议、行政诉讼情况"]
    assert {"A2:E2", "F2:O2", "A3:A4", "F3:J3", "K3:O3"} <= {str(r) for r in t4.merged_cells.ranges}
    assert [type(t4.cell(row=5, column=c).value) for c in range(1, 16)] == [int] * 15

    t2 = wb["二、主动公开政府信息情况"]
    fee = next(c for row in t2.iter_rows() for c in row if c.number_format.startswith("0.0"))
    assert fee.value == pytest.approx(1234.567891) and fee.number_format == "0.000000"
    assert not isinstance(fee.value, str)

    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert t4.page_setup.orientation == "landscape"


def test_xlsx_amount_with_unit_in_cell():
    report = example_report(FORMAT_2019)  # 采购总金额 251000.50 元: the 2019 header has no unit
    ws = _xlsx(report)["二、主动公开政府信息情况"]
    cell = next(c for row in ws.iter_rows() for c in row if c.number_format.endswith('"元"'))
    assert cell.value == pytest.approx(251000.5) and cell.number_format == '0.00"元"'


# ---------------------------------------------------------------------------------------------
# render() and the command line


def test_render_json_is_the_model():
    report = example_report(FORMAT_2019)
    data = render(report, "json")
    assert data == (report.dumps() + "\n").encode("utf-8")
    assert parse_bytes(data, "x.json").cells == report.cells


def test_render_unknown_target():
    with pytest.raises(ValueError, match="不支持的输出格式") as exc:
        render(example_report(FORMAT_2021), "odt")
    assert "unknown render target 'odt'" in str(exc.value)
    assert render(example_report(FORMAT_2021), "HTML").startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize("target", TARGETS)
def test_cli_render_seed(tmp_path, capsys, target):
    out = tmp_path / f"daying.{target}"
    assert main(["report", "render", str(SEED), "--to", target, "-o", str(out)]) == 0
    assert f"已写入 {out}" in capsys.readouterr().err
    source = parse_file(SEED)
    back = parse_file(out)
    assert back.cells == source.cells
    assert errors(back) == []
    assert (back.format, back.year, back.agency) == (FORMAT_2019, 2020, "大英县政府办公室")
    if target == "docx":
        texts = [p.text for p in docx.Document(str(out)).paragraphs]
        assert "大英县政府办公室2020年政府信息公开工作年度报告" in texts
        assert any("政务公开工作的工作人员仅1人" in t for t in texts)  # the narrative is kept


def test_cli_render_to_stdout(capsysbinary):
    assert main(["report", "render", str(SEED), "--to", "html", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"<!DOCTYPE html>") and "大英县政府办公室".encode() in out


def test_pdf_round_trip_of_the_seed_and_random_reports() -> None:
    """PDF in the official layout (reportlab, STSong-Light) is read back through pdfplumber."""
    seed = parse_file(Path(__file__).parent / "fixtures" / "reports" / "daying-2020.txt")
    for report in (seed, example_report(FORMAT_2019), example_report(FORMAT_2021)):
        data = render(report, "pdf")
        assert data.startswith(b"%PDF")
        back = parse_bytes(data, "x.pdf")
        assert {k: back.cells.get(k) for k in report.cells} == report.cells
