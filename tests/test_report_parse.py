"""The parser: every flattening, encoding and damage seen in published reports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from gongkai.report.formats import FORMAT_2019, FORMAT_2021
from gongkai.report.model import Report
from gongkai.report.parse import ReportReadError, parse_bytes, parse_file
from gongkai.report.parse.narrative import find_figures
from gongkai.report.parse.split import splits
from tests.flatten import STYLES, flatten
from tests.strategies import example_report, valid_reports

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
SEED = FIXTURES / "daying-2020.txt"
T3 = "t3_requests"
T4 = "t4_review_litigation"


def t3_row(report: Report, row: str) -> list:
    return [report.cells.get((T3, row, c.key), "?") for c in report.definition.table(T3).columns]


def test_seed_header_facts():
    report = parse_file(SEED)
    assert (report.format, report.year, report.agency) == (FORMAT_2019, 2020, "大英县政府办公室")
    assert report.complete
    assert t3_row(report, "new_requests") == [8, 0, 0, 0, 0, 0, 8]
    assert t3_row(report, "results_total") == [0] * 7
    assert [report.cells[(T4, "cases", c)] for c in ("review_corrected", "review_total")] == [1, 0]
    # the truncated header "本年新 | 本年新" is read by position and reported
    truncated = [p for p in report.problems if p.code == "header-truncated"]
    assert [p.location for p in truncated] == ["第15行", "第16行"]
    assert "本年新制作数量" in truncated[0].message and "本年新公开数量" in truncated[1].message


def test_seed_narrative():
    report = parse_file(SEED)
    assert [(f.key, f.value) for f in report.figures] == [
        ("proactive_items", 991), ("requests_received", 8), ("requests_answered", 8)]
    assert report.narrative["overview"].startswith("2020年以来,我县坚持")
    assert "政务公开工作的工作人员仅1人" in report.narrative["problems"]
    assert report.narrative["other"] == "无。"


def test_narrative_figures_line_by_line_within_their_lines():
    """Figures are read within one prose line (a line with a pipe, or of fewer than 8 characters,
    is none), listed line by line and in each line in the order of the patterns."""
    text = ("全年主动公开政府信息12条，受理依申请公开3件，均已按时答复。\n"
            "| 行政复议 | 2件 |\n"
            "受理\n5件\n"
            "本年度新收到政府信息公开申请7件；行政诉讼1起。\r\n"
            "办结申请4件")
    figures = find_figures(text)
    assert [(f.key, f.value, f.location) for f in figures] == [
        ("requests_received", 3, "正文第1行"), ("requests_answered", 3, "正文第1行"),
        ("proactive_items", 12, "正文第1行"),
        ("requests_received", 7, "正文第5行"), ("lawsuits", 1, "正文第5行"),
    ]
    assert figures[0].text == "受理依申请公开3件"


def test_seed_cell_sources_are_lines():
    report = parse_file(SEED)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    # 一、本年新收 自然人 is the first figure after its label: "8" on the line the location names
    loc = report.locations[(T3, "new_requests", "natural_person")]
    assert lines[int(loc.strip("第行")) - 1] == "8"
    loc = report.locations[(T4, "cases", "review_corrected")]
    assert lines[int(loc.strip("第行")) - 1] == "1"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"])
def test_encodings(encoding):
    text = SEED.read_text(encoding="utf-8")
    report = parse_bytes(text.encode(encoding), "daying.txt")
    assert report.cells == parse_file(SEED).cells


def test_full_width_digits_and_brackets():
    text = SEED.read_text(encoding="utf-8")
    wide = text.translate(str.maketrans("0123456789()", "０１２３４５６７８９（）"))
    assert parse_bytes(wide.encode(), "wide.txt").cells == parse_file(SEED).cells


def test_placeholders_and_thousands_separators():
    report = example_report(FORMAT_2021)
    report.cells[("t2_item6", "administrative_penalty", "decisions")] = 12345
    text = flatten(report, "spaces").replace("12345", "12,345")
    text = text.replace("3.其他 0 0 0 0 0 0 0", "3.其他 — / 无 0 0 0 0")
    # the example has 3.其他 row as computed; replace only if it was all zeros
    parsed = parse_bytes(text.encode(), "x.txt")
    assert parsed.cells[("t2_item6", "administrative_penalty", "decisions")] == 12345


def test_placeholder_cells_are_blank_not_zero():
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量 3 — / 无 0 0 3",
    ])
    report = parse_bytes(text.encode(), "x.txt")
    assert t3_row(report, "new_requests") == [3, None, None, None, 0, 0, 3]
    assert sum(p.code == "cell-placeholder" for p in report.problems) == 3


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_reports())
def test_every_flattening_reads_back(report):
    for style in STYLES:
        parsed = parse_bytes(flatten(report, style).encode(), "x.txt")
        assert (parsed.format, parsed.year) == (report.format, report.year)
        if style == "runtogether":
            # Digits run together may be ambiguous; then the cell is reported, never guessed wrong.
            for key, value in parsed.cells.items():
                assert report.cells[key] == value, key
            unread = set(report.cells) - set(parsed.cells)
            reported = {k for p in parsed.problems if p.severity == "error" for k in p.cells}
            assert unread <= reported
        else:
            assert parsed.cells == report.cells, style
            assert parsed.complete


def test_run_together_row_split_by_rule():
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量640020470\n"
    report = parse_bytes(text.encode(), "pt.txt")
    assert t3_row(report, "new_requests") == [64, 0, 0, 2, 0, 4, 70]
    (note,) = [p for p in report.problems if p.code == "cell-split"]
    assert "640020470" in note.message and "64, 0, 0, 2, 0, 4, 70" in note.message


def test_run_together_review_row():
    # 平潭 2021: 17 digits for 15 cells; only one split satisfies T4-1..T4-3
    text = ("四、政府信息公开行政复议、行政诉讼情况\n行政复议行政诉讼\n"
            "结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉\n10203120001200000\n"
            "五、存在的主要问题及改进情况\n")
    report = parse_bytes(text.encode(), "pt.txt")
    assert [report.cells[(T4, "cases", c.key)] for c in report.definition.table(T4).columns] == [
        1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]


def test_run_together_ambiguous_row_lists_candidates():
    text = "三、收到和处理政府信息公开申请情况\n（一）予以公开101000011\n"
    report = parse_bytes(text.encode(), "x.txt")
    (amb,) = [p for p in report.problems if p.code == "cell-ambiguous"]
    assert amb.candidates == [[1, 0, 10, 0, 0, 0, 11], [10, 1, 0, 0, 0, 0, 11]]
    assert (T3, "disclosed", "natural_person") not in report.cells
    assert not report.complete


def test_run_together_resolved_by_column_rules():
    """A row ambiguous by itself is settled by 一+二 = 三+四 and the （七）总计 of its columns."""
    report = example_report(FORMAT_2019)
    for row in report.definition.table(T3).data_rows:
        for col in report.definition.table(T3).columns:
            report.cells[(T3, row.key, col.key)] = 0
    for row in ("new_requests", "disclosed", "results_total"):
        for col, v in zip(("natural_person", "commercial_enterprise", "total"), (10, 1, 11), strict=True):
            report.cells[(T3, row, col)] = v
    text = flatten(report, "spaces").replace("（一）予以公开 10 1 0 0 0 0 11", "（一）予以公开101000011")
    assert "101000011" in text
    parsed = parse_bytes(text.encode(), "x.txt")
    assert t3_row(parsed, "disclosed") == [10, 1, 0, 0, 0, 0, 11]
    assert parsed.complete
    (note,) = [p for p in parsed.problems if p.code == "cell-split"]
    assert "2种拆分" in note.message


def test_splits_enumerates_without_leading_zeros():
    assert sorted(splits(["1020"], 3)) == [(1, 0, 20), (10, 2, 0)]
    assert list(splits(["00"], 2)) == [(0, 0)]
    assert list(splits(["5"], 2)) == []


def test_missing_table_is_incomplete_not_zero():
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.index("四、政府信息公开行政复议")] + text[text.index("五、存在的主要问题"):]
    report = parse_bytes(cut.encode(), "x.txt")
    assert not report.complete
    assert not any(k[0] == T4 for k in report.cells)
    (missing,) = [p for p in report.problems if p.code == "table-missing"]
    assert "政府信息公开行政复议、行政诉讼情况" in missing.message


def test_truncated_table_names_missing_rows():
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.index("| 2.重复申请")]
    report = parse_bytes(cut.encode(), "x.txt")
    assert not report.complete
    missing_rows = [p.message for p in report.problems if p.code == "row-missing"]
    assert any("2.重复申请" in m for m in missing_rows)
    assert any("（七）总计" in m for m in missing_rows)
    assert t3_row(report, "disclosed") == [4, 0, 0, 0, 0, 0, 4]


def test_short_row_lists_unread_cells_with_location():
    text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 8 0 0\n"
    report = parse_bytes(text.encode(), "x.txt")
    (p,) = [p for p in report.problems if p.code == "cell-unreadable"]
    assert p.location == "第2行"
    assert "只读到3个数字" in p.message
    assert len(p.cells) == 7


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"   \n\n", "文件为空"),
        (bytes(range(256)) * 40, "不是文本"),
        ("这是一段与年度报告无关的文字。\n".encode(), "找不到年度报告的任何表格"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Word/Excel"),
        (b"PK\x03\x04garbage", "压缩文件已损坏"),
        (b"%PDF-1.4\n garbage", "PDF"),
        (b'{"format": "1999", "tables": []}', "JSON 不是 gongkai 的年度报告格式"),
    ],
)
def test_bad_input_raises_clear_error(data, message):
    with pytest.raises(ReportReadError, match=message):
        parse_bytes(data, "bad")


def test_huge_file_is_refused_without_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    with pytest.raises(ReportReadError, match="文件过大"):
        parse_file(big)


def test_json_round_trip():
    report = parse_file(SEED)
    again = parse_bytes(report.dumps().encode(), "seed.json")
    assert again.cells == report.cells
    assert again.format == report.format and again.year == report.year


def test_amount_with_unit_in_cell():
    report = example_report(FORMAT_2019)
    parsed = parse_bytes(flatten(report, "pipes").encode(), "x.txt")
    key = ("t2_item9", "government_procurement", "procurement_amount")
    assert parsed.cells[key] == Decimal("251000.50")
    assert parsed.units[key] == "元"


def test_a_figure_pattern_that_could_run_over_a_line_break_is_refused() -> None:
    """Narrative figures are searched in the whole text with each pattern kept within a line;
    the rewrite that keeps it there knows only [^…] and \\s, so anything else is refused."""
    import re

    from gongkai.report.parse.narrative import _within_a_line

    assert _within_a_line(re.compile(r"受理[^，]{0,3}\s*(\d+)件")).pattern == r"受理[^\n，]{0,3}[^\S\n]*(\d+)件"
    for pattern in (r"受理.{0,3}(\d+)件", r"受理[\s，]*(\d+)件", r"^受理(\d+)件", r"受理(\d+)件$"):
        with pytest.raises(ValueError, match="may not use"):
            _within_a_line(re.compile(pattern))
