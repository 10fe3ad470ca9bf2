"""Every consistency rule (勾稽关系) of the annual report, as data, with one evaluator.

Rules come from ``shared/spec/annual-report-format.md`` §5.  Only T3-1 is printed on the form;
the others follow from the definitions of the rows and columns.  ``error`` rules are hard
(a report that breaks one is wrong); ``warning`` rules flag what is suspicious but can be right.

Rules are declared as data (:data:`SUM_RULES`, :data:`CROSS_YEAR_RULES`) and expanded into
concrete checks over cells (:func:`sum_checks`).  The same concrete checks serve the checker
and the parser, which uses them to split digits that a published page ran together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from operator import itemgetter
from typing import Any, Literal

from .formats import (
    AMOUNT_PRECISION,
    APPLICANT_COLUMNS,
    APPLICANT_KEYS,
    FORMAT_2019,
    FORMAT_2021,
    FORMATS,
    T3_RESULT_ROWS,
    T4_GROUPS,
    ReportFormat,
    format_for_year,
    get_format,
)
from .model import CellKey, Number, Report

Severity = Literal["error", "warning"]
Relation = Literal["=", "<="]


@dataclass(frozen=True)
class SumRule:
    """``sum(lhs) <relation> sum(rhs)``, repeated for each column (or each row) listed in ``each``.

    With ``along="column"``, ``lhs`` and ``rhs`` are row keys and ``each`` lists the columns;
    with ``along="row"`` they are column keys and ``each`` lists the rows.
    """

    id: str
    text: str  # the rule in words
    formats: tuple[str, ...]
    table: str
    along: Literal["column", "row"]
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    each: tuple[str, ...]
    relation: Relation = "="
    severity: Severity = "error"


@dataclass(frozen=True)
class Check:
    """One concrete instance of a :class:`SumRule` over named cells."""

    rule: SumRule
    lhs: tuple[CellKey, ...]
    rhs: tuple[CellKey, ...]

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return self.lhs + self.rhs

    @cached_property
    def cellset(self) -> frozenset[CellKey]:
        return frozenset(self.lhs + self.rhs)

    def holds(self, values: Mapping[CellKey, Number | None]) -> bool | None:
        """True/False, or None when a cell is not known (blank cells count as 0)."""
        try:
            left = sum((values[k] or 0) for k in self.lhs)
            right = sum((values[k] or 0) for k in self.rhs)
        except KeyError:
            return None
        return left == right if self.rule.relation == "=" else left <= right


_T3 = "t3_requests"
_T4 = "t4_review_litigation"
_ALL_APPLICANT_COLUMNS = tuple(c.key for c in APPLICANT_COLUMNS)


def _t3_rows(version: str) -> tuple[str, ...]:
    return tuple(r.key for r in get_format(version).table(_T3).data_rows)


SUM_RULES: tuple[SumRule, ...] = (
    *(
        SumRule(
            "T3-1",
            "第三部分每一列：一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理（表中注明的勾稽关系）",
            (v,),
            _T3,
            "column",
            ("new_requests", "carried_over"),
            ("results_total", "carried_forward"),
            _ALL_APPLICANT_COLUMNS,
        )
        for v in FORMATS
    ),
    *(
        SumRule(
            "T3-2",
            "第三部分每一列：（七）总计 = 三、本年度办理结果各项之和（（一）至（六）及其分项）",
            (v,),
            _T3,
            "column",
            ("results_total",),
            T3_RESULT_ROWS[v],
            _ALL_APPLICANT_COLUMNS,
        )
        for v in FORMATS
    ),
    *(
        SumRule(
            "T3-3",
            "第三部分每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他",
            (v,),
            _T3,
            "row",
            ("total",),
            APPLICANT_KEYS,
            _t3_rows(v),
        )
        for v in FORMATS
    ),
    *(
        SumRule(
            f"T4-{i}",
            f"第四部分{label}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
            FORMATS,
            _T4,
            "row",
            (f"{group}_total",),
            tuple(f"{group}_{o}" for o in ("upheld", "corrected", "other", "pending")),
            ("cases",),
        )
        for i, (group, label) in enumerate(T4_GROUPS, start=1)
    ),
    SumRule(
        "T2-1",
        "第二十条第（一）项（2019格式）：本年新公开数量不应大于对外公开总数量",
        (FORMAT_2019,),
        "t2_item1",
        "row",
        ("published_this_year",),
        ("published_total",),
        ("rules", "normative_documents"),
        relation="<=",
        severity="warning",
    ),
)


@cache
def sum_checks(version: str) -> tuple[Check, ...]:
    """Every concrete sum check of a format, in rule order."""
    checks: list[Check] = []
    for rule in SUM_RULES:
        if version not in rule.formats:
            continue
        for each in rule.each:
            if rule.along == "column":
                lhs = tuple((rule.table, r, each) for r in rule.lhs)
                rhs = tuple((rule.table, r, each) for r in rule.rhs)
            else:
                lhs = tuple((rule.table, each, c) for c in rule.lhs)
                rhs = tuple((rule.table, each, c) for c in rule.rhs)
            checks.append(Check(rule, lhs, rhs))
    return tuple(checks)


# ---------------------------------------------------------------------------------------------
# Violations


@dataclass(slots=True)  # (made for every cell a violation names: a few hundred a report)
class CellRef:
    key: CellKey
    label: str
    value: Number | None
    location: str = ""

    def to_json(self) -> dict[str, object]:
        v: object = str(self.value) if isinstance(self.value, Decimal) else self.value
        return {"cell": "/".join(self.key), "label": self.label, "value": v, "source": self.location or None}


@dataclass
class Violation:
    rule: str  # stable rule id, e.g. "T3-1"
    severity: Severity
    text: str  # the rule in words
    detail: str  # what was found, in words
    cells: list[CellRef] = field(default_factory=list)
    expected: str | None = None
    found: str | None = None

    # A sum rule's violation (most of a report's, and most are only counted) is made without its
    # ``detail`` and ``cells``: they are worked out from what its ``_lazy`` entry in ``__dict__``
    # holds (:func:`_sum_detail`) when either is first read.
    def __getattr__(self, name: str) -> Any:  # (only called for an attribute not set)
        state = self.__dict__
        lazy = state.get("_lazy")
        if lazy is None or name not in ("detail", "cells"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        state["detail"], state["cells"] = _sum_detail(*lazy)
        state.pop("_lazy", None)  # (another thread may have worked them out as well)
        return state[name]

    def __getstate__(self) -> dict[str, Any]:
        self.detail  # noqa: B018 (worked out, for a copy or a pickle to hold)
        return self.__dict__

    def to_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "text": self.text,
            "detail": self.detail,
            "expected": self.expected,
            "found": self.found,
            "cells": [c.to_json() for c in self.cells],
        }


def cell_label(fmt: ReportFormat, key: CellKey) -> str:
    return _cell_label(fmt.version, key)


@cache  # keyed by the version: hashing a whole ReportFormat would cost more than the label
def _cell_label(version: str, key: CellKey) -> str:
    table = get_format(version).table(key[0])
    row = table.row(key[1])
    col = table.column(key[2])
    col_label = f"{col.group}·{col.label}" if col.group and key[0] == _T4 else col.label
    if key[0] == _T4:
        return f"{table.label} / {col_label}"
    return f"{table.label} / {row.label} / {col_label}"


def _ref(report: Report, key: CellKey) -> CellRef:
    return CellRef(key, cell_label(report.definition, key), report.get(*key), report.location(key))


def _fmt(v: Number) -> str:
    return format(v, "f") if isinstance(v, Decimal) else str(v)


@cache
def _short_label(version: str, key: CellKey) -> str:
    table = get_format(version).table(key[0])
    if key[0] == _T4:
        return table.column(key[2]).label
    return table.row(key[1]).label.split("（区分")[0]


def _terms_named(values: tuple[Number | None, ...], names: tuple[str, ...]) -> str:
    """The terms of a sum as shown, each figure with its name: "自然人 3 + 商业企业 1" (with more
    than three terms, only those that are not 0).  (``_fmt`` of an int is ``str``.)"""
    if len(values) == 1:  # a total (the left of most rules): what the list below makes of it, at once
        w = values[0] or 0
        return f"{names[0]} {w}" if type(w) is int else f"{names[0]} {_fmt(w)}"
    if len(values) > 3:
        parts = [f"{name} {v}" if type(v) is int else f"{name} {_fmt(v)}"  # type: ignore[arg-type]
                 for name, v in zip(names, values, strict=True) if v]
    else:
        parts = [f"{name} {w}" if type(w := v or 0) is int else f"{name} {_fmt(w)}"
                 for name, v in zip(names, values, strict=True)]
    return " + ".join(parts) if parts else "0"


class _SumPlan:
    """What a violation of one check says that does not depend on the figures, worked out once."""

    __slots__ = (
        "cells",
        "equal",
        "expected_op",
        "get_lhs",
        "get_rhs",
        "in_lhs",
        "labels",
        "lhs",
        "lhs_names",
        "relation",
        "rhs",
        "rhs_names",
        "rule",
        "scope",
        "total",
    )

    def __init__(self, check: Check, fmt: ReportFormat):
        rule = check.rule
        self.lhs, self.rhs, self.cells, self.rule = check.lhs, check.rhs, check.cells, rule
        self.equal = rule.relation == "="
        table = fmt.table(rule.table)
        if rule.table == _T4:
            self.scope = table.column(check.lhs[0][2]).group or ""
        elif rule.along == "column":
            self.scope = f"“{table.column(check.lhs[0][2]).label}”列"
        else:
            self.scope = f"“{_short_label(fmt.version, check.lhs[0])}”行"
        along = "row" if rule.table != _T4 and rule.along == "row" else "column"
        self.relation = "应等于" if rule.relation == "=" else "应不大于"
        self.expected_op = "=" if rule.relation == "=" else "<="

        def name(k: CellKey) -> str:
            return fmt.table(k[0]).column(k[2]).label if along == "row" else _short_label(fmt.version, k)

        self.lhs_names = tuple(name(k) for k in check.lhs)
        self.rhs_names = tuple(name(k) for k in check.rhs)
        self.labels = tuple(_cell_label(fmt.version, k) for k in check.cells)  # along check.cells
        self.in_lhs = tuple(k in check.lhs for k in check.cells)
        self.get_lhs = _getter(check.lhs)
        self.get_rhs = _getter(check.rhs)
        # The one cell of a left side that is a single cell (a total, in most rules), else None.
        self.total = check.lhs[0] if len(check.lhs) == 1 else None


def _getter(keys: tuple[CellKey, ...]) -> Callable[[Mapping[CellKey, Number | None]], tuple[Number | None, ...]]:
    """The values of ``keys`` (a tuple, in order) from a mapping; KeyError when one is not there."""
    if len(keys) == 1:
        get = itemgetter(keys[0])
        return lambda values: (get(values),)
    if not keys:
        return lambda values: ()
    return itemgetter(*keys)  # type: ignore[return-value]


@cache
def _sum_plans(version: str) -> tuple[_SumPlan, ...]:
    """A plan for each of ``sum_checks(version)``, in the same order."""
    checks = sum_checks(version)
    return tuple(_SumPlan(c, get_format(version)) for c in checks) if checks else ()


def _sum_violations(report: Report) -> Iterator[Violation]:
    values = report.cells
    locations = report.locations
    report.definition  # noqa: B018 (an unknown format fails here, as it always has)
    for plan in _sum_plans(report.format):
        # What Check.holds decides, from the sums it compares; not decidable when a cell is not read.
        try:
            # (one cell: what get_lhs gives, without the call)
            lhs = plan.get_lhs(values) if plan.total is None else (values[plan.total],)
            rhs = plan.get_rhs(values)
        except KeyError:
            continue
        # sum(v or 0 …): a blank or 0 adds nothing (after the 0 that sum starts from, not even a
        # Decimal's exponent), so only the figures are added, in order; one figure v is 0 + v.
        left: Number = sum(filter(None, lhs)) if plan.total is None else (0 + lhs[0] if lhs[0] else 0)
        right: Number = sum(filter(None, rhs))
        if (left == right) if plan.equal else (left <= right):
            continue
        shown_left = str(left) if type(left) is int else _fmt(left)  # _fmt(an int) is str()
        shown_right = str(right) if type(right) is int else _fmt(right)
        rule = plan.rule
        violation = _new_object(Violation)
        violation.__dict__ = {  # Violation(rule.id, …) with detail and cells left to _sum_detail
            "rule": rule.id, "severity": rule.severity, "text": rule.text,
            "_lazy": (plan, lhs, rhs, shown_left, shown_right, locations),
            "expected": f"{plan.expected_op} {shown_right}", "found": shown_left,
        }
        yield violation


_new_object = object.__new__


def _sum_detail(plan: _SumPlan, lhs: tuple[Number | None, ...], rhs: tuple[Number | None, ...], shown_left: str,
                shown_right: str, locations: Mapping[CellKey, str]) -> tuple[str, list[CellRef]]:
    """A sum rule's violation's ``detail`` and ``cells``, from what :func:`_sum_violations` found."""
    cells = zip(plan.cells, plan.labels, lhs + rhs, plan.in_lhs, strict=True)  # check.cells is lhs + rhs
    if len(plan.cells) <= 6:
        refs = [CellRef(k, label, v, locations.get(k, "")) for k, label, v, _ in cells]
    else:
        refs = [CellRef(k, label, v, locations.get(k, "")) for k, label, v, in_lhs in cells if v or in_lhs]
    detail = (f"{plan.scope}：{_terms_named(lhs, plan.lhs_names)} = {shown_left}，{plan.relation} "
              f"{_terms_named(rhs, plan.rhs_names)} = {shown_right}")
    return detail, refs


@cache
def _data_cells(version: str) -> tuple[dict[CellKey, tuple[int, str, str | None]], tuple[CellKey, ...]]:
    """Every data cell of a format with its place in layout order, its column's kind and header
    unit; and the cells that hold amounts."""
    fmt = get_format(version)
    cells = [((table.key, row.key, col.key), col.kind, col.unit)
             for table in fmt.tables for row in table.data_rows for col in table.columns]
    return ({key: (place, kind, unit) for place, (key, kind, unit) in enumerate(cells)},
            tuple(key for key, kind, _ in cells if kind == "amount"))


def _value_violations(report: Report) -> Iterator[Violation]:
    report.definition  # noqa: B018 (an unknown format fails here, as it always has)
    cells = report.cells
    layout, amounts = _data_cells(report.format)
    # A count as it should be (an int, not negative) is passed over below; only the other figures
    # and the amounts (a few cells a report) are gone through, in layout order.
    looked_at = {key for key, v in cells.items() if type(v) is not int or v < 0}
    looked_at.update(key for key in amounts if key in cells)
    for key in sorted((key for key in looked_at if key in layout), key=layout.__getitem__):
        v = cells[key]
        _, kind, header_unit = layout[key]
        if type(v) is int and kind != "amount" and (v >= 0 or kind == "signed_count"):
            continue  # a count as it should be: none of the rules below applies
        if v is None:
            yield Violation(
                "V-blank", "warning", "每个数据单元格都应填写数字（没有的填0）",
                "单元格为空或为占位符，按0计算", [_ref(report, key)], expected="一个数字", found="空",
            )
            continue
        if kind in ("count", "signed_count"):
            if not isinstance(v, int) or isinstance(v, bool):
                yield Violation(
                    "V-integer", "error", "件数、项数必须是整数", f"{_fmt(v)} 不是整数",  # type: ignore[arg-type]
                    [_ref(report, key)], expected="整数", found=_fmt(v),  # type: ignore[arg-type]
                )
            elif kind == "count" and v < 0:  # type: ignore[operator]
                yield Violation(
                    "V-negative", "error", "件数、项数不能为负数（只有“本年增/减”可以为负）",
                    f"{v} 为负数", [_ref(report, key)], expected=">= 0", found=str(v),
                )
        else:
            yield from _amount_violations(report, key, v, header_unit)  # type: ignore[arg-type]


def _amount_violations(report: Report, key: CellKey, v: Number, header_unit: str | None) -> Iterator[Violation]:
    if v < 0:
        yield Violation("V-negative", "error", "金额不能为负数", f"{_fmt(v)} 为负数", [_ref(report, key)],
                        expected=">= 0", found=_fmt(v))
    unit = header_unit or report.units.get(key)
    if unit is None:
        if v != 0:
            yield Violation(
                "V-unit", "warning", "金额应注明单位（元或万元）",
                f"金额 {_fmt(v)} 没有单位，无法比较", [_ref(report, key)], expected="元或万元", found="无单位",
            )
        return
    places = AMOUNT_PRECISION.get(unit)
    exponent = Decimal(v).as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places is not None and decimals > places:
        yield Violation(
            "V-precision", "error", f"以{unit}为单位的金额最多保留{places}位小数（精确到分）",
            f"{_fmt(v)}{unit} 有{decimals}位小数", [_ref(report, key)],
            expected=f"<= {places} 位小数", found=f"{decimals} 位小数",
        )


def _format_violations(report: Report) -> Iterator[Violation]:
    if report.year is None:
        return
    try:
        required = format_for_year(report.year)
    except ValueError as exc:
        yield Violation("F-1", "error", "报告年度应为2019年或以后", str(exc))
        return
    if required != report.format:
        yield Violation(
            "F-1", "error",
            "2019、2020年度报告使用国办公开办函〔2019〕60号格式，2021年度起使用国办公开办函〔2021〕30号格式",
            f"{report.year}年度报告使用了{report.format}年格式，应使用{required}年格式",
            expected=required, found=report.format,
        )


# ---------------------------------------------------------------------------------------------
# Across years: this year's report against last year's (same agency, same scope).


@dataclass(frozen=True)
class CrossYearRule:
    id: str
    text: str
    severity: Severity


CROSS_YEAR_RULES = (
    CrossYearRule("X-1", "本年“二、上年结转”应等于上年报告“四、结转下年度继续办理”（每一列）", "error"),
    CrossYearRule("X-2", "现行有效件数应约等于上年现行有效件数 + 本年制发件数 − 本年废止件数", "warning"),
    CrossYearRule("X-3", "本年“上一年项目数量”应等于上年报告的“上一年项目数量 + 本年增/减”", "warning"),
)
_CROSS = {r.id: r for r in CROSS_YEAR_RULES}


def _cross_year_violations(report: Report, previous: Report) -> Iterator[Violation]:
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        yield Violation(
            "X-0", "warning", "上年报告应为本报告的前一年度",
            f"上年报告为{previous.year}年度，本报告为{report.year}年度：未做跨年核对",
        )
        return
    rule = _CROSS["X-1"]
    for col in _ALL_APPLICANT_COLUMNS:
        this_key, prev_key = (_T3, "carried_over", col), (_T3, "carried_forward", col)
        if this_key not in report.cells or prev_key not in previous.cells:
            continue
        this, prev = report.value(*this_key), previous.value(*prev_key)
        if this != prev:
            yield Violation(
                rule.id, rule.severity, rule.text,
                f"{report.definition.table(_T3).column(col).label}：本年上年结转 {this}，上年结转下年度 {prev}",
                [_ref(report, this_key), CellRef(prev_key, "上年报告 / " + cell_label(previous.definition, prev_key),
                                                  previous.get(*prev_key), previous.location(prev_key))],
                expected=str(prev), found=str(this),
            )
    if report.format == previous.format == FORMAT_2021:
        rule = _CROSS["X-2"]
        for row in ("rules", "normative_documents"):
            keys = [("t2_item1", row, c) for c in ("issued_this_year", "repealed_this_year", "in_force")]
            prev_key = ("t2_item1", row, "in_force")
            if not all(k in report.cells for k in keys) or prev_key not in previous.cells:
                continue
            issued, repealed, in_force = (report.value(*k) for k in keys)
            expected = previous.value(*prev_key) + issued - repealed
            if in_force != expected:
                yield Violation(
                    rule.id, rule.severity, rule.text,
                    f"{report.definition.table('t2_item1').row(row).label}：{previous.value(*prev_key)} + {issued} − "
                    f"{repealed} = {expected}，报告为 {in_force}",
                    [_ref(report, k) for k in keys], expected=str(expected), found=str(in_force),
                )
    if report.format == previous.format == FORMAT_2019:
        rule = _CROSS["X-3"]
        for table, rows in (("t2_item5", ("administrative_licensing", "other_management_services")),
                            ("t2_item6", ("administrative_penalty", "administrative_coercion")),
                            ("t2_item8", ("administrative_fees",))):
            for row in rows:
                this_key = (table, row, "items_last_year")
                prev_keys = [(table, row, "items_last_year"), (table, row, "change_this_year")]
                if this_key not in report.cells or not all(k in previous.cells for k in prev_keys):
                    continue
                expected = previous.value(*prev_keys[0]) + previous.value(*prev_keys[1])
                if report.value(*this_key) != expected:
                    yield Violation(
                        rule.id, rule.severity, rule.text,
                        f"{report.definition.table(table).row(row).label}：上年 {previous.value(*prev_keys[0])} "
                        f"{previous.value(*prev_keys[1]):+} = {expected}，本年报告为 {report.value(*this_key)}",
                        [_ref(report, this_key)], expected=str(expected), found=str(report.value(*this_key)),
                    )


# ---------------------------------------------------------------------------------------------
# Narrative figures against the tables (soft: N-1).

# What each narrative figure key compares to: a list of cells whose sum it should equal.
# Each figure the prose states, and the readings of the tables it may mean (any one matching is
# consistent): "受理申请749件" counts this year's new requests, or new plus carried over.
NARRATIVE_TARGETS: dict[str, tuple[tuple[CellKey, ...], ...]] = {
    "requests_received": (((_T3, "new_requests", "total"),),
                          ((_T3, "new_requests", "total"), (_T3, "carried_over", "total"))),
    "requests_answered": (((_T3, "results_total", "total"),),),
    "requests_disclosed": (((_T3, "disclosed", "total"), (_T3, "partially_disclosed", "total")),),
    "reviews": (((_T4, "cases", "review_total"),),),
    "lawsuits": (((_T4, "cases", "suit_direct_total"), (_T4, "cases", "suit_after_review_total")),),
}


def _narrative_violations(report: Report) -> Iterator[Violation]:
    for fig in report.figures:
        readings = [t for t in NARRATIVE_TARGETS.get(fig.key, ()) if all(k in report.cells for k in t)]
        if not readings:
            continue
        totals = [sum(report.value(*k) for k in targets) for targets in readings]
        if fig.value in totals:
            continue
        shown = " 或 ".join(str(t) for t in dict.fromkeys(totals))
        yield Violation(
            "N-1", "warning", "正文中的数字应与表格一致",
            f"正文“{fig.text}”（{fig.location or '正文'}）为 {fig.value}，表格为 {shown}",
            [_ref(report, k) for k in dict.fromkeys(k for t in readings for k in t)],
            expected=shown, found=str(fig.value),
        )


def evaluate(report: Report, previous: Report | None = None) -> list[Violation]:
    """Every violated rule of ``report`` (and, given last year's report, the cross-year rules)."""
    found: list[Violation] = []
    found.extend(_format_violations(report))
    found.extend(_value_violations(report))
    found.extend(_sum_violations(report))
    found.extend(_narrative_violations(report))
    if previous is not None:
        found.extend(_cross_year_violations(report, previous))
    return found


def errors(violations: Iterable[Violation]) -> list[Violation]:
    return [v for v in violations if v.severity == "error"]


__all__ = [
    "CROSS_YEAR_RULES",
    "FORMAT_2021",
    "SUM_RULES",
    "Check",
    "CrossYearRule",
    "SumRule",
    "Violation",
    "errors",
    "evaluate",
    "sum_checks",
]
