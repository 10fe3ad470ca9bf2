"""December requests before next year's holiday schedule is published, and the import that fixes them."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.calendar import CC_LAST_YEAR
from gongkai.cases import clock
from gongkai.cases.models import Case, State
from gongkai.cli import main
from tests.casekit import agency, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]

# chinesecalendar knows 2004–2026; 2027's schedule is published around December 2026.
if CC_LAST_YEAR != 2026:  # pragma: no cover - a newer chinesecalendar
    pytest.skip("chinesecalendar knows 2027 now: move this test to the next unknown year", allow_module_level=True)

SCHEDULE_2027 = """year 2027
notice 国务院办公厅关于2027年部分节假日安排的通知（测试用，只含元旦）
holiday 2027-01-01..2027-01-03 元旦
"""


def _december_case(office, n: int, received: date) -> Case:
    # Created directly: the workflow refuses dates after today, and this December may still lie ahead.
    return Case.objects.create(
        agency=office, tracking_number=f"T-{n}", applicant_type="natural_person", applicant_name=f"申请人{n}",
        description="某文件", channel="in_person", submitted_on=received, received_on=received,
        state=State.IN_PROGRESS)


def test_a_december_request_is_provisional_until_the_schedule_is_imported(tmp_path, capsys) -> None:
    office = agency("DYX", "大英县人民政府办公室")
    clerk = staff("clerk", office, Role.HANDLER)
    case = _december_case(office, 1, date(2026, 12, 21))  # Monday
    early = _december_case(office, 2, date(2026, 11, 2))  # due within 2026: untouched
    # 22–25 Dec (4), 28–31 Dec (8); 2027 unknown, Mon–Fri: 1 Jan (9), 4–8 (14), 11–15 (19), 18 Jan (20)
    due = clock.answer_due(case)
    assert (due.date, due.provisional) == (date(2027, 1, 18), True)
    client = Client()
    client.force_login(clerk)
    assert "节假日安排未确认" in client.get(f"/desk/{case.pk}/").content.decode()
    early_due = clock.answer_due(early).date

    source = tmp_path / "2027.txt"
    source.write_text(SCHEDULE_2027, encoding="utf-8")
    assert main(["calendar", "import", str(source)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "已导入2027年节假日安排：放假3天（其中周一至周五1天），调休上班0天",
        "1件未办结申请的答复期限改变：",
        "  DYX T-1: 2027-01-18（节假日安排未确认） → 2027-01-19",
    ]
    # 1 January is a holiday now: 4–8 (13), 11–15 (18), 18 (19), 19 Jan (20)
    after = clock.answer_due(case)
    assert (after.date, after.provisional) == (date(2027, 1, 19), False)
    assert clock.answer_due(early).date == early_due
    assert "节假日安排未确认" not in client.get(f"/desk/{case.pk}/").content.decode()
