"""A report as an Excel workbook (.xlsx) in the official layout.

One worksheet per part of the report (一 … 六), in reading order, so that each table gets column
widths of its own (Table 3's label columns are not Table 4's figure columns).  The first sheet
also carries the title, agency and statistical period.  Each sheet holds its part's heading, its
tables (merged cells exactly as :mod:`.layout` gives them) and its prose, one paragraph per row.

Figures are stored as numbers, never as text: counts as integers, amounts as numbers whose
number format shows the decimals they were given (and the unit, when the unit travels in the
cell, as 2019's 采购总金额 does).  A blank figure is an empty cell.  Every sheet prints on A4,
fitted to the page width.
"""

from __future__ import annotations

import io
import math
import unicodedata
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from ..formats import SECTIONS, Section
from ..model import Report
from .layout import (
    Grid,
    GridCell,
    cell_text,
    cell_unit,
    cell_value,
    decimal_places,
    paragraphs,
    preamble,
    report_meta,
    report_title,
    section_grids,
    section_heading,
)

FONT_NAME = "宋体"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TEXT_FONT = Font(name=FONT_NAME, size=11)
TABLE_FONT = Font(name=FONT_NAME, size=10)
TABLE_TITLE_FONT = Font(name=FONT_NAME, size=10, bold=True)
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
HEADING_FONT = Font(name="黑体", size=12)
POINTS_PER_LINE = 14.5
PROSE_WIDTH = 60  # columns of text (in Excel's character units) on a sheet without tables


def display_width(text: str) -> int:
    """Width in Excel's character units: a CJK (wide) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    return max(1, math.ceil(display_width(text) / max(1.0, width - 1)))


def _column_widths(grid: Grid, texts: dict[tuple[int, int], str]) -> list[float]:
    """From the cells one column wide and one row high; merged cells wrap into the space they span.

    The figure columns of a table share one width, as in the printed template.
    """
    widths = []
    for j in range(grid.width):
        label = j < grid.label_columns
        lo, hi = (6.0, 40.0) if label else (9.0, 16.0)
        content = [display_width(texts[(c.row, c.col)]) for c in grid.cells()
                   if c.col == j and c.colspan == 1 and c.rowspan == 1]
        widths.append(min(hi, max([lo, *(w + 2 for w in content)])))
    figures = widths[grid.label_columns:]
    if figures:
        widths[grid.label_columns:] = [max(figures)] * len(figures)
    return widths


def _number_format(report: Report, cell: GridCell, value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        places = decimal_places(value)
        fmt = "0" + ("." + "0" * places if places else "")
    else:
        fmt = "0"
    unit = cell_unit(report, cell)
    return fmt + (f'"{unit}"' if unit else "")


class _Sheet:
    """A worksheet filled from the top, row by row."""

    def __init__(self, ws: Worksheet, width: int, column_widths: list[float]):
        self.ws = ws
        self.width = width
        self.column_widths = column_widths
        self.row = 1
        for j, w in enumerate(column_widths, start=1):
            ws.column_dimensions[_letter(j)].width = w

    def text(self, text: str, font: Font = TEXT_FONT, center: bool = False, indent: bool = True) -> None:
        """A paragraph across the sheet's width, wrapped, with a row height that shows all of it."""
        ws, r = self.ws, self.row
        shown = ("\u3000\u3000" + text) if indent and not center else text
        cell = ws.cell(row=r, column=1, value=shown)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True)
        if self.width > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=self.width)
        size = font.sz or 11
        ws.row_dimensions[r].height = _lines(shown, sum(self.column_widths)) * size * 1.35 + 4
        self.row += 1

    def skip(self) -> None:
        self.row += 1

    def table(self, report: Report, grid: Grid) -> None:
        ws, top = self.ws, self.row
        heights = [1] * grid.height
        for cell in grid.cells():
            target = ws.cell(row=top + cell.row, column=1 + cell.col)
            if cell.kind == "value":
                value = cell_value(report, cell.key)
                if value is not None:
                    target.value = value
                    target.number_format = _number_format(report, cell, value)
            else:
                target.value = cell.text
            text = cell_text(report, cell)
            target.font = TABLE_TITLE_FONT if cell.kind == "title" else TABLE_FONT
            target.alignment = Alignment(horizontal="left" if cell.kind == "label" else "center",
                                         vertical="center", wrap_text=True)
            target.border = BORDER  # before merging: openpyxl draws the range's outline from it
            if cell.merged:
                ws.merge_cells(start_row=top + cell.row, start_column=1 + cell.col,
                               end_row=top + cell.last_row, end_column=1 + cell.last_col)
            if cell.rowspan == 1:
                span = sum(self.column_widths[cell.col: cell.last_col + 1])
                heights[cell.row] = max(heights[cell.row], _lines(text, span))
        for i, lines in enumerate(heights):
            ws.row_dimensions[top + i].height = lines * POINTS_PER_LINE + 3
        self.row += grid.height


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _print_setup(ws: Worksheet, width: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > 10 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.sheet_view.showGridLines = False


def _sheet_title(section: Section) -> str:
    # Excel: at most 31 characters, none of []:*?/\ .
    name = section_heading(section.number, section.label)
    for ch in "[]:*?/\\":
        name = name.replace(ch, "")
    return name[:31]


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    grids = section_grids(report.format)
    for i, section in enumerate(SECTIONS):
        tables = grids.get(section.number, [])
        ws = wb.create_sheet(_sheet_title(section))
        if tables:
            width = max(g.width for g in tables)
            widths = [0.0] * width
            for grid in tables:
                texts = {(c.row, c.col): cell_text(report, c) for c in grid.cells()}
                for j, w in enumerate(_column_widths(grid, texts)):
                    widths[j] = max(widths[j], w)
        else:
            width, widths = 1, [float(PROSE_WIDTH)]
        sheet = _Sheet(ws, width, widths)
        if i == 0:
            sheet.text(report_title(report), TITLE_FONT, center=True)
            meta = report_meta(report)
            if meta:
                sheet.text(meta, center=True)
            for line in preamble(report):
                sheet.text(line)
        sheet.text(section_heading(section.number, section.label), HEADING_FONT, indent=False)
        for grid in tables:
            sheet.table(report, grid)
            sheet.skip()
        for line in paragraphs(report.narrative.get(section.key)):
            sheet.text(line)
        _print_setup(ws, width)
    wb.properties.title = report_title(report)
    wb.properties.creator = "gongkai"
    wb.properties.subject = "政府信息公开工作年度报告"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

