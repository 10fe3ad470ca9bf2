"""The report's prose: its year, agency and title, its six sections, and the figures it states.

Reports state figures in words ("全县受理依申请公开8件", "主动公开政府信息991条") that should
agree with the tables; the checker compares them (rule N-1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..formats import SECTIONS
from ..model import NarrativeFigure

_YEAR_PATTERNS = (
    re.compile(r"(20\d{2})\s*年\s*度?\s*政府信息公开(?:工作)?(?:年度)?报告"),
    re.compile(r"统计期限[^0-9]{0,6}(20\d{2})\s*年\s*1\s*月\s*1\s*日"),
    re.compile(r"(20\d{2})\s*年\s*1\s*月\s*1\s*日\s*[起至到]"),
    re.compile(r"(20\d{2})\s*年度"),
)
_TITLE = re.compile(
    r"^(?P<agency>[^\d，。,]{2,40}?)\s*(?P<year>20\d{2})\s*年\s*度?\s*政府信息公开(?:工作)?(?:年度)?报告")
_TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>20\d{2})\s*年\s*度?\s*(?P<agency>[^\d，。,]{2,40}?)\s*政府信息公开(?:工作)?(?:年度)?报告")
_AGENCY = re.compile(r"([\u4e00-\u9fff]{2,30}?)(?:制定|编制|发布|编写)了?(?:本)?(?:20\d{2})\s*年\s*度?")


def find_year(text: str) -> int | None:
    for pattern in _YEAR_PATTERNS:
        m = pattern.search(text)
        if m:
            return int(m.group(1))
    return None


def find_title_and_agency(text: str) -> tuple[str | None, str | None]:
    """The title and the agency as printed: "大英县政府办公室2020年…报告" or "2024 年上海市科委…报告".

    Titles wrap over two lines on PDFs, so each line is also tried joined with the next.
    """
    lines = [_clean_title_line(line) for line in _first_lines(text, 20)]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        for candidate in (line, line + (lines[i + 1] if i + 1 < len(lines) else "")):
            if len(candidate) >= 80 or "政府信息公开" not in candidate:
                continue  # (both title patterns read 政府信息公开 in it)
            m = _TITLE.match(candidate) or _TITLE_YEAR_FIRST.match(candidate)
            if m:
                agency = m.group("agency").strip(" 《")
                return candidate, agency or None
    m = _AGENCY.search(text[:2000])
    return None, (m.group(1) if m else None)


def _first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]``, without splitting the whole text."""
    size = 1024
    while size < len(text):
        lines = text[:size].splitlines()
        if len(lines) > count:  # the first ``count`` lines end before the cut
            return lines[:count]
        size *= 4
    return text.splitlines()[:count]


_TITLE_PREFIX = re.compile(r"^[#\s]*(?:标题|题目|title)?\s*[:：]?\s*", re.IGNORECASE)


# What a prefix that _TITLE_PREFIX removes can start with in a stripped line (IGNORECASE: "t" or "T").
_TITLE_PREFIX_STARTS = frozenset("#标题tT:：")


def _clean_title_line(line: str) -> str:
    line = line.strip()
    if line[:1] not in _TITLE_PREFIX_STARTS:
        return line  # (the prefix matched is empty)
    # The prefix can only be at the start (^), where it always matches (maybe empty): what
    # re.sub would remove.
    return line[_TITLE_PREFIX.match(line).end():].strip()  # type: ignore[union-attr]


_HEADING = re.compile(
    r"^[ \t|]*(?:(?P<num>[一二三四五六])[、.,]|\((?P<pnum>[一二三四五六])\))[ \t]*(?P<rest>[^\n]{0,40})$",
    re.MULTILINE)
# Where a heading can start: after a line break, past spaces, tabs and pipes, a number or "(".
_HEADING_START = re.compile(r"\n[ \t|]*[一二三四五六(]")


def _headings(text: str) -> Iterator[re.Match[str]]:
    """``_HEADING.finditer(text)``: a heading is one line, so it is matched at the start of the
    text and after each line break that a number (or a parenthesis) follows."""
    m = _HEADING.match(text)
    if m:
        yield m
    for start in _HEADING_START.finditer(text):
        m = _HEADING.match(text, start.start() + 1)
        if m:
            yield m


