"""Cutting run-together text at the report's own words.

Some portals flatten a whole report into one line: "…规章 000行政规范性文件693665第二十条第（五）项
信息内容本年处理决定数量行政许可2293 …1.属于国家秘密00000002.其他法律行政法规禁止公开…".  Every
label, header and heading the official formats print is a known phrase; cutting long text at
those phrases (longest first) and between digits and words gives back the cells.  A row's
numbering glued to the figures before it ("…00000002.其他法律…") comes apart by itself, because
the phrase "2.其他法律行政法规禁止公开" starts at the "2".
"""

from __future__ import annotations

import re
from functools import cache

from ..formats import FORMAT_DEFINITIONS, SECTIONS, T3_NOTE
from .tokens import compact

_EXTRA = ("信息内容", "申请人情况", "法人或其他组织", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉",
          T3_NOTE, "三、本年度办理结果")


def _variants(label: str) -> set[str]:
    """A label with the numbering punctuation publishers use: 1.X, 1、X, and X alone when long."""
    c = compact(label)
    out = {c}
    m = re.match(r"^(\d{1,2})[.、](.+)$", c)
    if m:
        out |= {f"{m.group(1)}.{m.group(2)}", f"{m.group(1)}、{m.group(2)}"}
        if len(m.group(2)) >= 4:
            out.add(m.group(2))
    m = re.match(r"^(\([一二三四五六七八九十]+\))(.+)$", c)
    if m and len(m.group(2)) >= 4:
        out.add(m.group(2))
    return out


@cache
def phrase_pattern() -> re.Pattern[str]:
    phrases: set[str] = set()
    for section in SECTIONS:
        for alias in section.aliases:
            phrases |= {f"{section.number}、{alias}", f"{section.number}.{alias}"}
    for fmt in FORMAT_DEFINITIONS.values():
        for table in fmt.tables:
            phrases.add(compact(table.label))
            phrases |= {compact(a) for a in table.anchors}
            for row in table.rows:
                phrases |= _variants(row.label)
            for col in table.columns:
                phrases.add(compact(col.label))
    phrases |= {compact(x) for x in _EXTRA}
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in ordered))


_NUMBER_RUN = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?(?:万元|元)?")


def _split_gap(gap: str) -> list[str]:
    """Text between phrases: figures and words apart ("2293" from "…行政许可2293")."""
    out: list[str] = []
    pos = 0
    for m in _NUMBER_RUN.finditer(gap):
        if m.start() > pos:
            out.append(gap[pos:m.start()])
        out.append(m.group(0))
        pos = m.end()
    if pos < len(gap):
        out.append(gap[pos:])
    return [x for x in (s.strip() for s in out) if x]


def cut(piece: str) -> list[str]:
    """``piece`` cut into phrases, figures and the words between; unchanged when nothing is known in it."""
    pattern = phrase_pattern()
    out: list[str] = []
    pos = 0
    found = False
    for m in pattern.finditer(piece):
        found = True
        if m.start() > pos:
            out.extend(_split_gap(piece[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    if not found:
        return [piece]
    if pos < len(piece):
        out.extend(_split_gap(piece[pos:]))
    return out
