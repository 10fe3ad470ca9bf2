"""What a disclosure office supervising a jurisdiction needs to see for each agency below it.

For the report year ``year`` (the annual report due by 31 January of ``year + 1``, 第四十九条):
whether it was published and on time, the rules it breaks (the carry-over against the year before
included), and today's requests due soon and overdue.  No applicant's personal data appears here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gongkai.agencies.models import Agency
from gongkai.annual.models import AnnualReport
from gongkai.annual.services import latest
from gongkai.cases.reminders import due_cases
from gongkai.report.rules import Violation, evaluate


@dataclass
class AgencyRow:
    agency: Agency
    report: AnnualReport | None
    on_time: bool | None  # None: not published here (none, or a report imported from elsewhere)
    violations: list[Violation] = field(default_factory=list)
    due_soon: int = 0
    overdue: int = 0
    items_by_month: list[int] = field(default_factory=lambda: [0] * 12)  # published in the report year
    normative_in_force: int = 0
    normative_without_interpretation: int = 0

    @property
    def interpretation_coverage(self) -> str:
        """Share of published normative documents with a published 政策解读 ("—" when there are none)."""
        if not self.normative_in_force:
            return "—"
        covered = self.normative_in_force - self.normative_without_interpretation
        return f"{covered}/{self.normative_in_force}"

    @property
    def flags(self) -> list[str]:
        out = []
        if self.report is None:
            out.append(_("年度报告未发布"))
        elif self.on_time is False:
            out.append(_("年度报告逾期发布"))
        if any(v.rule.startswith("X-") for v in self.violations):
            out.append(_("上年结转与上年报告的结转下年度不一致"))
        if any(not v.rule.startswith("X-") for v in self.violations):
            out.append(_("年度报告表格数据不一致"))
        if self.overdue:
            out.append(ngettext("%(n)d件申请逾期未答复", "%(n)d件申请逾期未答复", self.overdue) % {"n": self.overdue})
        if self.normative_without_interpretation:
            n = self.normative_without_interpretation
            out.append(ngettext("%(n)d件规范性文件没有政策解读", "%(n)d件规范性文件没有政策解读", n) % {"n": n})
        return out


def rows(root: Agency, year: int, today: date) -> list[AgencyRow]:
    """Every agency in ``root``'s jurisdiction (root included), in code order."""
    agencies = list(Agency.objects.filter(pk__in=root.descendant_ids()).order_by("code"))
    deadline = date(year + 1, 1, 31)
    due = due_cases(today)
    ids = [a.pk for a in agencies]
    months = _items_by_month(ids, year)
    normative = _normative(ids)
    out = []
    for agency in agencies:
        report = latest(agency, year)
        row = AgencyRow(agency, report, None)
        if report is not None:
            if report.state == AnnualReport.State.PUBLISHED and report.published_at is not None:
                row.on_time = timezone.localtime(report.published_at).date() <= deadline
            previous = latest(agency, year - 1)
            row.violations = [v for v in evaluate(report.report, previous.report if previous else None)
                              if v.severity == "error"]
        row.items_by_month = months.get(agency.pk, [0] * 12)
        row.normative_in_force, row.normative_without_interpretation = normative.get(agency.pk, (0, 0))
        mine = [d for d in due if d.case.agency_id == agency.pk]
        row.overdue = sum(1 for d in mine if d.days_left < 0)
        row.due_soon = sum(1 for d in mine if d.days_left >= 0)
        out.append(row)
    return out


def _items_by_month(ids: list[int], year: int) -> dict[int, list[int]]:
    """Items published per month of ``year`` (the monthly checks the seed's county describes)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractMonth

    from gongkai.catalogue.models import Item, State

    out: dict[int, list[int]] = {}
    rows = (Item.objects.filter(agency_id__in=ids, state=State.PUBLISHED, published_on__year=year)
            .annotate(month=ExtractMonth("published_on")).values("agency_id", "month")
            .annotate(n=Count("id")).order_by())
    for r in rows:
        out.setdefault(r["agency_id"], [0] * 12)[r["month"] - 1] = r["n"]
    return out


def _normative(ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per agency: published normative documents in force, and how many lack a 政策解读."""
    from django.db.models import Count

    from gongkai.catalogue.models import NORMATIVE_KINDS, Item, State
    from gongkai.catalogue.selectors import without_interpretation

    today = timezone.localdate()
    in_force = (Item.objects.filter(agency_id__in=ids, state=State.PUBLISHED, kind__in=NORMATIVE_KINDS)
                .exclude(repealed_on__lte=today).values("agency_id").annotate(n=Count("id")).order_by())
    missing = without_interpretation(ids).values("agency_id").annotate(n=Count("id")).order_by()
    lacking = {r["agency_id"]: r["n"] for r in missing}
    return {r["agency_id"]: (r["n"], lacking.get(r["agency_id"], 0)) for r in in_force}


@dataclass(frozen=True)
class Trend:
    years: list[int]
    requests: list[int]  # 新收政府信息公开申请
    decided: list[int]  # 办结
    items: list[int]  # 主动公开
    appeals: list[int]  # 行政复议和行政诉讼


def trends(root: Agency, last_year: int, span: int = 5) -> Trend:
    """The jurisdiction's yearly totals for the last ``span`` years, from the cases and the catalogue."""
    from gongkai.cases.yearend import build_report
    from gongkai.catalogue.yearend import narrative_counts

    ids = sorted(root.descendant_ids())
    years = list(range(last_year - span + 1, last_year + 1))
    requests, decided, items, appeals = [], [], [], []
    for year in years:
        r = build_report(ids, year)
        requests.append(int(r.value("t3_requests", "new_requests", "total")))
        decided.append(int(r.value("t3_requests", "results_total", "total")))
        appeals.append(int(sum(r.value("t4_review_litigation", "cases", f"{p}_total")
                               for p in ("review", "suit_direct", "suit_after_review"))))
        items.append(narrative_counts(ids, year)[0])
    return Trend(years, requests, decided, items, appeals)


def to_xlsx(table: list[AgencyRow], year: int) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("%(year)s年度") % {"year": year}
    ws.append([_("机关代码"), _("机关"), _("年度报告"), _("按时发布"), _("违反规则"), _("3个工作日内到期"),
               _("逾期未答复"), _("规范性文件解读"), *[_("%(month)d月主动公开") % {"month": m} for m in range(1, 13)],
               _("问题")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in table:
        ws.append([r.agency.code, r.agency.name, r.report.get_state_display() if r.report else _("未发布"),
                   {True: _("是"), False: _("否"), None: "—"}[r.on_time], len(r.violations), r.due_soon, r.overdue,
                   r.interpretation_coverage, *r.items_by_month, _("；").join(r.flags)])
    for column, width in zip("ABCDEFGH", (14, 30, 14, 10, 10, 16, 12, 14), strict=True):
        ws.column_dimensions[column].width = width
    ws.column_dimensions["U"].width = 50
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
