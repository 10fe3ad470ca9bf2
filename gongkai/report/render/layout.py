"""The official table layout as a grid of merged cells, built from the format definitions.

The HTML, Word and Excel renderers all draw this one grid, so their layouts cannot drift apart.
Nothing here is written per format version: rows, levels, headings and column groups come from
:mod:`gongkai.report.formats`.  The grid follows the published template (e.g. 上海市人民政府办公厅's
2019 report, spec §3):

* 第二十条 tables: a title row spanning the table, then ``信息内容 | column …``, one row per item.
* Table 3: a corner cell with the 勾稽 note spanning the three header rows and the three label
  columns; ``申请人情况`` over all seven figure columns; ``自然人`` and ``总计`` spanning two header
  rows; ``法人或其他组织`` over its five sub-columns.  Row labels sit in the column of their
  level: ``三、本年度办理结果`` is a vertical merged cell beside ``（一）予以公开`` …  ``（七）总计``,
  ``（三）不予公开`` beside its items 1.–8.; a row without sub-rows spans the columns to its right.
* Table 4: no label column; ``行政复议`` over five outcome columns (each spanning two header rows)
  and ``行政诉讼`` over ``未经复议直接起诉`` and ``复议后起诉`` with five each.

Positions are 0-based (row, column) in the table's own grid, header rows first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from ..formats import LITIGATION, SUIT_AFTER_REVIEW, SUIT_DIRECT, T3_NOTE, Column, Row, Table, get_format
from ..model import CellKey, Number, Report

CellKind = Literal["title", "corner", "header", "label", "value"]

# Header cells of the template that are not column labels of the format data.
# A note printed in the corner; the table's ``corner`` text then becomes the caption over all columns.
CORNER_NOTES = {"t3_requests": T3_NOTE}
# Column groups that sit under a wider group (行政诉讼 → 未经复议直接起诉, 复议后起诉).
SUPER_GROUPS = {SUIT_DIRECT: LITIGATION, SUIT_AFTER_REVIEW: LITIGATION}


@dataclass(frozen=True)
class GridCell:
    kind: CellKind
    text: str  # the printed text; "" for value cells (their text comes from the report)
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    key: CellKey | None = None  # value cells: the report cell shown here
    column: Column | None = None  # value cells: the format column (its kind and unit)
    level: int = 0  # label cells: the row's level in the format (0 一、, 1 （一）, 2 1.)

    @property
    def merged(self) -> bool:
        return self.rowspan > 1 or self.colspan > 1

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True)
class Grid:
    table: Table
    width: int  # number of grid columns
    label_columns: int  # how many of them (on the left) hold row labels
    header_rows: tuple[tuple[GridCell, ...], ...]
    body_rows: tuple[tuple[GridCell, ...], ...]

    @property
    def rows(self) -> tuple[tuple[GridCell, ...], ...]:
        """All rows, header first; each row holds the cells that *start* in it, left to right."""
        return self.header_rows + self.body_rows

    @property
    def height(self) -> int:
        return len(self.header_rows) + len(self.body_rows)

    def cells(self) -> Iterator[GridCell]:
        for row in self.rows:
            yield from row

    def merges(self) -> list[GridCell]:
        return [c for c in self.cells() if c.merged]

    def value_cells(self) -> list[GridCell]:
        return [c for c in self.cells() if c.kind == "value"]

    def find(self, text: str) -> GridCell:
        """The first cell printing ``text`` (for tests and callers that style one cell)."""
        for cell in self.cells():
            if cell.text == text:
                return cell
        raise KeyError(f"{self.table.key}: no cell {text!r}")


# ---------------------------------------------------------------------------------------------
# Building


def _column_path(table: Table, column: Column) -> tuple[str, ...]:
    """The header texts above a column, from the top row down to its own label."""
    path: list[str] = []
    if table.key in CORNER_NOTES and table.corner:
        path.append(table.corner)
    if column.group:
        if column.group in SUPER_GROUPS:
            path.append(SUPER_GROUPS[column.group])
        path.append(column.group)
    path.append(column.label)
    return tuple(path)


def _has_label_column(table: Table) -> bool:
    # Table 4 has one data row and no corner label: the template prints no row label at all.
    return bool(table.corner) or len(table.data_rows) > 1


def _title(table: Table) -> str | None:
    """The 第二十条 tables carry their item as a title row; tables 3 and 4 are named by their section."""
    return table.label if table.key.startswith("t2_") else None


def _header(table: Table, first_row: int, label_columns: int) -> list[list[GridCell]]:
    paths = [_column_path(table, c) for c in table.columns]
    depth = max(len(p) for p in paths)
    rows: list[list[GridCell]] = [[] for _ in range(depth)]
    if label_columns:
        corner = CORNER_NOTES.get(table.key, table.corner)
        rows[0].append(GridCell("corner", corner, first_row, 0, rowspan=depth, colspan=label_columns))
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if len(path) <= level:
                i += 1
                continue
            col = label_columns + i
            if len(path) == level + 1:  # the column's own label: stretch down to the last header row
                rows[level].append(GridCell("header", path[level], first_row + level, col, rowspan=depth - level))
                i += 1
                continue
            j = i + 1
            while j < len(paths) and len(paths[j]) > level + 1 and paths[j][: level + 1] == path[: level + 1]:
                j += 1
            rows[level].append(GridCell("header", path[level], first_row + level, col, colspan=j - i))
            i = j
    return rows


def _ancestors(table: Table, row: Row) -> list[Row]:
    """The heading rows ``row`` is listed under, outermost first."""
    chain: list[Row] = []
    parent = row.parent
    while parent is not None:
        heading = table.row(parent)
        chain.append(heading)
        parent = heading.parent
    return chain[::-1]


def _body(table: Table, first_row: int, label_columns: int) -> list[list[GridCell]]:
    data = table.data_rows
    spans: dict[str, list[int]] = {}  # heading key → body indexes of its data rows
    for index, row in enumerate(data):
        for heading in _ancestors(table, row):
            if heading.heading:
                spans.setdefault(heading.key, []).append(index)
    for key, indexes in spans.items():
        if indexes != list(range(indexes[0], indexes[-1] + 1)):
            raise ValueError(f"{table.key}: the rows under {key!r} are not contiguous; cannot merge its label")
    rows: list[list[GridCell]] = []
    placed: set[str] = set()
    r = first_row
    for row in table.rows:
        if row.heading and row.key not in spans:
            # A heading with no rows under it: a row of its own, with empty figure cells.
            cells = []
            if label_columns:
                cells.append(GridCell("label", row.label, r, 0, colspan=label_columns, level=row.level))
            cells += [GridCell("value", "", r, label_columns + i) for i in range(len(table.columns))]
            rows.append(cells)
            r += 1
            continue
        if row.heading:
            continue
        cells = []
        if label_columns:
            for heading in _ancestors(table, row):
                if heading.key in spans and heading.key not in placed:
                    placed.add(heading.key)
                    col = min(heading.level, label_columns - 1)
                    cells.append(GridCell("label", heading.label, r, col, rowspan=len(spans[heading.key]),
                                          level=heading.level))
            col = min(row.level, label_columns - 1)
            cells.append(GridCell("label", row.label, r, col, colspan=label_columns - col, level=row.level))
        for i, column in enumerate(table.columns):
            cells.append(GridCell("value", "", r, label_columns + i, key=(table.key, row.key, column.key),
                                  column=column))
        rows.append(cells)
        r += 1
    return rows


@cache
def table_grid(table: Table) -> Grid:
    """The merged-cell grid of one format table (cached: formats are immutable)."""
    label_columns = (max(r.level for r in table.rows) + 1) if _has_label_column(table) else 0
    width = label_columns + len(table.columns)
    header: list[list[GridCell]] = []
    title = _title(table)
    if title:
        header.append([GridCell("title", title, 0, 0, colspan=width)])
    header += _header(table, len(header), label_columns)
    body = _body(table, len(header), label_columns)
    return Grid(table, width, label_columns, tuple(map(tuple, header)), tuple(map(tuple, body)))


def format_grids(version: str) -> tuple[Grid, ...]:
    """The grid of every table of a format, in layout order."""
    return tuple(table_grid(t) for t in get_format(version).tables)


def section_grids(version: str) -> dict[str, list[Grid]]:
    """Grids by the number of the section (二, 三, 四) they are printed under."""
    out: dict[str, list[Grid]] = {}
    for grid in format_grids(version):
        out.setdefault(grid.table.section, []).append(grid)
    return out


# ---------------------------------------------------------------------------------------------
# Values


def cell_value(report: Report, key: CellKey | None) -> Number | None:
    """The figure of a value cell; None for a blank cell, a cell not read, or a spacer."""
    if key is None:
        return None
    return report.cells.get(key)


def cell_unit(report: Report, cell: GridCell) -> str | None:
    """The unit printed *inside* the cell: an amount's unit when the header prints none (2019's
    采购总金额, where reports write 元 or 万元 in the cell) or a different one."""
    if cell.key is None or cell.column is None or cell.column.kind != "amount":
        return None
    unit = report.units.get(cell.key)
    return unit if unit and unit != cell.column.unit else None


def number_text(value: Number | None) -> str:
    """A figure as printed: "" for blank, all decimal digits kept (Decimal("12.50") → "12.50")."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def cell_text(report: Report, cell: GridCell) -> str:
    """What a cell prints: its label, or for a value cell its figure and in-cell unit."""
    if cell.kind != "value":
        return cell.text
    value = cell_value(report, cell.key)
    if value is None:
        return ""
    return number_text(value) + (cell_unit(report, cell) or "")


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


# ---------------------------------------------------------------------------------------------
# Document text shared by the renderers


def report_title(report: Report) -> str:
    if report.title:
        return report.title
    year = f"{report.year}年" if report.year else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def report_meta(report: Report) -> str:
    """The line under the title: agency and report year."""
    parts = []
    if report.agency:
        parts.append(f"发布机关：{report.agency}")
    if report.year:
        parts.append(f"报告年度：{report.year}年")
    return "　".join(parts)


def preamble(report: Report) -> list[str]:
    """The paragraphs before 一、总体情况: the report's own, else the statistical period.

    Every published report states the period (spec §2); it is derived from the year, never invented.
    Lines repeating the title or the meta line (as a parsed preamble does) are left out.
    """
    skip = {report_title(report), report_meta(report)}
    own = [p for p in paragraphs(report.narrative.get("preamble", "")) if p not in skip]
    if own:
        return own
    if report.year:
        y = report.year
        return [f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"]
    return []


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def section_heading(number: str, label: str) -> str:
    return f"{number}、{label}"
