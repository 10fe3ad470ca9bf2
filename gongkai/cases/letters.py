"""Letters to applicants and consulted parties, from the administrator's templates, as .docx and PDF.

The text comes from :class:`~gongkai.cases.models.LetterTemplate` (defaults in
:mod:`.letter_defaults`), filled with the case's facts; dates come from the case's records and its
computed due date, never typed twice.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template import Context, Engine
from django.utils import timezone
from django.utils.translation import gettext as _

from . import clock
from .models import Case, Consultation, LetterTemplate
from .outcomes import BASIS, label

_ENGINE = Engine(builtins=["django.template.defaultfilters"], autoescape=False)


class LetterError(Exception):
    """This letter does not fit the case now; the message says why."""


@dataclass(frozen=True)
class Letter:
    title: str
    paragraphs: list[str]
    agency: str
    dated: date
    reference: str


def compose(case: Case, kind: str, consultation: Consultation | None = None, today: date | None = None) -> Letter:
    context: dict[str, Any] = {"case": case, "agency": case.agency, "today": today or timezone.localdate()}
    if case.received_on is None:
        raise LetterError(_("收到申请之日尚未确认，不能出具文书"))
    due = clock.answer_due(case).date if not case.outcome else None
    context["due"] = due
    if kind == LetterTemplate.Kind.CORRECTION:
        if not hasattr(case, "correction"):
            raise LetterError(_("本申请没有告知补正"))
        context["correction"] = case.correction
    elif kind == LetterTemplate.Kind.EXTENSION:
        if not hasattr(case, "extension"):
            raise LetterError(_("本申请没有延期"))
        context["extension"] = case.extension
    elif kind == LetterTemplate.Kind.CONSULTATION:
        consultation = consultation or case.consultations.order_by("-sent_on").first()
        if consultation is None:
            raise LetterError(_("本申请没有征求意见"))
        context["consultation"] = consultation
    elif kind == LetterTemplate.Kind.ANSWER:
        if not case.outcome:
            raise LetterError(_("本申请尚未答复，请先记录办理结果"))
        context.update(outcome=label(case.outcome).split("（区分")[0].lstrip("0123456789."), basis=BASIS[case.outcome],
                       grounds=case.grounds)
    elif kind != LetterTemplate.Kind.RECEIPT:
        raise LetterError(_("没有“%(kind)s”这种文书") % {"kind": kind})
    template = (LetterTemplate.objects.filter(kind=kind, outcome=case.outcome).first() if kind == "answer" else None) \
        or LetterTemplate.objects.filter(kind=kind, outcome="").first()
    if template is None:
        raise LetterError(_("没有“%(letter)s”的模板，请管理员在后台添加") % {"letter": LetterTemplate.Kind(kind).label})
    text = _ENGINE.from_string(template.body).render(Context(context))
    paragraphs = [" ".join(p.split("\n")).strip() for p in text.split("\n\n")]
    return Letter(template.title, [p for p in paragraphs if p], case.agency.name, context["today"],
                  case.tracking_number)


def to_docx(letter: Letter) -> bytes:
    """A4, 仿宋 body and 小标宋-style title, the agency and date at the foot, as official letters are laid out."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    def run_font(run: Any, name: str, size: float, bold: bool = False) -> None:
        run.font.name = name
        run.font.size = Pt(size)
        run.font.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run_font(title.add_run(letter.title), "方正小标宋简体", 22)
    ref = doc.add_paragraph()
    ref.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run_font(ref.add_run(f"受理编号：{letter.reference}"), "仿宋_GB2312", 14)
    for i, text in enumerate(letter.paragraphs):
        p = doc.add_paragraph()
        if i > 0:
            p.paragraph_format.first_line_indent = Pt(32)
        run_font(p.add_run(text), "仿宋_GB2312", 16)
    for text in (letter.agency, f"{letter.dated.year}年{letter.dated.month}月{letter.dated.day}日"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run_font(p.add_run(text), "仿宋_GB2312", 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(letter: Letter) -> bytes:
    """The same letter as PDF, with reportlab's built-in Chinese font (STSong-Light): no font files needed."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=15, leading=26, firstLineIndent=30,
                          wordWrap="CJK")
    first = ParagraphStyle("first", parent=body, firstLineIndent=0)
    title = ParagraphStyle("title", parent=body, fontSize=21, leading=32, alignment=TA_CENTER, firstLineIndent=0)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT, firstLineIndent=0)
    story: list[Any] = [Paragraph(escape(letter.title), title), Spacer(1, 0.3 * cm),
                        Paragraph(escape(f"受理编号：{letter.reference}"), right)]
    for i, text in enumerate(letter.paragraphs):
        story.append(Paragraph(escape(text), body if i else first))
    story += [Spacer(1, 1 * cm), Paragraph(escape(letter.agency), right),
              Paragraph(f"{letter.dated.year}年{letter.dated.month}月{letter.dated.day}日", right)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=2.8 * cm, rightMargin=2.6 * cm, topMargin=3.7 * cm,
                      bottomMargin=3.5 * cm, title=letter.title).build(story)
    return out.getvalue()
