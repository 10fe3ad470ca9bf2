"""Reminders: handlers hear of their cases due within 3 working days or overdue; supervisors of overdue ones."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from gongkai.agencies.models import Role
from gongkai.cases import reminders, workflow
from gongkai.cli import main
from tests.casekit import agency, request, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_who_hears_about_what(capsys) -> None:
    county = agency("XZF", "某县人民政府")
    office = agency("BGS", "某县政府办公室", parent=county)
    clerk = staff("clerk", office, Role.HANDLER)
    clerk.email = "clerk@example.invalid"
    clerk.save()
    staff("other", office, Role.HANDLER)  # no e-mail address
    sup = staff("sup", county, Role.SUPERVISOR)
    sup.email = "sup@example.invalid"
    sup.save()
    # Monday 3 March 2025 + 20 working days = Monday 31 March
    soon = request(office, clerk, date(2025, 3, 3), n=1)
    workflow.assign(soon, clerk, clerk)
    # Monday 24 February + 20 = Monday 24 March: overdue on 27 March by 3 working days
    late = request(office, clerk, date(2025, 2, 24), n=2)
    far = request(office, clerk, date(2025, 3, 20), n=3)  # due 18 April: not yet
    done = request(office, clerk, date(2025, 2, 24), n=4)
    workflow.decide(done, clerk, "disclosed", date(2025, 3, 3))

    today = date(2025, 3, 27)  # Thursday: 31 March is 2 working days away
    due = {d.case.tracking_number: d.days_left for d in reminders.due_cases(today)}
    assert due == {soon.tracking_number: 2, late.tracking_number: -3}
    assert far.tracking_number not in due

    plan = {u.username: sorted(d.case.tracking_number for d in items) for u, items in reminders.plan(today).items()}
    assert plan == {"clerk": sorted([soon.tracking_number, late.tracking_number]),
                    "other": [late.tracking_number],  # unassigned: every handler of the agency hears of it
                    "sup": [late.tracking_number]}

    assert main(["remind", "--date", "2025-03-27"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["clerk <clerk@example.invalid>：2件，已发送", "other <->：1件，未发送：没有电子邮箱",
                                "sup <sup@example.invalid>：1件，已发送"]
    assert [m.to for m in mail.outbox] == [["clerk@example.invalid"], ["sup@example.invalid"]]
    assert mail.outbox[0].subject == "[政府信息公开] 2件申请即将到期或已逾期（2025-03-27）"
    assert mail.outbox[0].body.splitlines()[:2] == [
        f"{late.tracking_number}  某县政府办公室  答复期限 2025-03-24，已逾期3个工作日",
        f"{soon.tracking_number}  某县政府办公室  答复期限 2025-03-31，还剩2个工作日",
    ]


def test_a_site_in_english_sends_its_reminders_in_english() -> None:
    """The e-mails are in the active language (the site's LANGUAGE_CODE when run from cron)."""
    from django.utils import translation

    office = agency("BGS", "某县政府办公室")
    clerk = staff("clerk", office, Role.HANDLER)
    clerk.email = "clerk@example.invalid"
    clerk.save()
    late = request(office, clerk, date(2025, 2, 24), n=1)  # due Monday 24 March
    workflow.assign(late, clerk, clerk)
    today_due = request(office, clerk, date(2025, 2, 27), n=2)  # due Thursday 27 March
    workflow.assign(today_due, clerk, clerk)
    with translation.override("en"):
        reminders.send(date(2025, 3, 27))
    (message,) = mail.outbox
    assert message.subject == "[Information disclosure] 2 requests due soon or overdue (2025-03-27)"
    assert message.body.splitlines() == [
        f"{late.tracking_number}  某县政府办公室  reply due 2025-03-24, overdue by 3 working days",
        f"{today_due.tracking_number}  某县政府办公室  reply due 2025-03-27, due today",
        "",
        "Please sign in to the case system to deal with them.",
    ]
