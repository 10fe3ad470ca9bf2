"""PDF in the official layout, with reportlab and its built-in Chinese font (STSong-Light).

The same merged-cell grid as the other renderers (:mod:`.layout`); wide tables (第四部分's fifteen
columns) get a smaller font so that they fit A4 portrait.  PDF is for printing and publishing;
the parser reads it back through pdfplumber.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from ..formats import SECTIONS
from ..model import Report
from .layout import Grid, cell_text, paragraphs, preamble, report_meta, report_title, section_grids, section_heading

FONT = "STSong-Light"


def _styles() -> dict[str, Any]:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=28, alignment=TA_CENTER, firstLineIndent=0),
        "meta": ParagraphStyle("meta", parent=body, alignment=TA_CENTER, firstLineIndent=0),
        "heading": ParagraphStyle("heading", parent=body, fontSize=12.5, leading=22, firstLineIndent=0,
                                  spaceBefore=6),
    }


def _table(report: Report, grid: Grid, width: float) -> Any:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    size = 6.5 if grid.width > 10 else (7.5 if grid.height > 20 else 8.5)
    style = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.3, alignment=TA_CENTER,
                           wordWrap="CJK")
    label_style = ParagraphStyle("label", parent=style, alignment=0)
    data: list[list[Any]] = [["" for _ in range(grid.width)] for _ in range(grid.height)]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for cell in grid.cells():
        text = escape(cell_text(report, cell))
        data[cell.row][cell.col] = Paragraph(text, label_style if cell.kind == "label" else style)
        if cell.merged:
            commands.append(("SPAN", (cell.col, cell.row), (cell.last_col, cell.last_row)))
    labels = grid.label_columns
    values = grid.width - labels
    # Outer label columns hold short vertical headings (三、本年度办理结果); the last one the long labels.
    narrow = 1.1 * 28.35  # 1.1 cm in points
    label_widths = [narrow] * (labels - 1) + [width * 0.48 - narrow * (labels - 1)] if labels else []
    value_width = (width - sum(label_widths)) / max(values, 1)
    widths = label_widths + [value_width] * values
    table = Table(data, colWidths=widths, repeatRows=len(grid.header_rows))
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(report: Report) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    st = _styles()
    story: list[Any] = [Paragraph(escape(report_title(report)), st["title"])]
    meta = report_meta(report)
    if meta:
        story.append(Paragraph(escape(meta), st["meta"]))
    story += [Paragraph(escape(line), st["body"]) for line in preamble(report)]
    width = A4[0] - 4.4 * cm
    grids = section_grids(report.format)
    for section in SECTIONS:
        story.append(Paragraph(escape(section_heading(section.number, section.label)), st["heading"]))
        for grid in grids.get(section.number, []):
            story += [_table(report, grid, width), Spacer(1, 6)]
        story += [Paragraph(escape(line), st["body"]) for line in paragraphs(report.narrative.get(section.key))]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm, topMargin=2.5 * cm,
                      bottomMargin=2.5 * cm, title=report_title(report)).build(story)
    return out.getvalue()
