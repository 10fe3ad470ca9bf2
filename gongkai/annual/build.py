"""Building an agency's annual report from what gongkai holds.

第三部分 and 第四部分 come from the cases (:mod:`gongkai.cases.yearend`), 第二部分 from the catalogue
and the yearly figures (:mod:`gongkai.catalogue.yearend`), the narrative from templates filled
with the same figures — so the prose and the tables cannot disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Sum
from django.template import Context, Engine

from gongkai.agencies.models import Agency
from gongkai.cases import clock
from gongkai.cases.models import Case, FeeNotice
from gongkai.cases.yearend import build_report
from gongkai.report.formats import SECTIONS
from gongkai.report.model import Report

NARRATIVE = Path(__file__).with_name("narrative")
_ENGINE = Engine(builtins=["django.template.defaultfilters"], autoescape=False)


@dataclass
class Figures:
    """The year's figures the narrative states (each also in a table, or counted the same way)."""

    items_published: int = 0
    normative_issued: int = 0
    interpretations: int = 0
    requests_new: int = 0
    requests_carried_over: int = 0
    requests_decided: int = 0
    requests_in_time: int = 0
    requests_carried_forward: int = 0
    reviews: int = 0
    suits: int = 0
    fees_collected: Decimal = Decimal(0)


def agency_ids(agency: Agency, include_subordinates: bool) -> list[int]:
    return sorted(agency.descendant_ids()) if include_subordinates else [agency.pk]


def build(agency: Agency, year: int, include_subordinates: bool = False) -> Report:
    """The whole report for ``year``: every table of the year's format and the narrative."""
    ids = agency_ids(agency, include_subordinates)
    report = build_report(ids, year, agency.name)
    report.title = f"{agency.name}{year}年政府信息公开工作年度报告"
    report.cells.update(second_part(ids, year, report.format))
    figures = count_figures(ids, year, report)
    report.narrative = {"preamble": _preamble(year)}
    for section in SECTIONS:
        template = NARRATIVE / f"{section.key}.txt"
        text = _ENGINE.from_string(template.read_text(encoding="utf-8")).render(
            Context({"agency": agency, "year": year, "f": figures}))
        report.narrative[section.key] = text.strip()
    report.source = f"gongkai：{agency.code} {year}年度（{'含下级机关' if include_subordinates else '本机关'}）"
    return report


def _preamble(year: int) -> str:
    return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公厅政府信息与政务公开办公室"
            f"印发的政府信息公开工作年度报告格式要求编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")


def second_part(ids: list[int], year: int, version: str) -> dict[Any, Any]:
    """第二部分 from the catalogue, when the catalogue app is installed; otherwise nothing (unread)."""
    from django.apps import apps

    if not apps.is_installed("gongkai.catalogue"):
        return {}
    from gongkai.catalogue.yearend import second_part_cells

    return dict(second_part_cells(ids, year, version))


def count_figures(ids: list[int], year: int, report: Report) -> Figures:
    t3, t4 = "t3_requests", "t4_review_litigation"
    f = Figures(
        requests_new=int(report.value(t3, "new_requests", "total")),
        requests_carried_over=int(report.value(t3, "carried_over", "total")),
        requests_decided=int(report.value(t3, "results_total", "total")),
        requests_carried_forward=int(report.value(t3, "carried_forward", "total")),
        reviews=int(report.value(t4, "cases", "review_total")),
        suits=int(report.value(t4, "cases", "suit_direct_total")
                  + report.value(t4, "cases", "suit_after_review_total")),
    )
    f.requests_in_time = answered_in_time(ids, year)
    f.fees_collected = FeeNotice.objects.filter(
        case__agency_id__in=ids, paid_on__year=year).aggregate(s=Sum("amount_yuan"))["s"] or Decimal(0)
    f.items_published, f.normative_issued, f.interpretations = _catalogue_counts(ids, year)
    return f


def answered_in_time(ids: list[int], year: int) -> int:
    """Cases closed in ``year`` on or before their due date (第三十三条, with its pauses and extension)."""
    calendar = clock.work_calendar()
    closed = (Case.objects.filter(agency_id__in=ids, decided_on__year=year)
              .select_related("correction", "extension", "fee_notice").prefetch_related("consultations"))
    n = 0
    for case in closed:
        if case.answered_on_the_spot or case.outcome in ("other_no_correction", "other_fee_unpaid"):
            n += 1
            continue
        due = clock.answer_due(case, calendar).date
        if due is not None and case.decided_on is not None and case.decided_on <= due:
            n += 1
    return n


def _catalogue_counts(ids: list[int], year: int) -> tuple[int, int, int]:
    from django.apps import apps

    if not apps.is_installed("gongkai.catalogue"):
        return 0, 0, 0
    from gongkai.catalogue.yearend import narrative_counts

    return narrative_counts(ids, year)


def figures_dict(f: Figures) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(f).items()}

