"""Drafts, edits, the validation gate and publishing: the only writers of annual reports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.report.model import Report
from gongkai.report.rules import Violation, evaluate

from .build import build
from .models import AnnualReport


class AnnualError(Exception):
    """Refused; the message says why and what to do."""


@dataclass(frozen=True)
class GateResult:
    violations: list[Violation]
    previous: AnnualReport | None

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error"]

    @property
    def passes(self) -> bool:
        return not self.errors


def _require(actor: User, agency: Agency, *roles: str) -> None:
    if not has_role(actor, agency, *roles):
        raise AnnualError(gettext("您在本机关没有编制或发布年度报告的岗位；请联系管理员"))


_OFFICIAL = (AnnualReport.State.PUBLISHED, AnnualReport.State.IMPORTED)


def latest(agency: Agency, year: int, include_subordinates: bool = False,
           states: tuple[str, ...] = _OFFICIAL) -> AnnualReport | None:
    return (AnnualReport.objects.filter(agency=agency, year=year, include_subordinates=include_subordinates,
                                        state__in=states).order_by("-version").first())


def create_draft(agency: Agency, year: int, actor: User, include_subordinates: bool = False) -> AnnualReport:
    """Build the year's report from the database into a new draft version."""
    _require(actor, agency, Role.HANDLER, Role.APPROVER, Role.ADMINISTRATOR)
    report = build(agency, year, include_subordinates)
    with transaction.atomic():
        last = (AnnualReport.objects.select_for_update()
                .filter(agency=agency, year=year, include_subordinates=include_subordinates)
                .order_by("-version").first())
        return AnnualReport.objects.create(
            agency=agency, year=year, include_subordinates=include_subordinates, data=report.to_json(),
            version=(last.version + 1) if last else 1, created_by=actor)


def _editable(draft: AnnualReport) -> None:
    if draft.state != AnnualReport.State.DRAFT:
        raise AnnualError(gettext("已发布的报告不能修改；请生成新版本后更正"))


def set_cell(draft: AnnualReport, actor: User, table: str, row: str, column: str, text: str) -> AnnualReport:
    """Change one figure of a draft (the gate then checks every rule again)."""
    _require(actor, draft.agency, Role.HANDLER, Role.APPROVER, Role.ADMINISTRATOR)
    _editable(draft)
    report = draft.report
    col = report.definition.table(table).column(column)
    report.definition.table(table).row(row)
    text = text.strip()
    try:
        value = Decimal(text) if col.kind == "amount" else int(text)
    except (ValueError, InvalidOperation):
        message = gettext("“%(text)s”不是金额，请填写数字") if col.kind == "amount" else \
            gettext("“%(text)s”不是整数，请填写数字")
        raise AnnualError(message % {"text": text}) from None
    report.cells[(table, row, column)] = value
    draft.data = report.to_json()
    draft.save()
    return draft


def set_narrative(draft: AnnualReport, actor: User, section: str, text: str) -> AnnualReport:
    _require(actor, draft.agency, Role.HANDLER, Role.APPROVER, Role.ADMINISTRATOR)
    _editable(draft)
    report = draft.report
    report.narrative[section] = text.strip()
    draft.data = report.to_json()
    draft.save()
    return draft


def gate(draft: AnnualReport) -> GateResult:
    """Every rule of the format, and the carry-over against last year's published (or imported) report."""
    previous = latest(draft.agency, draft.year - 1, draft.include_subordinates)
    report = draft.report
    violations = evaluate(report, previous.report if previous else None)
    missing = report.missing_cells()
    if missing:
        violations = [*violations, _incomplete(report, len(missing))]
    return GateResult(violations, previous)


def _incomplete(report: Report, n: int) -> Violation:
    detail = ngettext("有%(n)s个单元格没有数字（如第二部分未接入目录）",
                      "有%(n)s个单元格没有数字（如第二部分未接入目录）", n) % {"n": n}
    return Violation("F-0", "error", gettext("报告的每个表格都应填写完整"), detail)


def publish(draft: AnnualReport, actor: User) -> AnnualReport:
    """Publish a draft that passes the gate; it is frozen from then on (第四十九条)."""
    _require(actor, draft.agency, Role.APPROVER, Role.ADMINISTRATOR)
    _editable(draft)
    result = gate(draft)
    if not result.passes:
        first = result.errors[0]
        n = len(result.errors)
        raise AnnualError(ngettext("报告违反%(n)s条规则，不能发布。首条：[%(rule)s] %(text)s：%(detail)s",
                                   "报告违反%(n)s条规则，不能发布。首条：[%(rule)s] %(text)s：%(detail)s", n) % {
            "n": n, "rule": first.rule, "text": first.text, "detail": first.detail})
    with transaction.atomic():
        draft.state = AnnualReport.State.PUBLISHED
        draft.published_at = timezone.now()
        draft.published_by = actor
        draft.save()
    return draft


def import_history(agency: Agency, report: Report, source_name: str, actor: User | None = None) -> AnnualReport:
    """An earlier year's published report, read by the parser, kept for trends and carry-over checks."""
    if report.year is None:
        raise AnnualError(gettext("读不出报告的年度，不能导入"))
    if not report.complete:
        n = len(report.missing_cells())
        raise AnnualError(ngettext("报告有%(n)s个单元格未能读取，不能作为历史数据导入；请先核对原文",
                                   "报告有%(n)s个单元格未能读取，不能作为历史数据导入；请先核对原文", n) % {"n": n})
    with transaction.atomic():
        last = AnnualReport.objects.filter(agency=agency, year=report.year, include_subordinates=False) \
            .order_by("-version").first()
        return AnnualReport.objects.create(
            agency=agency, year=report.year, include_subordinates=False, data=report.to_json(),
            version=(last.version + 1) if last else 1, state=AnnualReport.State.IMPORTED, created_by=actor,
            source_name=source_name)