def _prose_lines(chunk: str) -> list[str]:
    """The lines of at least 31 characters holding no pipe or tab (what ``^[^|\t\n]{31,}$`` finds)."""
    return [line for line in chunk.split("\n") if len(line) >= 31 and "|" not in line and "\t" not in line]


def split_sections(text: str) -> dict[str, str]:
    """The prose under each of the six headings (and ``preamble`` before the first).

    Under the headings of the table sections (二, 三, 四) only lines of prose are kept, not the
    flattened table.
    """
    by_number = {s.number: s for s in SECTIONS}
    order = [s.number for s in SECTIONS]
    cuts: list[tuple[int, int, str]] = []  # (start of heading, end of heading, section key)
    last = -1
    for m in _headings(text):
        number = m.group("num") or m.group("pnum")
        section = by_number[number]
        rest = "".join(m.group("rest").split())
        if order.index(number) > last and any(a in rest for a in section.aliases):
            cuts.append((m.start(), m.end(), section.key))
            last = order.index(number)
    out: dict[str, str] = {}
    bounds = [(0, 0, "preamble"), *cuts]
    for i, (_, body_start, key) in enumerate(bounds):
        body_end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        chunk = text[body_start:body_end]
        if key in ("proactive", "requests", "review_litigation"):
            lines = [x.strip() for x in _prose_lines(chunk)]
        else:
            lines = [s for x in chunk.splitlines() if (s := x.strip())]
        if lines:
            out[key] = "\n".join(lines)
    return out


# (key, label, pattern): the figure is the pattern's last group.  Each pattern starts with its
# keyword (no optional prefix), which lets the regex engine skip ahead: prose is most of a report.
_FIGURES = (
    ("requests_received", "收到（受理）政府信息公开申请",
     re.compile(r"(?:受理|收到|新收|接收)[^，。；,;]{0,12}?(?:政府信息公开申请|依申请公开|公开申请|信息公开申请)[^，。；,;\d]{0,4}?"
                r"(?:共|合计)?(\d+)\s*(?:件|个|份|宗|条)")),
    ("requests_answered", "办结（答复）政府信息公开申请",
     re.compile(r"(?<![公开理])(?:办结|答复)[^，。；,;\d]{0,10}?(?:申请)?[^，。；,;\d]{0,4}?(?:共|合计)?(\d+)\s*件")),
    # "受理依申请公开8件，均在法定期限内答复申请人": the text says all of them were answered.
    ("requests_answered", "办结（答复）政府信息公开申请",
     re.compile(r"(?:受理|收到)[^，。；,;]{0,12}?(?:申请|依申请公开)[^，。；,;\d]{0,4}?(?:共|合计)?(\d+)\s*件[，,]\s*"
                r"(?:均|全部|都)[^。；;]{0,12}?(?:答复|办结|办理完毕)")),
    ("requests_disclosed", "予以公开及部分公开",
     re.compile(r"予以公开(?:及|和|、)部分公开[^，。；,;\d]{0,4}?(\d+)\s*件")),
    ("reviews", "行政复议",
     re.compile(r"行政复议(?:案件|申请)?[^，。；,;\d]{0,3}?(\d+)\s*(?:件|起|宗)")),
    ("lawsuits", "行政诉讼",
     re.compile(r"行政诉讼(?:案件)?[^，。；,;\d]{0,3}?(\d+)\s*(?:件|起|宗)")),
    ("proactive_items", "主动公开政府信息",
     re.compile(r"主动公开[^，。；,;\d]{0,20}?信息[^，。；,;\d]{0,4}?(?:共|合计|累计)?(\d+)\s*条")),
    ("interpretations", "政策解读",
     re.compile(r"政策解读[^，。；,;\d]{0,6}?(\d+)\s*(?:篇|条|期|件)")),
)


# The keywords each pattern of _FIGURES starts with (its first group): a pattern is tried only
# where one of its keywords is (:func:`_keyword_matches`).
_KEYWORDS = (("受理", "收到", "新收", "接收"), ("办结", "答复"), ("受理", "收到"), ("予以公开",), ("行政复议",),
             ("行政诉讼",), ("主动公开",), ("政策解读",))
