"""The explanation of a reply deadline in English: the calendar's lines are templates marked with its
own ``gettext_noop`` (no Django there); the case page translates each one and words its dates in
English, while the Chinese page shows the calendar's own lines, byte for byte."""

from __future__ import annotations

import ast
import random
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

import gongkai.calendar as cal
from gongkai.agencies.models import Role
from gongkai.cases.selectors import derivation
from tests.casekit import agency, logged_in, paused_case, staff

HAN = re.compile(r"[\u4e00-\u9fff（），：；、〔〕]")
CALENDAR = Path(cal.__file__).parent


def _templates() -> set[str]:
    """Every string the calendar marks with ``gettext_noop``."""
    found = set()
    for path in CALENDAR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "gettext_noop":
                found.add(node.args[0].value)  # type: ignore[attr-defined]
    return found


def test_every_template_of_the_calendar_has_an_english_translation() -> None:
    templates = _templates()
    assert len(templates) > 40 and "%(day)s 收到申请（第三十一条），次日起算" in templates
    with translation.override("en"):
        untranslated = sorted(t for t in templates if translation.gettext(t) == t)
    assert untranslated == []


def _random_clocks(n: int) -> list[cal.DueDate]:
    """Clocks of every shape: corrections (received or not, late), pauses of each kind (replied, late,
    unanswered), dated and undated extensions (late too), 第三十五条 periods, unknown years."""
    rng = random.Random(7)
    dues = []
    for _ in range(n):
        r = date(2024, 1, 1) + timedelta(rng.randrange(1200))
        kwargs: dict = {"provisional": True}
        if rng.random() < .4:
            asked = r + timedelta(rng.randrange(12))
            kwargs["correction"] = cal.Correction(asked, rng.choice([None, asked + timedelta(rng.randrange(1, 20))]))
        pauses = []
        for _ in range(rng.randrange(3)):
            sent = r + timedelta(rng.randrange(1, 40))
            pauses.append(cal.Pause(rng.choice(list(cal.PauseKind)), sent,
                                    rng.choice([None, sent + timedelta(rng.randrange(60))])))
        kwargs["pauses"] = pauses
        if rng.random() < .4:
            kwargs["extensions"] = [cal.Extension(rng.randrange(1, 21),
                                                  rng.choice([None, r + timedelta(rng.randrange(1, 50))]))]
        if rng.random() < .2:
            until = r + timedelta(rng.randrange(40, 200))
            kwargs["reasonable_period"] = cal.ReasonablePeriod(until, rng.choice([None, until - timedelta(
                rng.randrange(1, 60))]))
        try:
            dues.append(cal.answer_due(r, **kwargs))
        except cal.DeadlineError:
            continue
    dues.append(cal.workday_period(date(2025, 9, 28), 5))
    return dues


def test_every_shape_of_explanation_is_all_english_in_english_and_the_calendars_own_in_chinese() -> None:
    dues = _random_clocks(1500)
    kinds = {step.kind for due in dues for step in due.steps}
    assert kinds == {"receipt", "correction", "period", "extension", "holiday", "makeup", "pause", "unknown",
                     "warning", "replaced", "due"}
    used = {step.template for due in dues for step in due.steps}
    assert len(used) >= 20
    for due in dues:
        with translation.override("en"):
            english = derivation(due)
        assert len(english) == len(due.steps)
        for line in english:
            assert not HAN.search(line), line
        with translation.override("zh-hans"):
            assert derivation(due) == due.lines()


def test_dates_and_names_inside_the_english_lines() -> None:
    # received Saturday 20 September 2025; fee notice Monday 22 September (day 1: the sending day counts),
    # unpaid: not counted until 20 working days after it, 24 October (9/23–9/26, Sunday 9/28 worked, 9/29,
    # 9/30, National Day 10/1–10/8 off, 10/9, 10/10, Saturday 10/11 worked, 10/13–10/24); then 10/27–11/20 2–20.
    due = cal.answer_due(date(2025, 9, 20), pauses=[cal.Pause("fee", date(2025, 9, 22))])
    with translation.override("en"):
        lines = derivation(due)
    assert lines == [
        "Request received on 20 September 2025 (Article 31); counting starts the next day",
        "Under Article 33(2) the reply is due within 20 working days",
        "Fee notice sent on 22 September 2025; no payment recorded, so counted until the payment period ends "
        "(24 October); working days not counted: 20; if the fee is not paid in time, the request is deemed "
        "abandoned (Guo Ban Han [2020] No. 109)",
        "National Day, Mid-Autumn Festival: 1 October 2025 to 8 October off, not counted",
        "Reply due: Thursday 20 November 2025",
    ]
    # a year whose holidays are not known: 12/16–12/31 1–12, then Monday to Friday 1/1, 1/2, 1/5–1/9, 1/12
    due = cal.answer_due(date(2025, 12, 15), calendar=cal.WorkCalendar(builtin_until=2025), provisional=True)
    with translation.override("en"):
        lines = derivation(due)
    assert lines == [
        "Request received on 15 December 2025 (Article 31); counting starts the next day",
        "Under Article 33(2) the reply is due within 20 working days",
        "The 2026 public holiday schedule has not been entered yet: from 1 January 2026, Monday to Friday are "
        "counted as working days for now (public holiday schedule not yet confirmed)",
        "Reply due: Monday 12 January 2026 (public holiday schedule not yet confirmed)",
    ]


@pytest.mark.db
@pytest.mark.django_db
def test_the_english_case_page_explains_its_due_date_word_for_word() -> None:
    # as test_cases_desk.test_the_case_page_explains_its_due_date_word_for_word: received 20 January 2025,
    # correction asked 22 January (due by 5 February: 1/21–1/24, Sunday 1/26 worked, 1/27, 2/5) and received
    # 6 February, so the count restarts; 2/7 1, Saturday 2/8 worked 2, 2/10 3 (the letter's day counts),
    # 2/11–2/14 paused, 2/17–3/14 4–23, 3/17–4/3 24–37, 4/4–4/6 Qingming off, 4/7 38, 4/8 39, 4/9 40.
    office = agency("AAA", "某县教育局")
    alice = staff("alice", office, Role.HANDLER)
    head = staff("head", office, Role.APPROVER)
    case = paused_case(office, alice, head)
    client = logged_in(alice)
    page = client.get(f"/desk/{case.pk}/", headers={"accept-language": "en"}).content.decode()
    assert "<h2>Reply due: 9 April 2025" in page
    derivation_html = page.split('<ol class="derivation">')[1].split("</ol>")[0]
    assert [li.split("</li>")[0] for li in derivation_html.split("<li>")[1:]] == [
        "Request received on 20 January 2025 (Article 31); counting starts the next day",
        "Correction requested from the applicant in a single notice on 22 January 2025 (Article 30: within 7 "
        "working days of receiving the request, that is by 5 February 2025)",
        "Corrected request received on 6 February 2025; the reply period starts again from that day, counting "
        "from the next day (Article 30)",
        "Under Article 33(2) the reply is due within 20 working days",
        "Saturday 8 February 2025 is a make-up working day, counted",
        "Consultation letter sent to a third party on 10 February 2025; views received on 14 February; working "
        "days not counted: 4 (Articles 32 and 33(3))",
        "Extension approved on 20 February 2025 by the head of the disclosure office and notified to the "
        "applicant (Article 33(2)); working days added: 20, 40 working days in all",
        "Qingming Festival: 4 April 2025 to 6 April off, not counted",
        "Reply due: Wednesday 9 April 2025",
    ]
