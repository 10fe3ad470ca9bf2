"""The annual report's 第三部分 and 第四部分 computed from an agency's cases.

Counted by the database (one GROUP BY per table), never by looping over cases in Python.  The
definitions make 一 + 二 = 三 + 四 hold by construction, column by column:

* 一、本年新收: received in the year;
* 二、上年结转: received before the year and not closed before it;
* 三、办理结果: closed in the year, one row per outcome (2019 format: the three （六） codes
  fold into （六）其他处理);
* 四、结转下年度: received by 31 December and still open on that day (next year's 二).

Every case received by 31 December is in exactly one of "closed before the year", 三 or 四.
第四部分 counts appeals filed by 31 December and not decided before the year; those decided
after 31 December are 尚未审结.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import Count, Q, QuerySet

from gongkai.report.formats import format_for_year, get_format
from gongkai.report.model import CellKey, Report

from .models import Appeal, Case
from .outcomes import OUTCOME_KEYS, row_for

T3 = "t3_requests"
T4 = "t4_review_litigation"


def build_report(agency_ids: Iterable[int], year: int, agency_name: str | None = None) -> Report:
    """第三部分 and 第四部分 for ``year`` over ``agency_ids`` (one agency, or a jurisdiction rolled up)."""
    ids = list(agency_ids)
    report = Report(format=format_for_year(year), year=year, agency=agency_name)
    fill_requests(report, ids, year)
    fill_appeals(report, ids, year)
    return report


def build_reports(agency_ids: Iterable[int], year: int) -> dict[int, Report]:
    """Each agency's own 第三部分 and 第四部分, from one grouped query per table for all of them."""
    ids = list(agency_ids)
    version = format_for_year(year)
    reports = {i: Report(format=version, year=year) for i in ids}
    t3 = {i: _zeros(version, T3) for i in ids}
    for agency_id, cell, n in _request_counts(ids, year, version, per_agency=True):
        assert agency_id is not None
        t3[agency_id][cell] += n
    t4 = {i: _zeros(version, T4) for i in ids}
    for agency_id, cell, n in _appeal_counts(ids, year, per_agency=True):
        assert agency_id is not None
        t4[agency_id][cell] += n
    for i, report in reports.items():
        report.cells.update(t3[i])
        report.cells.update(t4[i])
    return reports


def _zeros(version: str, table_key: str) -> dict[CellKey, int]:
    table = get_format(version).table(table_key)
    return {(table_key, row.key, col.key): 0 for row in table.data_rows for col in table.columns}


def fill_requests(report: Report, agency_ids: list[int], year: int) -> None:
    counts = _zeros(report.format, T3)
    for _, cell, n in _request_counts(agency_ids, year, report.format, per_agency=False):
        counts[cell] += n
    report.cells.update(counts)


def _request_counts(agency_ids: list[int], year: int, version: str,
                    per_agency: bool) -> Iterator[tuple[int | None, CellKey, int]]:
    """(agency or None, cell, count) — the applicant column and its 总计 both get each count."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    keys = ["agency_id", "applicant_type", "outcome"] if per_agency else ["applicant_type", "outcome"]
    rows = (
        Case.objects.filter(agency_id__in=agency_ids, received_on__isnull=False, received_on__lte=end)
        .exclude(decided_on__lt=start)
        .values(*keys)
        .annotate(
            new=Count("id", filter=Q(received_on__gte=start)),
            carried=Count("id", filter=Q(received_on__lt=start)),
            forward=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
            decided=Count("id", filter=Q(decided_on__gte=start, decided_on__lte=end)),
        )
        .order_by()
        .values_list(*keys, "new", "carried", "forward", "decided")  # tuples: 170,000 groups at province scale
    )
    result_row = {outcome: row_for(outcome, version) for outcome in OUTCOME_KEYS}
    for r in rows:
        agency = r[0] if per_agency else None
        kind, outcome, new, carried, forward, decided = r[-6:]
        for row, n in (("new_requests", new), ("carried_over", carried), ("carried_forward", forward)):
            if n:
                yield agency, (T3, row, kind), n
                yield agency, (T3, row, "total"), n
        if decided:
            for row in (result_row[outcome], "results_total"):
                yield agency, (T3, row, kind), decided
                yield agency, (T3, row, "total"), decided


_ROUTES: dict[str, str] = {Appeal.Route.REVIEW: "review", Appeal.Route.SUIT_DIRECT: "suit_direct",
                           Appeal.Route.SUIT_AFTER_REVIEW: "suit_after_review"}


def fill_appeals(report: Report, agency_ids: list[int], year: int) -> None:
    counts = _zeros(report.format, T4)
    for _, cell, n in _appeal_counts(agency_ids, year, per_agency=False):
        counts[cell] += n
    report.cells.update(counts)


def _appeal_counts(agency_ids: list[int], year: int,
                   per_agency: bool) -> Iterator[tuple[int | None, CellKey, int]]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    open_by_end = Q(result=Appeal.Result.PENDING) | Q(decided_on__gt=end)
    keys = ["agency_id", "route"] if per_agency else ["route"]
    rows = (
        Appeal.objects.filter(agency_id__in=agency_ids, filed_on__lte=end)
        .exclude(decided_on__lt=start)
        .values(*keys)
        .annotate(
            upheld=Count("id", filter=Q(result=Appeal.Result.UPHELD, decided_on__lte=end)),
            corrected=Count("id", filter=Q(result=Appeal.Result.CORRECTED, decided_on__lte=end)),
            other=Count("id", filter=Q(result=Appeal.Result.OTHER, decided_on__lte=end)),
            pending=Count("id", filter=open_by_end),
        )
        .order_by()
    )
    for r in rows:
        agency = r["agency_id"] if per_agency else None
        prefix = _ROUTES[r["route"]]
        for result in ("upheld", "corrected", "other", "pending"):
            if r[result]:
                yield agency, (T4, "cases", f"{prefix}_{result}"), r[result]
                yield agency, (T4, "cases", f"{prefix}_total"), r[result]


def cases_behind(agency_ids: Iterable[int], year: int, row: str, column: str) -> QuerySet[Case]:
    """The cases counted in one cell of 第三部分 (the drill-down from a figure to its cases)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cases = Case.objects.filter(agency_id__in=list(agency_ids), received_on__isnull=False, received_on__lte=end) \
        .exclude(decided_on__lt=start)
    if column != "total":
        cases = cases.filter(applicant_type=column)
    version = format_for_year(year)
    if row == "new_requests":
        return cases.filter(received_on__gte=start)
    if row == "carried_over":
        return cases.filter(received_on__lt=start)
    if row == "carried_forward":
        return cases.filter(Q(decided_on__isnull=True) | Q(decided_on__gt=end))
    decided = cases.filter(decided_on__gte=start, decided_on__lte=end)
    if row == "results_total":
        return decided
    outcomes = [o for o in OUTCOME_KEYS if row_for(o, version) == row]
    if not outcomes:
        raise ValueError(f"第三部分没有“{row}”这一行")
    return decided.filter(outcome__in=outcomes)
