"""Yearly figures of the annual report's 第二部分, entered on the staff desk, every change logged.

The report's tables for 条例 第二十条第（五）（六）（八）（九）项 need figures the catalogue does not
count itself (处理决定数量, 收费金额, and in the 2019 format 项目数量 and 政府集中采购); the agency
enters them once a year, per report year (:class:`~gongkai.catalogue.models.YearlyFigure`), and
:mod:`gongkai.catalogue.yearend` sums them into the report (条例 第五十条（一）: the report states
the agency's 主动公开 work).

Which figures a year needs depends on the report format of that year
(:func:`gongkai.report.formats.format_for_year`):

* 2021 on (国办公开办函〔2021〕30号): 行政许可、行政处罚、行政强制 处理决定数量 and 行政事业性收费金额;
* 2019 and 2020 (国办公开办函〔2019〕60号): the 项目数量 at the end of the year (the report
  derives 上一年项目数量 and 本年增/减 from two years' counts), 处理决定数量 including 其他对外管理
  服务事项, and 政府集中采购;
* 2018: only the year-end 项目数量, so that the 2019 report has its 上一年项目数量.

A blank figure means "not entered" (``None``): the report leaves that cell unread rather than
print an invented 0.  Amounts are in 万元 with at most 6 decimal places (0.01 元, as
:data:`gongkai.report.formats.AMOUNT_PRECISION` says).

:func:`save_figures` is the only writer: it checks the actor's role in the agency (any editing or
reviewing role, :data:`gongkai.catalogue.services.EDITORS`), the year and every value, then
changes the row in one transaction (the row locked) and appends a
:class:`~gongkai.catalogue.models.YearlyFigureEvent` with each changed field's old and new value.

:func:`import_figures` reads a .csv or .xlsx (one row per year, columns by their Chinese labels)
the same way the items import does (:mod:`gongkai.catalogue.importing`): every row is checked
completely first and then saved through :func:`save_figures` in its own transaction — a valid row
goes in whole, an invalid row not at all and is listed with every reason, so that it can be
corrected and imported again.  A blank cell leaves the stored figure as it is (to clear a figure,
use the form), so importing a sheet with only some columns never erases the others.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import handling_agency_ids, has_role
from gongkai.agencies.models import Agency
from gongkai.report.formats import FORMAT_2019, format_for_year
from gongkai.site.wording import clauses

from . import services
from .importing import ImportFileError, RejectedRow, _text, header_columns, read_table
from .models import YearlyFigure, YearlyFigureEvent
from .services import EDITORS, CatalogueError

FIRST_YEAR = 2018  # only for the 2019 report's 上一年项目数量; report formats start with 2019
AMOUNT_PLACES = 6  # 万元 to 0.01 元 (gongkai.report.formats.AMOUNT_PRECISION["万元"])
AMOUNT_WHOLE_DIGITS = 12  # the fields' max_digits (18) less their decimal places
INT_MAX = 2_147_483_647  # PositiveIntegerField's range on PostgreSQL

AMOUNT_FIELDS = frozenset({"fee_amount", "procurement_amount"})
# Every figure, in the order of the report's tables.
FIELDS = ("licensing_items", "licensing_decisions", "other_services_items", "other_services_decisions",
          "penalty_items", "penalty_decisions", "coercion_items", "coercion_decisions", "fee_items", "fee_amount",
          "procurement_projects", "procurement_amount")

ACTION_LABELS: dict[str, Any] = {"create": _("录入"), "edit": _("修改"), "import": _("导入")}


class FiguresError(CatalogueError):
    """A change of the yearly figures the rules do not allow; the message says why and what to do."""


class FigureValueError(ValueError):
    """One value that is not an acceptable figure; the message says why (without the field's label)."""


@dataclass(frozen=True)
class Group:
    """Figures shown together: one table of the report (第二十条第（五）项 …)."""

    title: str | Promise
    fields: tuple[str, ...]


_GROUPS_2021 = (
    Group(_("第二十条第（五）项：行政许可"), ("licensing_decisions",)),
    Group(_("第二十条第（六）项：行政处罚、行政强制"), ("penalty_decisions", "coercion_decisions")),
    Group(_("第二十条第（八）项：行政事业性收费"), ("fee_amount",)),
)
_GROUPS_2019 = (
    Group(_("第二十条第（五）项：行政许可、其他对外管理服务事项"),
          ("licensing_items", "licensing_decisions", "other_services_items", "other_services_decisions")),
    Group(_("第二十条第（六）项：行政处罚、行政强制"),
          ("penalty_items", "penalty_decisions", "coercion_items", "coercion_decisions")),
    Group(_("第二十条第（八）项：行政事业性收费"), ("fee_items",)),
    Group(_("第二十条第（九）项：政府集中采购"), ("procurement_projects", "procurement_amount")),
)
_GROUPS_2018 = (
    Group(_("年末项目数量（2019年度报告的“上一年项目数量”）"),
          ("licensing_items", "other_services_items", "penalty_items", "coercion_items", "fee_items")),
)


# -- years and formats ----------------------------------------------------------------------------

def last_year(today: date | None = None) -> int:
    """The latest year that can be entered: this one (figures may be entered as the year goes)."""
    return (today or timezone.localdate()).year


def years(today: date | None = None) -> list[int]:
    """The years that can be entered, newest first."""
    return list(range(last_year(today), FIRST_YEAR - 1, -1))


def check_year(year: int, today: date | None = None) -> None:
    if not FIRST_YEAR <= year <= last_year(today):
        raise FiguresError(gettext(
            "不能填写%(year)s年度的统计数：可以填写%(first)s年至%(last)s年（%(first)s年只填写年末项目数量，"
            "供2019年度报告计算上一年项目数量）") % {"year": year, "first": FIRST_YEAR, "last": last_year(today)})


def groups_for_year(year: int) -> tuple[Group, ...]:
    """The figures ``year``'s report format uses, grouped by the report's tables."""
    if year < 2019:
        return _GROUPS_2018
    return _GROUPS_2019 if format_for_year(year) == FORMAT_2019 else _GROUPS_2021


def fields_for_year(year: int) -> tuple[str, ...]:
    return tuple(name for g in groups_for_year(year) for name in g.fields)


def format_label(year: int) -> str:
    if year < 2019:
        return gettext("仅年末项目数量（供2019年度报告使用）")
    if format_for_year(year) == FORMAT_2019:
        return gettext("2019年格式（国办公开办函〔2019〕60号，2019、2020年度）")
    return gettext("2021年格式（国办公开办函〔2021〕30号，2021年度起）")


def label(name: str) -> str:
    model_field = YearlyFigure._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    return str(model_field.verbose_name)


# -- values ---------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_value(name: str, raw: Any) -> int | Decimal | None:
    """A figure from what was typed or read from a cell: ``None`` for blank, an ``int`` for a count,
    a ``Decimal`` (in 万元) for an amount.  Accepts 1,234 and full-width digits; refuses negative
    numbers, fractions of a count, and amounts with more than :data:`AMOUNT_PLACES` places."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise FigureValueError(gettext("“%(text)s”不是数字") % {"text": raw})
    if isinstance(raw, float):
        text = repr(raw)  # the shortest text of an Excel number: 1.234567, not 1.2345669999…
        value = Decimal(text)
    elif isinstance(raw, int | Decimal):
        text, value = str(raw), Decimal(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if text == "":
            return None
        plain = text.replace(",", "") if _THOUSANDS.match(text) else text
        if not _NUMBER.match(plain):
            raise FigureValueError(gettext("“%(text)s”不是数字；请填写阿拉伯数字（例如 12 或 3.5），没有统计的留空")
                                   % {"text": text})
        value = Decimal(plain)
    if not value.is_finite():
        raise FigureValueError(gettext("“%(text)s”不是数字") % {"text": text})
    if value < 0:
        raise FigureValueError(gettext("不能是负数（填写了%(text)s）；请填写0或正数，没有统计的留空") % {"text": text})
    if value == 0:
        value = Decimal(0)  # not -0
    if name in AMOUNT_FIELDS:
        exponent = value.normalize().as_tuple().exponent
        assert isinstance(exponent, int)
        if -exponent > AMOUNT_PLACES:
            raise FigureValueError(gettext("“%(text)s”小数点后超过%(places)s位；金额以万元为单位，最多保留%(places)s位"
                                           "小数（精确到0.01元），请四舍五入后填写") %
                                   {"text": text, "places": AMOUNT_PLACES})
        if value >= Decimal(10) ** AMOUNT_WHOLE_DIGITS:
            raise FigureValueError(gettext("“%(text)s”过大（整数部分超过%(digits)s位）；请确认金额的单位是万元") %
                                   {"text": text, "digits": AMOUNT_WHOLE_DIGITS})
        normal = value.normalize()  # 1.50 → 1.5; but 100 → 1E+2, so whole amounts are written out
        return normal if int(normal.as_tuple().exponent) <= 0 else value.quantize(Decimal(1))
    if value != value.to_integral_value():
        raise FigureValueError(gettext("应为整数（填写了%(text)s）；件数和项目数不能有小数") % {"text": text})
    if value > INT_MAX:
        raise FigureValueError(gettext("“%(text)s”超出可以填写的范围；请检查是否多填了数字") % {"text": text})
    return int(value)


def display(value: int | Decimal | None) -> str:
    """A figure as the form and the log show it: ``""`` for not entered, 1.5 (not 1.500000) for 万元."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _logged(value: int | Decimal | None) -> int | str | None:
    return display(value) if isinstance(value, Decimal) else value


# -- the writer -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureChange:
    """What :func:`save_figures` did: the row (``None`` when nothing was entered for a year that had
    no row), each changed field ``[old, new]``, and the event logged (``None`` when nothing changed)."""

    figure: YearlyFigure | None
    changes: dict[str, list[Any]]
    event: YearlyFigureEvent | None


def check_values(year: int, values: Mapping[str, Any]) -> tuple[dict[str, int | Decimal | None], list[str]]:
    """Each value parsed (see :func:`parse_value`), and the reasons (with the field's label) for
    those that are not acceptable, or that ``year``'s report format does not use."""
    used = set(fields_for_year(year))
    parsed: dict[str, int | Decimal | None] = {}
    errors: list[str] = []
    for name, raw in values.items():
        if name not in FIELDS:
            errors.append(gettext("没有这项统计数：%(name)s") % {"name": name})
            continue
        try:
            value = parse_value(name, raw)
        except FigureValueError as exc:
            # Chinese runs the label into the reason ("行政处罚处理决定数量不能是负数"); English puts a colon.
            errors.append(gettext("%(label)s%(error)s") % {"label": label(name), "error": exc})
            continue
        if name not in used:
            if value is not None:
                errors.append(_unused(year, name))
            continue
        parsed[name] = value
    return parsed, errors


def _unused(year: int, name: str) -> str:
    if year < 2019:
        return gettext("%(year)s年度只填写年末项目数量（供2019年度报告使用），不填写“%(label)s”；请删除这个数字，"
                       "或检查年度是否填错") % {"year": year, "label": label(name)}
    short = gettext("2019年格式") if format_for_year(year) == FORMAT_2019 else gettext("2021年格式")
    return gettext("%(year)s年度的报告使用%(format)s，不填写“%(label)s”；请删除这个数字，或检查年度是否填错") % {
        "year": year, "format": short, "label": label(name)}


def _locked(agency: Agency, year: int) -> YearlyFigure | None:
    return YearlyFigure.objects.select_for_update().filter(agency=agency, year=year).first()


def save_figures(agency: Agency, year: int, actor: User, values: Mapping[str, Any], *, action: str = "edit",
                 source: str = "") -> FigureChange:
    """Set ``agency``'s figures for ``year``: each name in ``values`` to its value (``None`` or blank:
    not entered); figures not named are left as they are.

    Refused, nothing changed, with :class:`~gongkai.catalogue.services.CatalogueError` when
    ``actor`` holds no editing role in the agency, and :class:`FiguresError` when the year cannot
    be entered or any value is not acceptable (every reason, each naming its figure).  Otherwise the row is
    created or changed and, if anything changed, a :class:`YearlyFigureEvent` records who, when
    and every changed field's old and new value — in one transaction.  ``action`` is ``"edit"``
    (``"create"`` is logged for a year's first figures) or ``"import"``; ``source`` says where
    the values came from (the file and row of an import)."""
    services._require_role(actor, agency, EDITORS, gettext("填写年度统计数"))
    check_year(year)
    parsed, errors = check_values(year, values)
    if errors:
        raise FiguresError(clauses(errors))
    with transaction.atomic():
        figure = _locked(agency, year)
        created = figure is None
        if figure is None:
            if all(v is None for v in parsed.values()):
                return FigureChange(None, {}, None)  # nothing entered: no row, so the year stays "not entered"
            try:
                with transaction.atomic():
                    figure = YearlyFigure.objects.create(agency=agency, year=year)
            except IntegrityError:  # entered at the same moment on another server: change that row
                figure = _locked(agency, year)
                assert figure is not None
                created = False
        changes: dict[str, list[Any]] = {}
        for name, new in parsed.items():
            old = getattr(figure, name)
            if _logged(old) != _logged(new):
                changes[name] = [_logged(old), _logged(new)]
                setattr(figure, name, new)
        if not changes:
            return FigureChange(figure, {}, None)
        try:
            figure.full_clean()
        except ValidationError as exc:
            raise FiguresError(clauses(exc.messages)) from exc
        figure.save()
        event = YearlyFigureEvent.objects.create(
            figure=figure, actor=actor if actor.is_authenticated else None,
            action="create" if created and action == "edit" else action, changes=changes, source=source[:300])
    return FigureChange(figure, changes, event)


# -- reads for the desk ---------------------------------------------------------------------------

def agencies_for(user: Any) -> list[Agency]:
    """The agencies whose figures ``user`` enters: any editing or reviewing role there."""
    return [a for a in Agency.objects.filter(pk__in=handling_agency_ids(user)).order_by("code")
            if has_role(user, a, *EDITORS)]


def agency_for(user: Any, code: str) -> Agency:
    """One of :func:`agencies_for` by its code; any other agency does not exist for ``user`` (404,
    as another agency's item on the desk)."""
    for agency in agencies_for(user):
        if agency.code == code:
            return agency
    raise Http404("没有这个机关，或您无权填写它的年度统计数")



@dataclass(frozen=True)
class YearRow:
    year: int
    format: str
    figure: YearlyFigure | None
    entered: int  # figures of the year's format that are entered
    needed: int  # figures the year's format uses
    last_event: YearlyFigureEvent | None


def year_rows(agency: Agency, today: date | None = None) -> list[YearRow]:
    """Every year that can be entered, newest first, with how many of its figures are entered and
    the last change (three queries whatever the number of years)."""
    figures = {f.year: f for f in YearlyFigure.objects.filter(agency=agency)}
    last: dict[int, YearlyFigureEvent] = {}
    for event in (YearlyFigureEvent.objects.filter(figure__agency=agency).select_related("actor", "figure")
                  .order_by("at", "id")):
        last[event.figure.year] = event
    rows = []
    for year in years(today):
        figure = figures.get(year)
        needed = fields_for_year(year)
        entered = sum(1 for n in needed if figure is not None and getattr(figure, n) is not None)
        rows.append(YearRow(year, format_label(year), figure, entered, len(needed), last.get(year)))
    return rows


# -- import ---------------------------------------------------------------------------------------

YEAR_HEADERS = ("年度", "年份", "统计年度", "报告年度")
AGENCY_HEADERS = ("机关", "机关名称", "机关代码")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip("*")


def headers() -> dict[str, str]:
    """Accepted column labels (normalised) → field: the field's label, and the label without its
    bracketed unit (行政事业性收费金额（万元） or 行政事业性收费金额) — the Chinese label whatever the
    page's language (a file keeps its Chinese column names when the desk is read in English), and
    the label in the page's language (the columns of the template downloaded from that page)."""
    found = {_key(h): "year" for h in YEAR_HEADERS} | {_key(h): "agency" for h in AGENCY_HEADERS}
    for name in FIELDS:
        with translation.override(None):  # the source text: Chinese
            chinese = label(name)
        for text in (chinese, label(name)):
            key = _key(text)  # NFKC: full-width brackets become ( )
            found[key] = name
            found[re.sub(r"\([^)]*\)$", "", key)] = name
    return found


def template_csv() -> bytes:
    """An empty import file with every column, UTF-8 with BOM (Excel on a Chinese Windows opens it)."""
    buf = io.StringIO()
    csv.writer(buf).writerow([YEAR_HEADERS[0], *(label(n) for n in FIELDS)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


@dataclass
class ImportedRow:
    row: int
    year: int
    change: FigureChange


@dataclass
class FiguresImport:
    rows: int = 0
    saved: list[ImportedRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.saved if not r.change.changes)

    @property
    def summary(self) -> str:
        counts = {"rows": self.rows, "saved": len(self.saved), "rejected": len(self.rejected), "n": self.unchanged}
        if self.unchanged:
            return ngettext("共%(rows)s行：导入%(saved)s行，未导入%(rejected)s行（导入的行中有%(n)s行与已有数字相同，"
                            "没有修改）",
                            "共%(rows)s行：导入%(saved)s行，未导入%(rejected)s行（导入的行中有%(n)s行与已有数字相同，"
                            "没有修改）", self.rows) % counts
        return ngettext("共%(rows)s行：导入%(saved)s行，未导入%(rejected)s行",
                        "共%(rows)s行：导入%(saved)s行，未导入%(rejected)s行", self.rows) % counts


def import_figures(agency: Agency, actor: User, data: bytes, filename: str) -> FiguresImport:
    """Import ``agency``'s figures from ``data`` (.xlsx or .csv): see the module docstring.

    :class:`~gongkai.catalogue.importing.ImportFileError` when the file as a whole cannot be read;
    otherwise every row is either saved or listed in :attr:`FiguresImport.rejected` with its reasons.
    """
    services._require_role(actor, agency, EDITORS, gettext("导入年度统计数"))
    report = FiguresImport()
    seen: dict[int, int] = {}
    for number, values in read_table(data, filename, lambda cells: _read_header(cells, report),
                                     gettext("文件是空的：第一行应为列名（年度、行政许可处理决定数量……）")):
        report.rows += 1
        errors: list[str] = []
        year, year_ok = _row_year(values.get("year"), errors)
        title = gettext("%(year)s年度") % {"year": year} if year is not None else ""
        where = _text(values.get("agency"))
        if where and where not in (agency.code, agency.name, agency.short_name):
            errors.append(gettext("机关“%(value)s”不是%(agency)s；一次只能导入一个机关的统计数，请把其他机关的行删除后"
                                  "分别导入") % {"value": where, "agency": agency.name})
        figures = {n: v for n, v in values.items() if n in FIELDS and _text(v) != ""}  # blank: leave as stored
        if year is not None:
            if year in seen:
                errors.append(gettext("%(year)s年度在第%(row)s行已经出现；同一年度只能有一行") %
                              {"year": year, "row": seen[year]})
            else:
                seen[year] = number
            if year_ok:
                errors += check_values(year, figures)[1]
        if errors:
            report.rejected.append(RejectedRow(number, title, errors))
            continue
        assert year is not None
        try:
            change = save_figures(agency, year, actor, figures, action="import",
                                  source=gettext("文件“%(file)s”第%(row)s行") % {"file": filename, "row": number})
        except CatalogueError as exc:
            report.rejected.append(RejectedRow(number, title, [str(exc)]))
        else:
            report.saved.append(ImportedRow(number, year, change))
    return report


def _row_year(raw: Any, errors: list[str]) -> tuple[int | None, bool]:
    """The row's year (``None`` if unreadable), and whether it is a year that can be entered."""
    text = unicodedata.normalize("NFKC", _text(raw))
    if not text:
        errors.append(gettext("缺少年度"))
        return None, False
    m = re.fullmatch(r"(\d{4})\s*(年度?)?", text)
    if m is None:
        errors.append(gettext("年度“%(text)s”不是年份（请写作2025）") % {"text": text})
        return None, False
    year = int(m.group(1))
    try:
        check_year(year)
    except FiguresError as exc:
        errors.append(str(exc))
        return year, False
    return year, True


def _read_header(cells: list[Any], report: FiguresImport) -> dict[int, str]:
    known = headers()
    header = header_columns(cells, lambda text: known.get(_key(text)), report.notes)
    if "year" not in header.values():
        raise ImportFileError(gettext("第一行没有“年度”列：第一行应为列名，年度列必须有（可以下载导入模板）"))
    if not set(header.values()) & set(FIELDS):
        raise ImportFileError(gettext("第一行没有统计数的列名：请使用导入模板中的列名，例如“行政许可处理决定数量”"))
    return header
