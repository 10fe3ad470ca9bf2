"""The catalogue's pure parts: sanitising, plain text, segmentation, marks, 索引号 patterns, cell parsing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.catalogue import numbering
from gongkai.catalogue.bodytext import html_to_text, sanitize_html
from gongkai.catalogue.importing import decode_csv, parse_article20, parse_date
from gongkai.catalogue.search import PostgresBackend, SQLiteBackend
from gongkai.catalogue.segment import Term, document_tokens, highlight, query_terms, snippet


def test_sanitising_keeps_formatting_and_drops_everything_active() -> None:
    dirty = ('<h2 onclick="x()">标题</h2><p style="text-indent:2em;background:url(javascript:x)">正文'
             '<strong>加粗</strong><font face="仿宋">字体</font></p>'
             '<table border="1"><tr><td colspan="2" onmouseover="x()">单元格</td></tr></table>'
             '<a href="https://www.gov.cn/" target="_blank">链接</a><a href="JaVaScRiPt:alert(1)">坏链接</a>'
             '<svg onload="x()"><circle/></svg><script>alert(1)</script><style>*{}</style><!-- 注释 -->'
             '<img src="data:image/png;base64,AAAA"><form action="/x"><input value="1"></form>')
    assert sanitize_html(dirty) == (
        '<h2>标题</h2><p style="text-indent:2em">正文<strong>加粗</strong>字体</p>'
        '<table><tbody><tr><td colspan="2">单元格</td></tr></tbody></table>'
        '<a href="https://www.gov.cn/" rel="noopener noreferrer">链接</a><a rel="noopener noreferrer">坏链接</a><img>')
    assert sanitize_html(sanitize_html(dirty)) == sanitize_html(dirty)
    assert sanitize_html("") == ""


def test_plain_text_keeps_words_whole_across_inline_tags_and_wrapped_lines() -> None:
    html = ("<p>基本医<span>疗保</span>险</p><p>财政\r\n  补贴 and\nmore</p><ul><li>甲</li><li>乙</li></ul>"
            "<table><tr><td>单元</td><td>格</td></tr></table>第一行<br>第二行&nbsp;&amp;&lt;")
    assert html_to_text(html) == "基本医疗保险\n财政补贴 and more\n甲\n乙\n单元 格\n第一行\n第二行 &<"


def test_documents_are_cut_in_search_mode_with_every_character() -> None:
    assert document_tokens("城乡居民医疗保险，Ａ股２０２５！") == [
        "城乡", "乡居", "居民", "城乡居民", "医疗", "保险", "医疗保险", "a", "股", "2025",
        "城", "乡", "居", "民", "医", "疗", "保", "险"]


def test_query_words_and_their_inner_words() -> None:
    assert query_terms("中华人民共和国 研究生 医疗保险，医疗保险") == [
        Term("中华人民共和国", ("中华", "华人", "人民", "共和", "共和国")),
        Term("研究生"),  # three characters: indexed whole wherever the text has it
        Term("医疗保险", ("医疗", "保险")),
    ]
    assert query_terms("  ，。！ ") == []
    # 河长制 is not in jieba's dictionary: its characters, typed together, stay one verbatim word;
    # single characters typed apart stay apart
    assert query_terms("长江河长制 县 税") == [
        Term("长江"), Term("河长制", ("河", "长", "制"), verbatim=True), Term("县"), Term("税")]
    assert len(query_terms(" ".join(f"词{n}" for n in range(100)))) == 20


def test_query_expressions_quote_every_token() -> None:
    terms = [Term("医疗保险", ("医疗", "保险")), Term('a"b'), Term("o'k")]
    assert SQLiteBackend.expression(terms) == '("医疗保险" OR ("医疗" AND "保险")) AND "a""b" AND "o\'k"'
    assert PostgresBackend.expression(terms) == "('医疗保险' | ('医疗' & '保险')) & 'a\"b' & 'o''k'"


def test_marks_and_snippets_escape_the_text() -> None:
    terms = query_terms("医疗保险 A股")
    assert highlight("<医疗保险>与a股、A股", terms) == (
        "&lt;<mark>医疗保险</mark>&gt;与<mark>a</mark><mark>股</mark>、<mark>A</mark><mark>股</mark>")
    text = "甲" * 50 + "医疗和养老保险" + "乙" * 100
    assert snippet(text, query_terms("医疗保险"), length=20, before=5) == (
        "…甲甲甲甲甲<mark>医疗</mark>和养老<mark>保险</mark>乙乙乙乙乙乙乙乙…")
    assert snippet("短文本&", query_terms("不存在")) == "短文本&amp;"


@pytest.mark.parametrize(("pattern", "expected"), [
    ("{agency_code}-{year}-{seq:06d}", "DYX-2025-000042"),
    ("{region_code}-{agency_code}-{category_code}-{date:%Y%m%d}-{seq:04d}", "510923-DYX-ZC-20250304-0042"),
    ("{region_code}{agency_code}{category_code}{year}{seq:07d}", "510923DYXZC20250000042"),
    ("{agency_code}/{seq}", "DYX/42"),
])
def test_index_number_patterns(pattern: str, expected: str) -> None:
    assert numbering.render(pattern, agency_code="DYX", seq=42, on=date(2025, 3, 4), region_code="510923",
                            category_code="ZC") == expected


def test_index_number_patterns_that_could_repeat_or_break_are_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"必须包含 \{seq\}"):
        numbering.pattern_fields("{agency_code}-{year}")
    with pytest.raises(ImproperlyConfigured, match="未知的部分"):
        numbering.pattern_fields("{agency_code}-{seq}-{}")
    with pytest.raises(ImproperlyConfigured, match="无法解析"):
        numbering.pattern_fields("{agency_code-{seq}")
    with pytest.raises(numbering.NumberingError, match="需要地区代码"):
        numbering.render("{region_code}-{agency_code}-{seq}", agency_code="A", seq=1, on=date(2025, 1, 1))
    assert numbering.counter_year("{agency_code}-{seq}", date(2025, 1, 1)) == 0
    assert numbering.counter_year("{agency_code}-{date:%Y%m%d}-{seq}", date(2025, 1, 1)) == 2025


def test_cells_of_an_import() -> None:
    assert [parse_date(v) for v in ("2025-01-31", "2025/1/31", "2025.1.31", "2025年1月31日", "20250131",
                                    datetime(2025, 1, 31, 8, 0),  # noqa: DTZ001 - an Excel cell has no zone
                                    date(2025, 1, 31))] == [date(2025, 1, 31)] * 7
    for bad in ("2025-02-30", "31/01/2025", "明天"):
        with pytest.raises(ValueError):
            parse_date(bad)
    cells = ("（一）", "(五)", "十五", "第二十条第（八）项", "11", 3.0)
    assert [parse_article20(v) for v in cells] == [1, 5, 15, 8, 11, 3]
    with pytest.raises(ValueError):
        parse_article20("十六")
    assert decode_csv("名称\n".encode("utf-8-sig")) == decode_csv("名称\n".encode("gbk")) == "名称\n"
    assert decode_csv("名称\n".encode("utf-16")) == "名称\n"