_FIGURE_KEYWORDS = tuple((key, label, pattern, keywords)
                         for (key, label, pattern), keywords in zip(_FIGURES, _KEYWORDS, strict=True))
for _key, _label, _pattern, _keywords in _FIGURE_KEYWORDS:  # each pattern begins with its keywords
    assert re.sub(r"^\(\?<!\[[^]]*\]\)", "", _pattern.pattern).startswith(
        f"(?:{'|'.join(_keywords)})" if len(_keywords) > 1 else _keywords[0]), _key


def _keyword_matches(pattern: re.Pattern[str], keywords: tuple[str, ...], line: str,
                     places: dict[str, list[int]] | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(line)`` for a pattern whose every match starts with one of ``keywords``:
    tried only where a keyword is (a text is mostly words that start none).

    ``places`` keeps where each keyword is in ``line``, for the next pattern with that keyword.
    """
    starts: list[int] = []
    for keyword in keywords:
        found = places.get(keyword) if places is not None else None
        if found is None:
            found = []
            i = line.find(keyword)
            while i >= 0:
                found.append(i)
                i = line.find(keyword, i + 1)
            if places is not None:
                places[keyword] = found
        starts.extend(found)
    end = 0
    for pos in sorted(starts):
        if pos >= end:
            m = pattern.match(line, pos)
            if m is not None:
                yield m
                end = m.end()


def _within_a_line(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` (one of _FIGURES) with no match running over a line break: what it finds in one
    line of a text, it finds where that line is in the whole text.

    None of the patterns reads "." or an anchor: only white space (``\\s``) and the classes of
    what a character is not (``[^…]``) match a line break, and both are made not to here.
    """
    source = pattern.pattern
    if re.search(r"(?<!\\)\.|\[[^\]]*\\s|\$|(?<![\[\\])\^", source):  # (the rewrite below would be wrong)
        raise ValueError(f"a figure pattern may not use '.', '^', '$' or \\s within [...]: {source}")
    source = source.replace("[^", "[^\\n").replace("\\s", "[^\\S\\n]")
    return re.compile(source, pattern.flags)


# _FIGURE_KEYWORDS with each pattern made not to run over a line break.
_TEXT_FIGURES = tuple((key, label, _within_a_line(pattern), keywords)
                      for key, label, pattern, keywords in _FIGURE_KEYWORDS)


def find_figures(text: str) -> list[NarrativeFigure]:
    """Figures stated in prose lines (a line holding a pipe is a flattened table, not prose).

    Each pattern is looked for in the whole text at once (at the places where one of its keywords
    is), not line by line; the figures are listed line by line, in the order of the patterns.
    """
    found: list[tuple[int, int, int, re.Match[str]]] = []  # (start of the line, pattern, start, match)
    lines: dict[int, bool] = {}  # start of a line: whether it is prose (8 characters or more, no pipe)
    places: dict[str, list[int]] = {}  # where each keyword is (two patterns share 受理 and 收到)
    for number, (_, _, pattern, keywords) in enumerate(_TEXT_FIGURES):
        for m in _keyword_matches(pattern, keywords, text, places):
            start = m.start()
            line_start = text.rfind("\n", 0, start) + 1
            prose = lines.get(line_start)
            if prose is None:
                line_end = text.find("\n", start)
                line = text[line_start:] if line_end < 0 else text[line_start:line_end]
                prose = lines[line_start] = len(line) >= 8 and "|" not in line
            if prose:
                found.append((line_start, number, start, m))
    figures: list[NarrativeFigure] = []
    n = 1  # the number of the line that starts at ``counted``
    counted = 0
    for line_start, number, _, m in sorted(found, key=_place):
        n += text.count("\n", counted, line_start)
        counted = line_start
        key, label = _TEXT_FIGURES[number][:2]
        figures.append(NarrativeFigure(key, label, int(m.group(1)), m.group(0), f"正文第{n}行"))
    return figures


def _place(entry: tuple[int, int, int, re.Match[str]]) -> tuple[int, int, int]:
    return entry[0], entry[1], entry[2]
