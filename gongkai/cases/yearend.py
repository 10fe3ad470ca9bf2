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

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q

from gongkai.report.formats import APPLICANT_COLUMNS, format_for_year
from gongkai.report.model import CellKey, Report

from .models import Appeal, Case
from .outcomes import row_for

T3 = "t3_requests"
T4 = "t4_review_litigation"
_TYPES = [c.key for c in APPLICANT_COLUMNS if c.key != "total"]


def build_report(agency_ids: Iterable[int], year: int, agency_name: str | None = None) -> Report:
    """第三部分 and 第四部分 for ``year`` over ``agency_ids`` (one agency, or a jurisdiction rolled up)."""
    ids = list(agency_ids)
    version = format_for_year(year)
    report = Report(format=version, year=year, agency=agency_name)
    fill_requests(report, ids, year)
    fill_appeals(report, ids, year)
    return report


def _zeros(report: Report, table_key: str) -> dict[CellKey, int]:
    table = report.definition.table(table_key)
    return {(table_key, row.key, col.key): 0 for row in table.data_rows for col in table.columns}


def fill_requests(report: Report, agency_ids: list[int], year: int) -> None:
    start, end = date(year, 1, 1), date(year, 12, 31)
    cases = Case.objects.filter(agency_id__in=agency_ids, received_on__isnull=False, received_on__lte=end)
    rows = (
        cases.exclude(decided_on__lt=start)
        .values("applicant_type")
        .annotate(
            new=Count("id", filter=Q(received_on__gte=start)),
            carried=Count("id", filter=Q(received_on__lt=start)),
            forward=Count("id", filter=Q(decided_on__isnull=True) | Q(decided_on__gt=end)),
        )
        .order_by()
    )
    outcomes = (
        cases.filter(decided_on__gte=start, decided_on__lte=end)
        .values("applicant_type", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = _zeros(report, T3)

    def add(row: str, applicant_type: str, n: int) -> None:
        counts[(T3, row, applicant_type)] += n
        counts[(T3, row, "total")] += n

    for r in rows:
        add("new_requests", r["applicant_type"], r["new"])
        add("carried_over", r["applicant_type"], r["carried"])
        add("carried_forward", r["applicant_type"], r["forward"])
    for o in outcomes:
        add(row_for(o["outcome"], report.format), o["applicant_type"], o["n"])
        add("results_total", o["applicant_type"], o["n"])
    report.cells.update(counts)


_ROUTES: dict[str, str] = {Appeal.Route.REVIEW: "review", Appeal.Route.SUIT_DIRECT: "suit_direct",
                           Appeal.Route.SUIT_AFTER_REVIEW: "suit_after_review"}


def fill_appeals(report: Report, agency_ids: list[int], year: int) -> None:
    start, end = date(year, 1, 1), date(year, 12, 31)
    open_by_end = Q(result=Appeal.Result.PENDING) | Q(decided_on__gt=end)
    rows = (
        Appeal.objects.filter(agency_id__in=agency_ids, filed_on__lte=end)
        .exclude(decided_on__lt=start)
        .values("route")
        .annotate(
            upheld=Count("id", filter=Q(result=Appeal.Result.UPHELD, decided_on__lte=end)),
            corrected=Count("id", filter=Q(result=Appeal.Result.CORRECTED, decided_on__lte=end)),
            other=Count("id", filter=Q(result=Appeal.Result.OTHER, decided_on__lte=end)),
            pending=Count("id", filter=open_by_end),
        )
        .order_by()
    )
    counts = _zeros(report, T4)
    for r in rows:
        prefix = _ROUTES[r["route"]]
        for result in ("upheld", "corrected", "other", "pending"):
            counts[(T4, "cases", f"{prefix}_{result}")] += r[result]
            counts[(T4, "cases", f"{prefix}_total")] += r[result]
    report.cells.update(counts)
