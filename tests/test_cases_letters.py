"""Letters: the administrator's templates filled with the case's facts, as Word and PDF."""

from __future__ import annotations

import io
from datetime import date

import docx
import pdfplumber
import pytest
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.cases import letters, workflow
from gongkai.cases.models import LetterTemplate
from tests.casekit import agency, request, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def case_and_clerk():
    a = agency("DYX", "大英县人民政府办公室")
    clerk = staff("clerk", a, Role.HANDLER)
    case = request(a, clerk, date(2025, 1, 20), n=7, applicant_name="王五", description="2024年县道改造工程的批复文件")
    return case, clerk


def test_receipt_states_the_due_date_from_the_calendar(case_and_clerk) -> None:
    case, _ = case_and_clerk
    letter = letters.compose(case, "receipt", today=date(2025, 1, 20))
    assert letter.title == "政府信息公开申请受理回执"
    assert letter.paragraphs == [
        "王五：",
        "本机关于2025年1月20日收到您（单位）提出的政府信息公开申请，受理编号为DYX-2025-00001。"
        "申请的内容为：2024年县道改造工程的批复文件",
        # 20 working days after 20 January 2025 across the Spring Festival: 21 February
        "根据《中华人民共和国政府信息公开条例》第三十三条的规定，本机关将在收到申请之日起20个工作日内"
        "（即2025年2月21日前）予以答复；需要延长答复期限的，将另行告知。征求第三方和其他机关意见所需时间不计算在上述期限内。",
        "可凭受理编号查询办理进度。",
    ]


def test_answer_names_the_outcome_and_its_article(case_and_clerk) -> None:
    case, clerk = case_and_clerk
    with pytest.raises(letters.LetterError, match="尚未答复"):
        letters.compose(case, "answer")
    workflow.decide(case, clerk, "unavailable_not_held", date(2025, 2, 10), "经检索，本机关未制作或获取该信息。")
    letter = letters.compose(case, "answer", today=date(2025, 2, 10))
    assert "经审查，答复如下：本机关不掌握相关政府信息。经检索，本机关未制作或获取该信息。" in letter.paragraphs[2]
    assert letter.paragraphs[3] == "依据：《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项。"


def test_an_administrators_outcome_template_takes_precedence(case_and_clerk) -> None:
    case, clerk = case_and_clerk
    workflow.decide(case, clerk, "disclosed", date(2025, 2, 10))
    LetterTemplate.objects.create(kind="answer", outcome="disclosed", title="公开答复",
                                  body="{{ case.applicant_name }}：\n\n所申请信息予以公开，见附件。")
    assert letters.compose(case, "answer").paragraphs == ["王五：", "所申请信息予以公开，见附件。"]


def test_word_and_pdf_carry_the_text(case_and_clerk) -> None:
    case, clerk = case_and_clerk
    workflow.request_correction(case, clerk, date(2025, 1, 22), "请写明文件名称或文号", date(2025, 2, 7))
    letter = letters.compose(case, "correction", today=date(2025, 1, 22))
    document = docx.Document(io.BytesIO(letters.to_docx(letter)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "政府信息公开申请补正告知书"
    assert "请写明文件名称或文号" in texts
    assert texts[-2:] == ["大英县人民政府办公室", "2025年1月22日"]
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    pdf = letters.to_pdf(letter)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join((page.extract_text() or "") for page in doc.pages).replace("\n", "")
    assert "补正告知书" in text and "请写明文件名称或文号" in text and "2025年2月7日前补正" in text


def test_download_from_the_case_page(case_and_clerk) -> None:
    case, clerk = case_and_clerk
    client = Client()
    client.force_login(clerk)
    response = client.get(f"/desk/{case.pk}/letters/receipt.docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''DYX-2025-00001-" in response["Content-Disposition"]
    response = client.get(f"/desk/{case.pk}/letters/extension.pdf", follow=True)
    assert "本申请没有延期" in response.content.decode()
    other = staff("other", agency("BBB"), Role.HANDLER)
    client.force_login(other)
    assert client.get(f"/desk/{case.pk}/letters/receipt.docx").status_code == 404
