"""The annual report's 第二部分 (主动公开政府信息情况) from the catalogue and the yearly figures.

Counted by the database (one aggregate query for the documents, one per year of figures), over
the agencies given (one agency, or a jurisdiction rolled up).  Cells are keyed like
:mod:`gongkai.report` — ``(table, row, column)`` — so they complete the
:class:`~gongkai.report.model.Report` of :func:`gongkai.cases.yearend.build_report`.

第二十条第（一）项 counts the published 规章 (``rule``) and 行政规范性文件 (``normative_document``)
in the catalogue now (a withdrawn item was never validly published and is not counted):

* 2021 format — 本年制发件数: 印发日期 in the year; 本年废止件数: 废止日期 in the year;
  现行有效件数: issued by 31 December and neither repealed nor expired by then (those not yet in
  effect on that day included, so that 现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y) − 失效(Y));
* 2019 format — 本年新制作数量: 印发日期 in the year; 本年新公开数量: 发布日期 in the year;
  对外公开总数量: published by 31 December.

第二十条第（五）（六）（八）（九）项 come from :class:`~gongkai.catalogue.models.YearlyFigure`: the
figures the agencies entered, summed.  A figure no agency entered is left out (the report shows
the cell as unread), never filled with 0.  2019's 上一年项目数量 and 本年增/减 come from the item
counts entered for the previous year and this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from gongkai.report.formats import FORMAT_2019, format_for_year
from gongkai.report.model import CellKey, Number, Report

from .models import DocumentKind, Item, State, YearlyFigure

ROWS = {DocumentKind.RULE: "rules", DocumentKind.NORMATIVE: "normative_documents"}

# report row → (YearlyFigure decisions field, 2019 item-count field)
_DECISIONS = {
    ("t2_item5", "administrative_licensing"): ("licensing_decisions", "licensing_items"),
    ("t2_item5", "other_management_services"): ("other_services_decisions", "other_services_items"),
    ("t2_item6", "administrative_penalty"): ("penalty_decisions", "penalty_items"),
    ("t2_item6", "administrative_coercion"): ("coercion_decisions", "coercion_items"),
}
_FIGURE_FIELDS = ("licensing_decisions", "penalty_decisions", "coercion_decisions", "fee_amount", "licensing_items",
                  "other_services_items", "other_services_decisions", "penalty_items", "coercion_items", "fee_items",
                  "procurement_projects", "procurement_amount")


def second_part_cells(agency_ids: Iterable[int], year: int, version: str | None = None) -> dict[CellKey, Number]:
    """Every cell of 第二部分 the catalogue and the yearly figures can fill, for ``year`` in
    ``version`` (default: the format of the year)."""
    ids = list(agency_ids)
    version = version or format_for_year(year)
    cells: dict[CellKey, Number] = {}
    cells.update(_documents(ids, year, version))
    cells.update(_figures(ids, year, version))
    return cells


def fill_second_part(report: Report, agency_ids: Iterable[int]) -> None:
    """Complete ``report`` (a :func:`~gongkai.cases.yearend.build_report` result) with 第二部分."""
    assert report.year is not None
    report.cells.update(second_part_cells(agency_ids, report.year, report.format))
    if report.format == FORMAT_2019 and ("t2_item9", "government_procurement", "procurement_amount") in report.cells:
        report.units[("t2_item9", "government_procurement", "procurement_amount")] = "万元"


def _documents(ids: list[int], year: int, version: str) -> dict[CellKey, Number]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    issued = Q(issued_on__gte=start, issued_on__lte=end)
    aggregates: dict[str, Any] = {}
    for kind in ROWS:
        k = Q(kind=kind)
        if version == FORMAT_2019:
            aggregates[f"{kind}|made_this_year"] = Count("id", filter=k & issued)
            aggregates[f"{kind}|published_this_year"] = Count("id", filter=k & Q(published_on__gte=start,
                                                                                published_on__lte=end))
            aggregates[f"{kind}|published_total"] = Count("id", filter=k & Q(published_on__lte=end))
        else:
            aggregates[f"{kind}|issued_this_year"] = Count("id", filter=k & issued)
            aggregates[f"{kind}|repealed_this_year"] = Count("id", filter=k & Q(repealed_on__gte=start,
                                                                               repealed_on__lte=end))
            aggregates[f"{kind}|in_force"] = Count(
                "id", filter=k & Q(issued_on__lte=end) & ~Q(repealed_on__lte=end) & ~Q(expired_on__lte=end))
    counts = (Item.objects.filter(agency_id__in=ids, state=State.PUBLISHED, kind__in=list(ROWS))
              .aggregate(**aggregates))
    cells: dict[CellKey, Number] = {}
    for key, n in counts.items():
        kind_value, column = key.split("|")
        cells[("t2_item1", ROWS[DocumentKind(kind_value)], column)] = int(n or 0)
    return cells


def _sums(ids: list[int], year: int) -> dict[str, Any]:
    return YearlyFigure.objects.filter(agency_id__in=ids, year=year).aggregate(
        **{f: Sum(f) for f in _FIGURE_FIELDS})


def _figures(ids: list[int], year: int, version: str) -> dict[CellKey, Number]:
    this = _sums(ids, year)
    cells: dict[CellKey, Number] = {}

    def put(key: CellKey, value: Any) -> None:
        if value is not None:
            cells[key] = _amount(value) if isinstance(value, Decimal) else int(value)

    if version != FORMAT_2019:
        for (table, row), (decisions, _) in _DECISIONS.items():
            if row != "other_management_services":
                put((table, row, "decisions"), this[decisions])
        put(("t2_item8", "administrative_fees", "fee_amount"), this["fee_amount"])
        return cells
    last = _sums(ids, year - 1)
    rows = {**{k: v[1] for k, v in _DECISIONS.items()}, ("t2_item8", "administrative_fees"): "fee_items"}
    for (table, row), items in rows.items():
        put((table, row, "items_last_year"), last[items])
        if last[items] is not None and this[items] is not None:
            put((table, row, "change_this_year"), this[items] - last[items])
        if (table, row) in _DECISIONS:
            put((table, row, "decisions"), this[_DECISIONS[(table, row)][0]])
    put(("t2_item9", "government_procurement", "procurement_projects"), this["procurement_projects"])
    put(("t2_item9", "government_procurement", "procurement_amount"), this["procurement_amount"])
    return cells


def _amount(value: Decimal) -> Decimal:
    """An amount in 万元 as entered: at most 6 places (the field's), no trailing zeros — the same on
    every database (SQLite's SUM returns 14 places, PostgreSQL's the column's 6)."""
    text = format(value.quantize(Decimal("0.000001")), "f")
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def agencies_without_figures(agency_ids: Iterable[int], year: int) -> list[int]:
    """The agencies that entered no yearly figures for ``year`` (their share of the sums is missing)."""
    ids = list(agency_ids)
    entered = set(YearlyFigure.objects.filter(agency_id__in=ids, year=year).values_list("agency_id", flat=True))
    return [i for i in ids if i not in entered]


def narrative_counts(agency_ids: Iterable[int], year: int) -> tuple[int, int, int]:
    """(information published in the year, 行政规范性文件 issued in the year — the table's 本年制发件数,
    政策解读 published in the year) for the report's prose."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_year = Q(published_on__gte=start, published_on__lte=end)
    counts = Item.objects.filter(agency_id__in=list(agency_ids), state=State.PUBLISHED).aggregate(
        published=Count("id", filter=in_year),
        normative=Count("id", filter=Q(kind=DocumentKind.NORMATIVE, issued_on__gte=start, issued_on__lte=end)),
        interpretations=Count("id", filter=in_year & Q(interprets__isnull=False)),
    )
    return counts["published"], counts["normative"], counts["interpretations"]
