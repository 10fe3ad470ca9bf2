"""A year's holiday arrangement (节假日安排) typed in by an administrator.

Every year the State Council's General Office publishes
《国务院办公厅关于XXXX年部分节假日安排的通知》, usually in November or December for the next
year. The ``chinesecalendar`` package encodes these notices, but only up to the year of its
latest release; for a newer year an administrator types the notice into a small text file and
imports it with ``gongkai calendar import FILE``.

Line format (UTF-8; one entry a line; ``#`` starts a comment; blank lines are ignored;
the English or the Chinese keyword may be used)::

    # 国务院办公厅关于2027年部分节假日安排的通知
    year    2027                                  # 年份 2027 — required, once
    notice  国务院办公厅关于2027年部分节假日安排的通知    # 通知 … — optional
    holiday 2027-01-01..2027-01-03 元旦             # 放假 … — every day of the span is a day off
    holiday 2027年5月1日至5月5日 劳动节
    workday 2027-02-20 春节调休                     # 上班 … — a Saturday/Sunday worked (调休上班)

Dates are ``2027-01-01`` (also ``2027-1-1``, ``2027/1/1``) or ``2027年1月1日``. A span is written
``FIRST..LAST``, ``FIRST至LAST`` or ``FIRST~LAST``; LAST may leave out the year (``5月5日``,
``05-05``). The rest of the line is the name shown in explanations.

The same data as JSON (detected by a leading ``{``)::

    {"year": 2027, "notice": "国务院办公厅关于2027年部分节假日安排的通知",
     "holidays": [{"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"},
                  {"date": "2027-05-01", "name": "劳动节"}],
     "workdays": [{"date": "2027-02-20", "name": "春节调休"}]}

(an entry may also be a plain string, ``"2027-01-01"`` or ``"2027-01-01..2027-01-03"``).

Rules checked, each failure a :class:`ScheduleError` naming the file and the line (or JSON entry):

* ``year`` must be given exactly once;
* every date lies in the declared year, **or** in the December before / the January after it:
  a notice sometimes covers the days around 元旦 of the neighbouring year (the 2023 notice:
  "元旦：2022年12月31日至2023年1月2日放假调休"). Any other date is refused;
* a make-up workday (调休上班) must be a Saturday or a Sunday;
* no date may be listed twice, nor be both a holiday and a workday;
* a span runs forward and is at most 31 days long (longer is a typing mistake);
* at least one holiday must be given.

Holidays are stored as every day of each span, weekend days included, like the notice says
"1月28日至2月4日放假". A day that is neither listed holiday nor listed workday follows the week:
Monday–Friday work, Saturday/Sunday rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from .text import HOLIDAY, cn_date, cn_weekday

MAX_SPAN_DAYS = 31

KEYWORDS = {
    "year": "year", "年份": "year",
    "notice": "notice", "通知": "notice",
    "holiday": "holiday", "放假": "holiday",
    "workday": "workday", "上班": "workday",
}

_FULL = (r"(?P<{p}y>\d{{4}})(?:[-/](?P<{p}m1>\d{{1,2}})[-/](?P<{p}d1>\d{{1,2}})"
         r"|年(?P<{p}m2>\d{{1,2}})月(?P<{p}d2>\d{{1,2}})日)")
_SHORT = r"(?:(?P<em3>\d{1,2})[-/](?P<ed3>\d{1,2})|(?P<em4>\d{1,2})月(?P<ed4>\d{1,2})日)"
_SPAN_RE = re.compile(
    r"^" + _FULL.format(p="s") + r"(?:\s*(?:\.\.|至|~|～)\s*(?:" + _FULL.format(p="e") + "|" + _SHORT + r"))?"
    r"(?:\s+(?P<name>.*?))?\s*$"
)


class ScheduleError(ValueError):
    """A holiday schedule that cannot be used: the message names the file and the line."""

    def __init__(self, name: str, where: str, zh: str, en: str) -> None:
        self.name = name
        self.where = where
        self.zh = zh
        self.en = en
        location = f"{name} {where}" if where else name
        super().__init__(f"{location}：{zh} / {en}")


@dataclass(frozen=True)
class YearSchedule:
    """One year's 节假日安排: the days off and the weekend days worked (调休上班).

    ``holidays`` holds every day of every holiday span (weekend days inside a span included);
    ``makeup_workdays`` the Saturdays and Sundays that are working days. A date not in either
    follows the week. ``names`` gives each listed date its name for explanations.
    """

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    names: Mapping[date, str] = field(default_factory=dict, compare=False, hash=False)
    notice: str = ""
    source: str = field(default="", compare=False, repr=False)

    def lists(self, d: date) -> bool:
        """Whether the schedule names *d* explicitly (as holiday or as make-up workday)."""
        return d in self.holidays or d in self.makeup_workdays

    def is_workday(self, d: date) -> bool:
        """Working day by this schedule (the caller makes sure the schedule is for *d*'s year)."""
        if d in self.makeup_workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def name_of(self, d: date) -> str | None:
        """The holiday's or the make-up day's name, ``None`` for an ordinary day."""
        return self.names.get(d) if self.lists(d) else None


@dataclass
class _Entry:
    kind: str  # "holiday" | "workday"
    first: date
    last: date
    name: str
    ref_zh: str  # "第3行" or "holidays[0]"
    ref_en: str  # "line 3" or "holidays[0]"

    @property
    def where(self) -> str:
        return self.ref_zh if self.ref_zh == self.ref_en else f"{self.ref_zh} ({self.ref_en})"


def parse_schedule(text: str, name: str) -> YearSchedule:
    """Read a schedule in the line format or as JSON (see the module docstring).

    *name* (usually the file name) is used in error messages. Raises :class:`ScheduleError`.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.lstrip().startswith("{"):
        year, notice, entries = _read_json(text, name)
    else:
        year, notice, entries = _read_lines(text, name)
    return _build(year, notice, entries, text, name)


def _err(name: str, where: str, zh: str, en: str) -> ScheduleError:
    return ScheduleError(name, where, zh, en)


def _line_where(n: int) -> str:
    return f"第{n}行 (line {n})"


def _make_date(name: str, where: str, y: str, m: str, d: str, raw: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise _err(name, where, f"日期“{raw}”不存在", f"'{raw}' is not a valid date") from None


def _parse_span(value: str, name: str, where: str) -> tuple[date, date, str]:
    m = _SPAN_RE.match(value.strip())
    if not m:
        raise _err(name, where, f"无法识别的日期“{value.strip()}”，应写作 2027-01-01 或 2027-01-01..2027-01-03",
                   f"cannot read the date '{value.strip()}': write 2027-01-01 or 2027-01-01..2027-01-03")
    g = m.groupdict()
    raw = value.strip()
    first = _make_date(name, where, g["sy"], g["sm1"] or g["sm2"], g["sd1"] or g["sd2"], raw)
    if g["ey"]:
        last = _make_date(name, where, g["ey"], g["em1"] or g["em2"], g["ed1"] or g["ed2"], raw)
    elif g["em3"] or g["em4"]:
        last = _make_date(name, where, str(first.year), g["em3"] or g["em4"], g["ed3"] or g["ed4"], raw)
    else:
        last = first
    return first, last, (g["name"] or "").strip()


def _read_lines(text: str, name: str) -> tuple[int | None, str, list[_Entry]]:
    year: int | None = None
    year_line = 0
    notice = ""
    entries: list[_Entry] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = _line_where(n)
        parts = line.split(None, 1)
        keyword = KEYWORDS.get(parts[0].lower())
        rest = parts[1].strip() if len(parts) > 1 else ""
        if keyword is None:
            raise _err(name, where,
                       f"无法识别“{line}”：每行应以 year/年份、notice/通知、holiday/放假 或 workday/上班 开头",
                       f"cannot read '{line}': a line starts with year, notice, holiday or workday")
        if keyword == "year":
            if year is not None:
                raise _err(name, where, f"年份重复声明（第{year_line}行已声明 {year}）",
                           f"the year is declared twice (line {year_line} says {year})")
            if not re.fullmatch(r"\d{4}", rest):
                raise _err(name, where, f"年份应为四位数字，而不是“{rest}”",
                           f"the year must be four digits, not '{rest}'")
            year, year_line = int(rest), n
        elif keyword == "notice":
            notice = rest
        else:
            if not rest:
                raise _err(name, where, "缺少日期", "a date is missing")
            first, last, label = _parse_span(rest, name, where)
            entries.append(_Entry(keyword, first, last, label, f"第{n}行", f"line {n}"))
    return year, notice, entries


def _read_json(text: str, name: str) -> tuple[int | None, str, list[_Entry]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _err(name, _line_where(exc.lineno), f"JSON 格式错误：{exc.msg}", f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise _err(name, "", "JSON 顶层应为对象 {…}", "the JSON top level must be an object")
    unknown = sorted(set(data) - {"year", "notice", "holidays", "workdays"})
    if unknown:
        raise _err(name, "", f"无法识别的字段 {', '.join(unknown)}", f"unknown keys {', '.join(unknown)}")
    year = data.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int | str)
                             or not re.fullmatch(r"\d{4}", str(year))):
        raise _err(name, "year", f"年份应为四位数字，而不是“{year}”", f"the year must be four digits, not '{year}'")
    notice = data.get("notice") or ""
    if not isinstance(notice, str):
        raise _err(name, "notice", "notice 应为文字", "notice must be a string")
    entries: list[_Entry] = []
    for key, kind in (("holidays", "holiday"), ("workdays", "workday")):
        items = data.get(key, [])
        if not isinstance(items, list):
            raise _err(name, key, f"{key} 应为列表 […]", f"{key} must be a list")
        for i, item in enumerate(items):
            where = f"{key}[{i}]"
            if isinstance(item, str):
                first, last, label = _parse_span(item, name, where)
            elif isinstance(item, dict):
                label = item.get("name") or ""
                bad = sorted(set(item) - {"date", "from", "to", "name"})
                if bad or not isinstance(label, str):
                    raise _err(name, where, "条目只能有 date、from、to、name 四个字段",
                               "an entry has only the keys date, from, to, name")
                if "date" in item and not ({"from", "to"} & set(item)):
                    first, last, _ = _parse_span(str(item["date"]), name, where)
                elif "from" in item and "to" in item and "date" not in item:
                    first, _, _ = _parse_span(str(item["from"]), name, where)
                    last, _, _ = _parse_span(str(item["to"]), name, where)
                else:
                    raise _err(name, where, "条目应有 date，或同时有 from 和 to",
                               "an entry needs date, or both from and to")
            else:
                raise _err(name, where, "条目应为日期文字或对象", "an entry must be a date string or an object")
            entries.append(_Entry(kind, first, last, label.strip(), where, where))
    return (int(year) if year is not None else None), notice, entries


def _build(year: int | None, notice: str, entries: list[_Entry], text: str, name: str) -> YearSchedule:
    if year is None:
        raise _err(name, "", "缺少年份：请加一行 year 2027（或 年份 2027）",
                   "the year is missing: add a line 'year 2027'")
    holidays: dict[date, _Entry] = {}
    workdays: dict[date, _Entry] = {}
    for e in entries:
        if e.last < e.first:
            raise _err(name, e.where, f"结束日期 {cn_date(e.last)} 早于开始日期 {cn_date(e.first)}",
                       f"the span ends ({e.last}) before it starts ({e.first})")
        length = (e.last - e.first).days + 1
        if length > MAX_SPAN_DAYS:
            raise _err(name, e.where, f"放假区间长达{length}天，超过{MAX_SPAN_DAYS}天，请检查日期",
                       f"a span of {length} days is longer than {MAX_SPAN_DAYS}: check the dates")
        if e.kind == "workday" and e.first != e.last:
            raise _err(name, e.where, "调休上班日应逐日列出，每行一个日期",
                       "list make-up workdays one date a line, not as a span")
        for i in range(length):
            d = e.first + timedelta(days=i)
            _check_year(d, year, name, e.where)
            if e.kind == "workday" and d.weekday() < 5:
                raise _err(name, e.where, f"{cn_date(d)}是{cn_weekday(d)}，调休上班日只能是星期六或星期日",
                           f"{d} is a {d.strftime('%A')}: a make-up workday must be a Saturday or Sunday")
            other = workdays.get(d) if e.kind == "holiday" else holidays.get(d)
            if other is not None:
                raise _err(name, e.where, f"{cn_date(d)}同时列为放假和调休上班（另见{other.ref_zh}）",
                           f"{d} is listed both as holiday and as workday (see also {other.ref_en})")
            same = holidays if e.kind == "holiday" else workdays
            if d in same:
                raise _err(name, e.where, f"{cn_date(d)}重复列出（另见{same[d].ref_zh}）",
                           f"{d} is listed twice (see also {same[d].ref_en})")
            same[d] = e
    if not holidays:
        raise _err(name, "", f"没有任何放假日期：请按通知逐项填写 holiday 行（{year}年）",
                   "no holiday is given: type each holiday line of the notice")
    names = {d: e.name or (HOLIDAY if e.kind == "holiday" else "调休上班")
             for d, e in (*holidays.items(), *workdays.items())}
    return YearSchedule(year=year, holidays=frozenset(holidays), makeup_workdays=frozenset(workdays),
                        names=names, notice=notice, source=text)


def _check_year(d: date, year: int, name: str, where: str) -> None:
    if d.year == year or (d.year == year - 1 and d.month == 12) or (d.year == year + 1 and d.month == 1):
        return
    raise _err(name, where,
               f"{cn_date(d)}不在{year}年内（只接受{year}年的日期，以及相邻的{year - 1}年12月、{year + 1}年1月）",
               f"{d} is outside {year} (only {year}, December {year - 1} and January {year + 1} are accepted)")
