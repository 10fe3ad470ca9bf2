"""第二部分 of the annual report from the catalogue and the yearly figures, counted by the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gongkai.agencies.models import Membership, Role
from gongkai.annual.build import build
from gongkai.cases.yearend import build_report
from gongkai.catalogue import services
from gongkai.catalogue.models import YearlyFigure
from gongkai.catalogue.yearend import (
    agencies_without_figures,
    fill_second_part,
    narrative_counts,
    second_part_cells,
)
from gongkai.report.rules import evaluate
from tests.casekit import agency, staff
from tests.catalogkit import normative, published

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T1 = "t2_item1"


def _t1(cells, row: str, *columns: str) -> list:
    return [cells[(T1, row, c)] for c in columns]


@pytest.fixture
def county():
    gov = agency("DY", "大英县人民政府")
    office = agency("DYX", "大英县人民政府办公室", parent=gov)
    clerk, head = staff("clerk", gov, Role.HANDLER), staff("head", gov, Role.APPROVER)
    Membership.objects.create(user=clerk, agency=office, role=Role.HANDLER)
    Membership.objects.create(user=head, agency=office, role=Role.APPROVER)
    return gov, office, clerk, head


def _documents(gov, office, clerk, head) -> None:
    n = iter(range(1, 100))

    def doc(title: str, issued: date, published_on: date, **kw):
        return normative(gov, clerk, head, title, issued, published_on, f"大府规〔{issued.year}〕{next(n)}号", **kw)

    doc("N1 in force since 2024", date(2024, 5, 10), date(2024, 5, 20))
    doc("N2 issued 2025", date(2025, 2, 1), date(2025, 2, 10))
    n3 = doc("N3 issued 2023, repealed 2025", date(2023, 1, 1), date(2023, 1, 5))
    services.repeal(n3, head, date(2025, 6, 30))
    doc("N4 issued December 2025, published January 2026", date(2025, 12, 20), date(2026, 1, 6))
    doc("N5 expired March 2025", date(2022, 3, 1), date(2022, 3, 5), expired_on=date(2025, 3, 1))
    n6 = doc("N6 withdrawn", date(2025, 4, 1), date(2025, 4, 2))
    services.withdraw(n6, head, "误发", date(2025, 4, 3))
    n7 = doc("N7 issued and repealed in 2025", date(2025, 3, 1), date(2025, 3, 3))
    services.repeal(n7, head, date(2025, 11, 1))
    published(gov, clerk, head, "R1 规章", date(2025, 7, 5), kind="rule", issued_on=date(2025, 7, 1),
              document_number="大英县人民政府令第1号")
    published(gov, clerk, head, "O1 工作动态", date(2025, 7, 5))  # not a document the table counts
    normative(office, clerk, head, "办公室的文件", date(2025, 1, 2), date(2025, 1, 3), "大府办规〔2025〕1号")


def test_2021_format_issued_repealed_and_in_force(county) -> None:
    gov, office, clerk, head = county
    _documents(gov, office, clerk, head)
    cols = ("issued_this_year", "repealed_this_year", "in_force")
    c2025 = second_part_cells([gov.pk], 2025, "2021")
    # issued: N2, N4, N7; repealed: N3, N7; in force on 31 December: N1, N2, N4
    assert _t1(c2025, "normative_documents", *cols) == [3, 2, 3]
    assert _t1(c2025, "rules", *cols) == [1, 0, 1]
    c2024 = second_part_cells([gov.pk], 2024)
    # issued: N1; in force on 31 December 2024: N1, N3, N5 — and 3 + 3 − 2 − 1 (N5 expired) = 3
    assert _t1(c2024, "normative_documents", *cols) == [1, 0, 3]
    both = second_part_cells([gov.pk, office.pk], 2025)
    assert _t1(both, "normative_documents", *cols) == [4, 2, 4]



def test_the_narrative_counts_published_items_normative_documents_and_interpretations(county) -> None:
    gov, office, clerk, head = county
    _documents(gov, office, clerk, head)
    n2 = gov.catalogue_items.get(title="N2 issued 2025")
    published(gov, clerk, head, "N2 政策解读", date(2025, 2, 12), interprets=n2)
    # published in 2025 and still published: N2, N7, R1, O1 and the interpretation (N6 was withdrawn);
    # 行政规范性文件 issued in 2025: N2, N4, N7 (the table's 本年制发件数); one 政策解读
    assert narrative_counts([gov.pk], 2025) == (5, 3, 1)
    assert narrative_counts([gov.pk, office.pk], 2025) == (6, 4, 1)


def test_2019_format_made_published_and_total(county) -> None:
    gov, _, clerk, head = county
    normative(gov, clerk, head, "2019年的文件", date(2019, 6, 1), date(2019, 6, 3), "大府规〔2019〕1号")
    normative(gov, clerk, head, "2020年制作、2021年公开", date(2020, 12, 25), date(2021, 1, 4), "大府规〔2020〕1号")
    normative(gov, clerk, head, "2020年的文件", date(2020, 3, 1), date(2020, 3, 2), "大府规〔2020〕2号")
    cells = second_part_cells([gov.pk], 2020)  # 2020 uses the 2019 format
    assert _t1(cells, "normative_documents", "made_this_year", "published_this_year", "published_total") == [2, 1, 2]
    assert _t1(cells, "rules", "made_this_year", "published_this_year", "published_total") == [0, 0, 0]
    assert (T1, "normative_documents", "in_force") not in cells


def test_yearly_figures_fill_items_5_6_8_and_are_summed_over_agencies(county) -> None:
    gov, office, _, _ = county
    town = agency("DYZ", "大英县蓬莱镇人民政府", parent=gov)
    YearlyFigure.objects.create(agency=gov, year=2025, licensing_decisions=12, penalty_decisions=5,
                                coercion_decisions=0, fee_amount=Decimal("1.234567"))
    YearlyFigure.objects.create(agency=office, year=2025, licensing_decisions=3, fee_amount=Decimal("0.5"))
    YearlyFigure.objects.create(agency=gov, year=2024, licensing_decisions=99)
    one = second_part_cells([gov.pk], 2025)
    assert one[("t2_item5", "administrative_licensing", "decisions")] == 12
    assert one[("t2_item6", "administrative_penalty", "decisions")] == 5
    assert one[("t2_item6", "administrative_coercion", "decisions")] == 0
    assert one[("t2_item8", "administrative_fees", "fee_amount")] == Decimal("1.234567")
    rolled = second_part_cells([gov.pk, office.pk, town.pk], 2025)
    assert rolled[("t2_item5", "administrative_licensing", "decisions")] == 15
    assert rolled[("t2_item6", "administrative_penalty", "decisions")] == 5
    fee = rolled[("t2_item8", "administrative_fees", "fee_amount")]
    assert (fee, str(fee)) == (Decimal("1.734567"), "1.734567")  # as entered, on both databases
    assert str(second_part_cells([office.pk], 2025)[("t2_item8", "administrative_fees", "fee_amount")]) == "0.5"
    assert agencies_without_figures([gov.pk, office.pk, town.pk], 2025) == [town.pk]
    # nothing entered: the cells are left unread, never an invented 0
    assert [k for k in second_part_cells([town.pk], 2025) if k[0] != T1] == []


def test_2019_format_items_last_year_change_and_procurement(county) -> None:
    gov, _, _, _ = county
    YearlyFigure.objects.create(agency=gov, year=2019, licensing_items=40, fee_items=3)
    YearlyFigure.objects.create(agency=gov, year=2020, licensing_items=37, licensing_decisions=181,
                                other_services_items=10, fee_items=5, penalty_items=264, penalty_decisions=80,
                                procurement_projects=13, procurement_amount=Decimal("57.539443"))
    c = second_part_cells([gov.pk], 2020)
    figures = {k: v for k, v in c.items() if k[0] != T1}
    assert figures == {
        ("t2_item5", "administrative_licensing", "items_last_year"): 40,
        ("t2_item5", "administrative_licensing", "change_this_year"): -3,
        ("t2_item5", "administrative_licensing", "decisions"): 181,
        ("t2_item6", "administrative_penalty", "decisions"): 80,
        ("t2_item8", "administrative_fees", "items_last_year"): 3,
        ("t2_item8", "administrative_fees", "change_this_year"): 2,
        ("t2_item9", "government_procurement", "procurement_projects"): 13,
        ("t2_item9", "government_procurement", "procurement_amount"): Decimal("57.539443"),
    }


def test_the_cells_complete_the_report_and_pass_its_rules(county) -> None:
    gov, office, clerk, head = county
    _documents(gov, office, clerk, head)
    YearlyFigure.objects.create(agency=gov, year=2025, licensing_decisions=12, penalty_decisions=5,
                                coercion_decisions=0, fee_amount=Decimal("1.234567"))
    report = build_report([gov.pk], 2025, gov.name)
    fill_second_part(report, [gov.pk])
    assert [k for k in report.missing_cells() if k[0].startswith("t2_")] == []
    assert [v for v in evaluate(report) if v.severity == "error"] == []
    # the annual report builder picks the catalogue up (its 第二部分 and its narrative)
    built = build(gov, 2025)
    assert {k: v for k, v in built.cells.items() if k[0].startswith("t2_")} == second_part_cells([gov.pk], 2025)
    assert built.narrative["proactive"].startswith("本年度主动公开政府信息4条。")
