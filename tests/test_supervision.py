"""The supervision dashboard flags what a county's disclosure office must chase."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.annual.build import build
from gongkai.annual.models import AnnualReport
from gongkai.supervision.dashboard import rows
from tests.casekit import agency, request, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T3 = "t3_requests"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _publish(a, year: int, published: datetime, **cells: int) -> AnnualReport:
    report = build(a, year)
    for key, value in cells.items():
        row, column = key.split("__")
        report.cells[(T3, row, column)] = value
    for missing in report.missing_cells():
        report.cells[missing] = 0
    return AnnualReport.objects.create(agency=a, year=year, data=report.to_json(),
                                       state=AnnualReport.State.PUBLISHED, published_at=published)


def test_the_dashboard_flags_overdue_requests_and_a_broken_carry_over() -> None:
    county = agency("XZF", "示范县人民政府")
    late_dept = agency("XZF-A", "示范县甲局", parent=county)
    wrong_dept = agency("XZF-B", "示范县乙局", parent=county)
    fine_dept = agency("XZF-C", "示范县丙局", parent=county)
    clerk = staff("clerk", late_dept, Role.HANDLER)
    # Monday 24 February 2025 + 20 working days = 24 March: overdue on 27 March
    request(late_dept, clerk, date(2025, 2, 24))
    jan = datetime(2025, 1, 20, 10, tzinfo=SHANGHAI)
    _publish(late_dept, 2024, jan)
    _publish(fine_dept, 2024, jan)
    # 乙局: its 2023 report carried 2 requests forward, its 2024 report says nothing was carried over
    _publish(wrong_dept, 2023, datetime(2024, 1, 25, tzinfo=SHANGHAI), carried_forward__natural_person=2,
             carried_forward__total=2, new_requests__natural_person=2, new_requests__total=2)
    _publish(wrong_dept, 2024, datetime(2025, 2, 10, tzinfo=SHANGHAI))  # also after 31 January

    table = {r.agency.code: r for r in rows(county, 2024, date(2025, 3, 27))}
    assert table["XZF"].flags == ["年度报告未发布"]
    assert table["XZF-A"].flags == ["1件申请逾期未答复"]
    assert table["XZF-B"].flags == ["年度报告逾期发布", "上年结转与上年报告的结转下年度不一致"]
    assert [v.rule for v in table["XZF-B"].violations] == ["X-1", "X-1"]
    assert table["XZF-C"].flags == []

    supervisor = staff("sup", county, Role.SUPERVISOR)
    client = Client()
    client.force_login(supervisor)
    page = client.get("/desk/supervision/?year=2024").content.decode()
    assert "上年结转与上年报告的结转下年度不一致" in page
    assert "echarts-5.6.0.min.js" in page and "历年趋势（本行政区域合计）" in page
    assert "申请人" not in page
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/desk/supervision/?year=2024&format=xlsx").content)).active
    assert [c.value for c in sheet[1]][:3] == ["机关代码", "机关", "年度报告"]
    assert sheet.max_row == 5


def test_monthly_publication_and_interpretation_coverage() -> None:
    from tests.catalogkit import normative, published

    county = agency("XZF", "示范县人民政府")
    editor = staff("editor", county, Role.HANDLER)
    reviewer = staff("reviewer", county, Role.APPROVER)
    doc = normative(county, editor, reviewer, "示范县农村道路管理办法", date(2024, 3, 1), date(2024, 3, 5),
                    "示府规〔2024〕1号")
    normative(county, editor, reviewer, "示范县养犬管理规定", date(2024, 5, 1), date(2024, 5, 6), "示府规〔2024〕2号")
    published(county, editor, reviewer, "关于《示范县农村道路管理办法》的政策解读", date(2024, 3, 6), interprets=doc)
    published(county, editor, reviewer, "2024年3月工作动态", date(2024, 3, 20))
    row = rows(county, 2024, date(2025, 3, 27))[0]
    assert row.items_by_month == [0, 0, 3, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert row.interpretation_coverage == "1/2"
    assert "1件规范性文件没有政策解读" in row.flags


def test_yearly_trends_of_a_jurisdiction() -> None:
    from gongkai.supervision.dashboard import trends

    county = agency("XZF", "示范县人民政府")
    dept = agency("XZF-A", "示范县甲局", parent=county)
    clerk = staff("clerk", dept, Role.HANDLER)
    request(dept, clerk, date(2024, 5, 6), n=1)
    request(dept, clerk, date(2025, 2, 3), n=2)
    request(dept, clerk, date(2025, 3, 3), n=3)
    t = trends(county, 2025, span=3)
    assert t.years == [2023, 2024, 2025]
    assert t.requests == [0, 1, 2]
    assert t.decided == [0, 0, 0]
