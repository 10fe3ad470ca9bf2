"""Render a :class:`~gongkai.report.model.Report` in the official layout: HTML, Word, Excel, PDF or JSON.

>>> data = render(report, "docx")        # doctest: +SKIP

HTML, Word, Excel and PDF draw the same merged-cell grid (:mod:`.layout`), built from the format
definitions; JSON is the model's own serialisation (what ``gongkai report parse --json`` prints).
Blank and unread cells are printed empty; amounts keep their decimal digits.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Report

__all__ = ["TARGETS", "render"]

TARGETS = ("html", "docx", "xlsx", "pdf", "json")


def _json(report: Report) -> bytes:
    return (report.dumps() + "\n").encode("utf-8")


def _renderer(target: str) -> Callable[[Report], bytes]:
    # Imported on demand: python-docx and openpyxl are slow to import and only one is needed.
    if target == "html":
        from .html import render_html

        return render_html
    if target == "docx":
        from .docx import render_docx

        return render_docx
    if target == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx
    if target == "pdf":
        from .pdf import render_pdf

        return render_pdf
    return _json


def render(report: Report, to: str) -> bytes:
    """The report as the bytes of a file of type ``to``: "html", "docx", "xlsx" or "json"."""
    target = to.strip().lower().lstrip(".") if isinstance(to, str) else to
    if target not in TARGETS:
        raise ValueError(
            f"不支持的输出格式 {to!r}，可选：{'、'.join(TARGETS)} "
            f"/ unknown render target {to!r}; choose one of {', '.join(TARGETS)}"
        )
    return _renderer(target)(report)
