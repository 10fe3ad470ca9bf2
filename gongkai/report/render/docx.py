"""A report as a Word document (.docx) in the official layout: A4, 仿宋_GB2312 text, merged-cell tables.

Fonts follow the usual 公文 practice: title 宋体 bold 二号 (22 pt), section headings 黑体 三号,
text 仿宋_GB2312 三号 (16 pt) with a fixed 28 pt line, tables 宋体 五号/小五.  Word shows a
Chinese font only when it is named in ``w:eastAsia``, so every run names it there.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..formats import SECTIONS
from ..model import Report
from .layout import (
    Grid,
    GridCell,
    cell_text,
    paragraphs,
    preamble,
    report_meta,
    report_title,
    section_grids,
    section_heading,
)

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
# GB/T 9704 margins: top 3.7, bottom 3.5, left 2.8, right 2.6 cm.
MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6)}
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left_margin"] - MARGINS["right_margin"]

WESTERN = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
TABLE_FONT = "宋体"


def _set_fonts(rfonts_parent: BaseOxmlElement, east_asia: str) -> None:
    """Name the western and the Chinese font on an ``w:rPr``, dropping theme fonts that would win."""
    rfonts = rfonts_parent.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rfonts_parent.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), WESTERN)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _font(run: Run, east_asia: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold or None
    _set_fonts(run._element.get_or_add_rPr(), east_asia)


def _setup(document: DocxDocument, report: Report) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)
    styles = document.styles.element
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:
        _set_fonts(defaults, BODY_FONT)
        lang = defaults.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:val"), "zh-CN")
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    props = document.core_properties
    props.title = report_title(report)
    props.author = report.agency or "gongkai"
    props.subject = "政府信息公开工作年度报告"
    props.language = "zh-CN"
    props.comments = f"{report.definition.name}（{report.definition.notice}）"
    _page_number(section.footer.paragraphs[0])


def _page_number(paragraph: Paragraph) -> None:
    """A centred "— N —" page number in the footer (a PAGE field)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def _outline(paragraph: Paragraph, level: int) -> None:
    """Mark a heading for Word's navigation pane without Word's (Latin, coloured) heading styles."""
    ppr = paragraph._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    ppr.append(outline)


def _text(document: DocxDocument, text: str, *, font: str = BODY_FONT, size: float = 16,
          bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None, indent: bool = True) -> Paragraph:
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


# ---------------------------------------------------------------------------------------------
# Tables


def _column_widths(grid: Grid) -> list[int]:
    """Widths in EMU filling the text width: labels take a share, figures split the rest evenly."""
    total = int(TEXT_WIDTH)
    n_values = grid.width - grid.label_columns
    if not grid.label_columns:
        return [total // grid.width] * grid.width
    label_share = 0.5 if grid.label_columns > 1 else (0.4 if n_values > 1 else 0.5)
    label_total = int(total * label_share)
    if grid.label_columns == 1:
        labels = [label_total]
    else:  # the outer (heading) columns are narrow, the innermost holds the long item labels
        outer = [int(label_total * (0.2 if j == 0 else 0.27)) for j in range(grid.label_columns - 1)]
        labels = [*outer, label_total - sum(outer)]
    value = (total - label_total) // n_values
    return labels + [value] * n_values


def _table_font_size(grid: Grid) -> float:
    return 10.5 if grid.width <= 5 else 9


def _repeat_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def render_table(document: DocxDocument, report: Report, grid: Grid) -> DocxTable:
    """One table: cells merged exactly as the grid says, "Table Grid" borders, header rows repeated."""
    table = document.add_table(rows=grid.height, cols=grid.width)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _column_widths(grid)
    for j, column in enumerate(table.columns):
        column.width = widths[j]
    # Every cell object once, before merging: ``table.cell(r, c)`` re-reads the whole table per call.
    flat = table._cells
    cells = [flat[r * grid.width:(r + 1) * grid.width] for r in range(grid.height)]
    for row in cells:
        for j, target in enumerate(row):
            target.width = widths[j]
    for r in range(len(grid.header_rows)):
        _repeat_header(table.rows[r])
    size = _table_font_size(grid)
    for cell in grid.cells():
        target = cells[cell.row][cell.col]
        if cell.merged:
            target = target.merge(cells[cell.last_row][cell.last_col])
        _fill(target, report, cell, size)
    return table


def _fill(target: _Cell, report: Report, cell: GridCell, size: float) -> None:
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = target.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = None
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
    text = cell_text(report, cell)
    if text:
        _font(paragraph.add_run(text), TABLE_FONT, size, bold=cell.kind == "title")


# ---------------------------------------------------------------------------------------------


def render_docx(report: Report) -> bytes:
    document = docx.Document()
    _setup(document, report)
    title = _text(document, report_title(report), font=TITLE_FONT, size=22, bold=True,
                  align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.line_spacing = Pt(36)
    _outline(title, 0)
    meta = report_meta(report)
    if meta:
        _text(document, meta, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    for line in preamble(report):
        _text(document, line)
    grids = section_grids(report.format)
    for section in SECTIONS:
        heading = _text(document, section_heading(section.number, section.label), font=HEADING_FONT)
        heading.paragraph_format.keep_with_next = True
        _outline(heading, 1)
        for grid in grids.get(section.number, []):
            render_table(document, report, grid)
            # Word joins adjacent tables into one: keep them apart with a short empty paragraph.
            document.add_paragraph().paragraph_format.line_spacing = Pt(14)
        # Prose of a table section follows its tables (see html.py for why).
        for line in paragraphs(report.narrative.get(section.key)):
            _text(document, line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
