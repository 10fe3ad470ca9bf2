"""A report as one standalone HTML5 page in the official layout, ready to publish or print on A4."""

from __future__ import annotations

from html import escape

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

FONT_STACK = ('"FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "SimSun", "宋体", '
              '"Noto Serif CJK SC", "Source Han Serif SC", serif')
HEADING_FONTS = '"SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
TABLE_FONTS = '"SimSun", "宋体", "Noto Serif CJK SC", "Source Han Serif SC", serif'

CSS = f"""
@page {{ size: A4; margin: 2.5cm 2.2cm 2.5cm 2.2cm; }}
html {{ background: #fff; color: #000; }}
body {{ font-family: {FONT_STACK}; font-size: 12pt; line-height: 1.75; margin: 0 auto; max-width: 48em;
       padding: 1em; }}
h1 {{ font-family: {TABLE_FONTS}; font-size: 18pt; font-weight: bold; text-align: center; line-height: 1.4;
     margin: 0.5em 0; }}
h2 {{ font-family: {HEADING_FONTS}; font-size: 12pt; font-weight: normal; margin: 1.2em 0 0.4em; }}
p {{ text-indent: 2em; margin: 0 0 0.3em; text-align: justify; }}
p.meta {{ text-indent: 0; text-align: center; margin-bottom: 1em; }}
table {{ font-family: {TABLE_FONTS}; border-collapse: collapse; width: 100%; margin: 0.6em 0 1em;
        font-size: 9pt; line-height: 1.35; page-break-inside: auto; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; break-inside: avoid; }}
th, td {{ border: 1px solid #000; padding: 0.25em 0.3em; text-align: center; vertical-align: middle;
         font-weight: normal; }}
th.label {{ text-align: left; }}
th.label[rowspan] {{ width: 3em; text-align: center; }}
th.title {{ font-weight: bold; }}
td {{ font-variant-numeric: tabular-nums; white-space: nowrap; }}
@media print {{
  body {{ max-width: none; padding: 0; }}
  h2 {{ page-break-after: avoid; break-after: avoid; }}
  table {{ page-break-before: auto; }}
}}
""".strip()


def _attrs(cell: GridCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def _cell(report: Report, cell: GridCell) -> str:
    text = escape(cell_text(report, cell))
    if cell.kind == "value":
        return f"<td{_attrs(cell)}>{text}</td>"
    if cell.kind == "label":
        return f'<th scope="row" class="label level{cell.level}"{_attrs(cell)}>{text}</th>'
    if cell.kind == "header":
        scope = ' scope="colgroup"' if cell.colspan > 1 else ' scope="col"'
    else:  # the title, and the corner (the label column's header, or Table 3's note)
        scope = ' scope="col"' if cell.kind == "corner" and cell.colspan == 1 else ""
    return f'<th class="{cell.kind}"{scope}{_attrs(cell)}>{text}</th>'


def render_table(report: Report, grid: Grid) -> str:
    """One table with real rowspan/colspan, header rows in <thead> (repeated on each printed page)."""
    out = [f'<table class="{escape(grid.table.key)}">', "<thead>"]
    for row in grid.header_rows:
        out.append("<tr>" + "".join(_cell(report, c) for c in row) + "</tr>")
    out += ["</thead>", "<tbody>"]
    for row in grid.body_rows:
        out.append("<tr>" + "".join(_cell(report, c) for c in row) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _paragraphs(lines: list[str], cls: str | None = None) -> list[str]:
    attr = f' class="{cls}"' if cls else ""
    return [f"<p{attr}>{escape(line)}</p>" for line in lines]


def render_html(report: Report) -> bytes:
    title = report_title(report)
    grids = section_grids(report.format)
    body = [f"<h1>{escape(title)}</h1>"]
    meta = report_meta(report)
    if meta:
        body.append(f'<p class="meta">{escape(meta)}</p>')
    body += _paragraphs(preamble(report), "preamble")
    for section in SECTIONS:
        body.append(f'<section id="{section.key}">')
        body.append(f"<h2>{escape(section_heading(section.number, section.label))}</h2>")
        tables = grids.get(section.number, [])
        text = paragraphs(report.narrative.get(section.key))
        # Prose of a table section follows its tables, as notes do: figures in prose printed between
        # a heading and its table would be read as the table's by anyone (and any parser) reading on.
        body += [render_table(report, g) for g in tables]
        body += _paragraphs(text)
        body.append("</section>")
    page = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="gongkai">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{CSS}\n</style>",
        "</head>",
        "<body>",
        '<article class="annual-report">',
        *body,
        "</article>",
        "</body>",
        "</html>",
    ]
    return ("\n".join(page) + "\n").encode("utf-8")
