"""Flatten a report to text the way real portals do, to test the parser on every shape.

Styles: ``pipes`` (one cell per line between pipe lines, as the seed), ``spaces`` (one row per
line, cells separated by spaces), ``tabs``, ``markdown`` and ``runtogether`` (a row's figures
printed with no separator, as the 平潭 pages).
"""

from __future__ import annotations

from decimal import Decimal

from gongkai.report.formats import SECTIONS
from gongkai.report.model import Report

STYLES = ("pipes", "spaces", "tabs", "markdown", "runtogether")


def _v(report: Report, key: tuple[str, str, str]) -> str:
    v = report.cells.get(key)
    if v is None:
        return ""
    text = format(v, "f") if isinstance(v, Decimal) else str(v)
    unit = report.units.get(key)
    col = report.definition.table(key[0]).column(key[2])
    return text + unit if unit and not col.unit else text


def _row(style: str, label: str, values: list[str]) -> list[str]:
    if style == "pipes":
        out = [f"| {label}", "|"]
        for v in values:
            out += [v, "|"]
        return out
    if style == "spaces":
        return [" ".join([label, *values])]
    if style == "tabs":
        return ["\t".join([label, *values])]
    if style == "markdown":
        return ["| " + " | ".join([label, *values]) + " |"]
    return [label + "".join(values)]


def flatten(report: Report, style: str) -> str:
    fmt = report.definition
    lines = [f"{report.agency or ''}{report.year}年政府信息公开工作年度报告",
             f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。",
             "一、总体情况", "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。"]
    by_section: dict[str, list] = {}
    for table in fmt.tables:
        by_section.setdefault(table.section, []).append(table)
    for section in SECTIONS[1:]:
        lines.append(f"{section.number}、{section.label}")
        for table in by_section.get(section.number, []):
            if table.key.startswith("t2_"):
                lines.append(table.label)
                lines += _row(style if style != "runtogether" else "spaces", "信息内容",
                              [c.label for c in table.columns])
            elif table.key == "t3_requests":
                lines += _row("spaces", "申请人情况", [c.label for c in table.columns])
            else:
                lines.append("行政复议 行政诉讼")
                lines.append(" ".join(c.label for c in table.columns))
                values = [_v(report, (table.key, "cases", c.key)) for c in table.columns]
                lines.append(("" if style == "runtogether" else " ").join(values))
                continue
            for row in table.rows:
                if row.heading:
                    lines.append(row.label)
                    continue
                values = [_v(report, (table.key, row.key, c.key)) for c in table.columns]
                lines += _row(style, row.label, values)
        if section.key == "problems":
            lines.append("工作人员不足。")
        if section.key == "other":
            lines.append("无。")
    return "\n".join(lines) + "\n"
