"""Year end: 第三部分 and 第四部分 counted from cases by the database, correct by construction."""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.agencies.models import Agency
from gongkai.cases.models import Appeal, Case, State
from gongkai.cases.yearend import build_report, build_reports
from gongkai.report.rules import evaluate

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T3 = "t3_requests"
T4 = "t4_review_litigation"


def _case(agency: Agency, n: int, applicant_type: str, received: date, decided: date | None = None,
          outcome: str = "") -> Case:
    return Case.objects.create(
        agency=agency, tracking_number=f"T-{n}", applicant_type=applicant_type, applicant_name=f"申请人{n}",
        description="某文件", channel="in_person", submitted_on=received, received_on=received,
        decided_on=decided, outcome=outcome, state=State.CLOSED if decided else State.IN_PROGRESS)


def test_carry_over_and_results_by_applicant_column() -> None:
    a = Agency.objects.create(name="某县人民政府办公室", code="A")
    other = Agency.objects.create(name="别的机关", code="B")
    # closed before 2025: in no 2025 figure
    _case(a, 1, "natural_person", date(2024, 3, 1), date(2024, 3, 20), "disclosed")
    # received 2024, closed 2025: 二 and 三
    _case(a, 2, "natural_person", date(2024, 12, 20), date(2025, 1, 10), "unavailable_not_held")
    # received 2024, still open at the end of 2025: 二 and 四
    _case(a, 3, "commercial_enterprise", date(2024, 12, 30))
    # received 2025, closed 2025
    _case(a, 4, "natural_person", date(2025, 2, 1), date(2025, 2, 20), "disclosed")
    _case(a, 5, "legal_service_org", date(2025, 5, 6), date(2025, 6, 1), "other_no_correction")
    # received 2025, closed in 2026: 一 and 四
    _case(a, 6, "natural_person", date(2025, 12, 29), date(2026, 1, 5), "disclosed")
    # another agency: not counted
    _case(other, 7, "natural_person", date(2025, 3, 3), date(2025, 3, 9), "disclosed")

    r = build_report([a.pk], 2025, "某县人民政府办公室")
    assert r.format == "2021"
    c = r.cells
    assert [c[(T3, "new_requests", k)] for k in ("natural_person", "legal_service_org", "total")] == [2, 1, 3]
    assert [c[(T3, "carried_over", k)] for k in ("natural_person", "commercial_enterprise", "total")] == [1, 1, 2]
    assert c[(T3, "disclosed", "natural_person")] == 1
    assert c[(T3, "unavailable_not_held", "natural_person")] == 1
    assert c[(T3, "other_no_correction", "legal_service_org")] == 1
    assert c[(T3, "results_total", "total")] == 3
    assert [c[(T3, "carried_forward", k)] for k in ("natural_person", "commercial_enterprise", "total")] == [1, 1, 2]
    assert [v for v in evaluate(r) if v.severity == "error"] == []

    # 2020 uses the 2019 format: the （六） codes fold into one row
    r2020 = build_report([a.pk], 2024)
    assert r2020.format == "2021"
    _case(a, 8, "natural_person", date(2020, 4, 1), date(2020, 4, 2), "other_fee_unpaid")
    old = build_report([a.pk], 2020)
    assert old.format == "2019"
    assert old.cells[(T3, "other_handling", "natural_person")] == 1
    assert [v for v in evaluate(old) if v.severity == "error"] == []


def test_appeals_by_route_and_result_with_pending_at_year_end() -> None:
    a = Agency.objects.create(name="某县人民政府", code="G")
    Appeal.objects.create(agency=a, route="review", filed_on=date(2025, 3, 1), result="corrected",
                          decided_on=date(2025, 5, 1))
    Appeal.objects.create(agency=a, route="review", filed_on=date(2025, 11, 1), result="upheld",
                          decided_on=date(2026, 1, 20))  # decided after the year: 尚未审结 in 2025
    Appeal.objects.create(agency=a, route="suit_direct", filed_on=date(2024, 11, 1))  # carried, pending
    Appeal.objects.create(agency=a, route="suit_after_review", filed_on=date(2024, 1, 1), result="upheld",
                          decided_on=date(2024, 6, 1))  # decided before 2025: not counted
    c = build_report([a.pk], 2025).cells
    assert c[(T4, "cases", "review_corrected")] == 1
    assert c[(T4, "cases", "review_pending")] == 1
    assert c[(T4, "cases", "review_total")] == 2
    assert c[(T4, "cases", "suit_direct_pending")] == 1
    assert c[(T4, "cases", "suit_direct_total")] == 1
    assert c[(T4, "cases", "suit_after_review_total")] == 0


def test_every_agencys_report_at_once_equals_each_alone_and_their_roll_up() -> None:
    a = Agency.objects.create(name="甲", code="A")
    b = Agency.objects.create(name="乙", code="B")
    _case(a, 1, "natural_person", date(2024, 12, 20), date(2025, 1, 10), "unavailable_not_held")
    _case(a, 2, "commercial_enterprise", date(2025, 2, 1), date(2025, 2, 20), "disclosed")
    _case(b, 3, "natural_person", date(2025, 12, 29))
    _case(b, 4, "other_org", date(2025, 5, 6), date(2025, 6, 1), "other_no_correction")
    Appeal.objects.create(agency=b, route="review", filed_on=date(2025, 3, 1))
    many = build_reports([a.pk, b.pk], 2025)
    for agency in (a, b):
        assert many[agency.pk].cells == build_report([agency.pk], 2025).cells
    both = build_report([a.pk, b.pk], 2025).cells
    assert both == {k: many[a.pk].cells[k] + many[b.pk].cells[k] for k in both}
    assert both[(T3, "results_total", "total")] == 3


def test_every_figure_drills_down_to_its_cases() -> None:
    from gongkai.cases.yearend import cases_behind

    a = Agency.objects.create(name="甲", code="A")
    b = Agency.objects.create(name="乙", code="B")
    _case(a, 1, "natural_person", date(2024, 12, 20), date(2025, 1, 10), "unavailable_not_held")
    _case(a, 2, "commercial_enterprise", date(2025, 2, 1), date(2025, 2, 20), "disclosed")
    _case(b, 3, "natural_person", date(2025, 12, 29))
    _case(b, 4, "other_org", date(2025, 5, 6), date(2025, 6, 1), "other_no_correction")
    ids = [a.pk, b.pk]
    report = build_report(ids, 2025)
    for row in report.definition.table(T3).data_rows:
        for col in report.definition.table(T3).columns:
            behind = cases_behind(ids, 2025, row.key, col.key)
            assert behind.count() == report.cells[(T3, row.key, col.key)], (row.key, col.key)
    assert sorted(cases_behind(ids, 2025, "new_requests", "total").values_list("tracking_number", flat=True)) == \
        ["T-2", "T-3", "T-4"]
    old = build_report(ids, 2020)  # 2019 format: （六）其他处理 is one row
    assert cases_behind(ids, 2020, "other_handling", "total").count() == old.cells[(T3, "other_handling", "total")]
