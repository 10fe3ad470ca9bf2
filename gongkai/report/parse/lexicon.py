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
    """Every known phrase, as one regular expression of one group that matches the longest phrase
    at the leftmost place where one starts: ``split`` keeps the phrases between the text around them.

    Compiling it costs a process more than cutting a report (the trie is some 1,700 characters of
    pattern), so it is compiled once, as the group :func:`cut` splits with, not once more for that.
    """
    return re.compile(f"({_trie_pattern(_phrases())})")


def _phrases() -> set[str]:
    """The labels, headers and headings that the official formats print, without spaces."""
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
    return phrases


def _trie_pattern(phrases: set[str]) -> str:
    """One regular expression for ``phrases`` that matches, at the leftmost place where any
    phrase starts, the longest phrase starting there.

    That is what an alternation of the phrases sorted longest first matches; written as a trie
    (one branch per next character, the end of a phrase tried last) the engine tests each
    place against a handful of characters instead of every phrase in turn.
    """
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}  # a phrase ends here

    def build(node: dict[str, dict]) -> str:
        # Children start with different characters, so at most one of them can match: the
        # longest match below is taken if there is one, else this node's own end (the "?").
        branches = [re.escape(ch) + build(node[ch]) for ch in sorted(ch for ch in node if ch)]
        if not branches:
            return ""
        ends = "" in node
        if len(branches) == 1 and not ends:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if ends else "")

    return build(trie)


# The figures in text between phrases, kept by re.split (the group) between the words around them.
# It is ``[+-]?\d[\d,]*(?:\.\d+)?(?:万元|元)?`` written to start with a character class (a sign
# followed by a digit, or a digit), which lets the engine skip the text that cannot start one.
_NUMBER_RUN = re.compile(r"([+\-\d](?:(?<=\d)|(?=\d))[\d,]*(?:\.\d+)?(?:万元|元)?)")


def _split_gap(gap: str) -> list[str]:
    """Text between phrases: figures and words apart ("2293" from "…行政许可2293")."""
    return list(filter(None, map(str.strip, _NUMBER_RUN.split(gap))))


def cut(piece: str) -> list[str]:
    """``piece`` cut into phrases, figures and the words between; unchanged when nothing is known in it."""
    parts = phrase_pattern().split(piece)  # text, phrase, text, phrase, …, text
    if len(parts) == 1:
        return [piece]
    out: list[str] = []
    split_gap = _NUMBER_RUN.split
    for i, part in enumerate(parts):
        if i & 1:
            out.append(part)  # a phrase
        elif part:
            out.extend(filter(None, map(str.strip, split_gap(part))))  # figures and words apart
    return out
