"""Read a published annual report (text, HTML, .docx, .xlsx, .pdf) into a :class:`Report`.

>>> report = parse_file("daying-2020.txt")          # doctest: +SKIP
>>> report.get("t3_requests", "new_requests", "total")  # doctest: +SKIP
8

What could not be read is listed in ``report.problems`` (with its place in the source) and
left out of ``report.cells``; nothing is filled in with an invented zero.  Input that is not a
report at all raises :class:`ReportReadError` with a one-line reason.
"""

from __future__ import annotations

import os
from itertools import zip_longest
from pathlib import Path

from ..formats import FORMAT_2019, FORMAT_2021, format_for_year
from ..model import Problem, Report
from .narrative import find_figures, find_title_and_agency, find_year, split_sections
from .readers import MAX_BYTES, Document, ReportReadError, read_bytes
from .tables import TableReader
from .tokens import token_texts

__all__ = ["MAX_BYTES", "ReportReadError", "detect_format", "parse_bytes", "parse_file"]

_MARKERS = {
    FORMAT_2021: ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量", "逾期不补正",
                  "逾期未按收费通知"),
    FORMAT_2019: ("本年新制作数量", "对外公开总数量", "上一年项目数量", "政府集中采购", "采购总金额", "本年增/减",
                  "其他对外管理服务事项"),
}


def detect_format(blob: str, year: int | None) -> tuple[str, str]:
    """The format version the tables are laid out in, and how it was decided."""
    lead = _marker_lead(blob)
    if lead:
        return (FORMAT_2021 if lead > 0 else FORMAT_2019), "表格栏目"
    if year is not None and year >= 2019:
        return format_for_year(year), "报告年度"
    return FORMAT_2021, "默认"


def _marker_lead(blob: str) -> int:
    """How many more of the 2021 format's markers than of the 2019 format's ``blob`` holds, or
    at least its sign: the search stops once the markers not yet looked for cannot change it.

    Markers are looked for one of each format in turn; each one absent is a search through the
    whole text, and a report holds few of the other format's.
    """
    lead = 0
    left_2021, left_2019 = len(_MARKERS[FORMAT_2021]), len(_MARKERS[FORMAT_2019])  # not looked for yet
    for m2021, m2019 in zip_longest(_MARKERS[FORMAT_2021], _MARKERS[FORMAT_2019]):
        if m2021 is not None:
            left_2021 -= 1
            lead += m2021 in blob
        if m2019 is not None:
            left_2019 -= 1
            lead -= m2019 in blob
        if lead > left_2019 or -lead > left_2021:
            break  # the markers left cannot even the count
    return lead


def parse_document(doc: Document, source: str | None = None) -> Report:
    texts = token_texts(doc.tokens)
    blob = "".join(texts)
    head = doc.text[:3000] if doc.text else blob[:3000]
    year = find_year(head) or find_year(doc.text) or _year_from_name(source)
    version, how = detect_format(_without_spaces(blob), year)
    title, agency = find_title_and_agency(doc.text)
    report = Report(format=version, year=year, agency=agency, title=title, source=source)
    if not doc.tokens:
        raise ReportReadError("文件里没有任何文字 / the file holds no text")
    if how != "表格栏目":
        report.problems.append(Problem(
            "format-guessed", f"表格中没有能区分两版格式的栏目，按{how}判断为{version}年格式", "info"))
    reader = TableReader(report, doc.tokens, texts, blob)
    reader.read()
    if not reader.rows_found:
        raise ReportReadError(
            "找不到年度报告的任何表格（主动公开、依申请公开、复议诉讼），这不像一份政府信息公开工作年度报告 "
            "/ no annual-report table found"
        )
    report.narrative = split_sections(doc.text)
    report.figures = find_figures(doc.text)
    return report


def _without_spaces(blob: str) -> str:
    """The tokens' texts run together (``blob``) without white space: what the format is told by.

    This is ``compact(blob)`` without NFKC: every reader normalises its tokens' texts already
    (NFKC, no no-break or zero-width spaces), and NFKC of such texts run together changes at
    most a combining mark or a conjoining jamo where two of them meet, never the markers
    (ideographs and "/") that :func:`detect_format` counts in it.
    """
    return "".join(blob.split())


def parse_bytes(data: bytes, name: str = "") -> Report:
    if data.lstrip()[:1] == b"{":
        return _from_json(data, name)
    return parse_document(read_bytes(data, name), source=name or None)


def _from_json(data: bytes, name: str) -> Report:
    """A report as ``gongkai report parse --json`` wrote it."""
    import json

    try:
        report = Report.from_json(json.loads(data.decode("utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReportReadError(f"JSON 文件无法解析：{exc} / invalid JSON") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReportReadError(f"JSON 不是 gongkai 的年度报告格式：{exc} / not a gongkai report JSON") from None
    report.source = name or report.source
    return report


def parse_file(path: str | os.PathLike[str]) -> Report:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReportReadError(f"无法打开文件 {p}：{exc.strerror} / cannot open file") from None
    if p.is_dir():
        raise ReportReadError(f"{p} 是一个文件夹，不是文件 / a folder, not a file")
    if size > MAX_BYTES:
        raise ReportReadError(
            f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB），不像一份年度报告 / file too large"
        )
    return parse_bytes(p.read_bytes(), p.name)


def _year_from_name(name: str | None) -> int | None:
    if not name:
        return None
    import re

    m = re.search(r"(?<!\d)(20[12]\d)(?!\d)", name)
    return int(m.group(1)) if m else None
