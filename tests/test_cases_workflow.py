"""The request workflow: legal transitions, refusals with reasons, the audit log, numbering, year end."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import Role
from gongkai.cases import clock, workflow
from gongkai.cases.models import Case, CaseEvent, State
from gongkai.cases.outcomes import DECISION_OUTCOMES
from gongkai.cases.workflow import WorkflowError
from gongkai.cases.yearend import build_report
from gongkai.report.formats import APPLICANT_COLUMNS
from gongkai.report.rules import evaluate
from tests.casekit import agency, request, staff

pytestmark = [pytest.mark.db, pytest.mark.django_db]
T3 = "t3_requests"


@pytest.fixture
def office():
    a = agency("DYX", "大英县人民政府办公室")
    return a, staff("clerk", a, Role.HANDLER), staff("head", a, Role.APPROVER)


def test_tracking_numbers_per_agency_and_year_never_repeat(office) -> None:
    a, clerk, _ = office
    other = agency("SNS", "遂宁市某局")
    other_clerk = staff("other", other, Role.REGISTRAR)
    numbers = [request(a, clerk, date(2025, 3, 3), n=i).tracking_number for i in range(3)]
    numbers.append(request(a, clerk, date(2026, 1, 5), n=9).tracking_number)
    numbers.append(request(other, other_clerk, date(2025, 3, 3), n=5).tracking_number)
    assert numbers == ["DYX-2025-00001", "DYX-2025-00002", "DYX-2025-00003", "DYX-2026-00001", "SNS-2025-00001"]


def test_in_person_receipt_is_the_day_of_submission_and_letters_wait_for_confirmation(office) -> None:
    a, clerk, _ = office
    case = request(a, clerk, date(2025, 1, 20))
    assert (case.state, case.received_on) == (State.IN_PROGRESS, date(2025, 1, 20))
    letter = request(a, clerk, date(2025, 1, 20), n=2, channel="ordinary_letter")
    assert (letter.state, letter.received_on) == (State.AWAITING_CONFIRMATION, None)
    with pytest.raises(WorkflowError, match="当前状态为“待确认收到”，不能答复"):
        workflow.decide(letter, clerk, "disclosed", date(2025, 1, 22))
    workflow.confirm_receipt(letter, clerk, date(2025, 1, 21))
    assert (letter.state, letter.received_on) == (State.IN_PROGRESS, date(2025, 1, 21))
    with pytest.raises(WorkflowError, match="签收之日"):
        request(a, clerk, date(2025, 1, 20), n=3, channel="signed_post")


def test_correction_restarts_the_clock_and_lapses_into_other_handling(office) -> None:
    a, clerk, _ = office
    case = request(a, clerk, date(2025, 3, 3))  # Monday
    # 20 working days after Monday 3 March 2025 (no holiday in between): Monday 31 March
    assert clock.answer_due(case).date == date(2025, 3, 31)
    workflow.request_correction(case, clerk, date(2025, 3, 5), "请写明文件名称或文号", date(2025, 3, 19))
    assert case.state == State.AWAITING_CORRECTION
    assert clock.answer_due(case).date is None
    with pytest.raises(WorkflowError, match="只能一次性告知"):
        workflow.request_correction(case, clerk, date(2025, 3, 6), "再补", date(2025, 3, 20))
    workflow.receive_correction(case, clerk, date(2025, 3, 10))
    # restart: 20 working days after Monday 10 March.  清明 4–6 April 2025 is Fri–Sun, so Friday
    # 4 April is no working day: 11–14 (4), 17–21 (9), 24–28 (14), 31 Mar–3 Apr (18), 7 (19), 8 Apr (20)
    assert clock.answer_due(case).date == date(2025, 4, 8)

    lapsing = request(a, clerk, date(2025, 3, 3), n=2)
    workflow.request_correction(lapsing, clerk, date(2025, 3, 4), "请说明所需信息", date(2025, 3, 18))
    with pytest.raises(WorkflowError, match="期限届满之后"):
        workflow.correction_lapsed(lapsing, clerk, date(2025, 3, 18))
    workflow.correction_lapsed(lapsing, clerk, date(2025, 3, 19))
    assert (lapsing.state, lapsing.outcome) == (State.CLOSED, "other_no_correction")


def test_extension_needs_the_head_once_and_at_most_20_days(office) -> None:
    a, clerk, head = office
    case = request(a, clerk, date(2025, 3, 3))
    with pytest.raises(WorkflowError, match="审核人"):
        workflow.extend(case, clerk, 20, date(2025, 3, 20), "需要调取档案")
    with pytest.raises(WorkflowError, match="最长不得超过20个工作日"):
        workflow.extend(case, head, 21, date(2025, 3, 20), "需要调取档案")
    workflow.extend(case, head, 15, date(2025, 3, 20), "需要调取档案")
    # 35 working days after 3 March 2025: 31 March is the 20th; + 15 (4 April is 清明) → 22 April
    assert clock.answer_due(case).date == date(2025, 4, 22)
    with pytest.raises(WorkflowError, match="只能延长一次"):
        workflow.extend(case, head, 5, date(2025, 3, 21), "再延")


def test_decision_needs_grounds_and_an_allowed_outcome(office) -> None:
    a, clerk, _ = office
    case = request(a, clerk, date(2025, 3, 3))
    with pytest.raises(WorkflowError, match="须说明理由"):
        workflow.decide(case, clerk, "withheld_third_party", date(2025, 3, 10))
    with pytest.raises(WorkflowError, match="由“逾期未补正”或“逾期未缴费”操作记录"):
        workflow.decide(case, clerk, "other_no_correction", date(2025, 3, 10))
    with pytest.raises(WorkflowError, match="只适用于已告知补正并收到补正"):
        workflow.decide(case, clerk, "unavailable_unclear_after_correction", date(2025, 3, 10), "仍不明确")
    with pytest.raises(WorkflowError, match="早于收到申请之日"):
        workflow.decide(case, clerk, "disclosed", date(2025, 3, 1))
    workflow.decide(case, clerk, "withheld_third_party", date(2025, 3, 10), "涉及商业秘密，第三方不同意公开")
    with pytest.raises(WorkflowError, match="当前状态为“已办结”"):
        workflow.decide(case, clerk, "disclosed", date(2025, 3, 11))


def test_every_change_is_logged_with_actor_and_states(office) -> None:
    a, clerk, _ = office
    case = request(a, clerk, date(2025, 3, 3))
    workflow.start_consultation(case, clerk, "third_party", "某公司", date(2025, 3, 5))
    consultation = case.consultations.get()
    workflow.consultation_reply(case, clerk, consultation, date(2025, 3, 12), "不同意公开")
    workflow.decide(case, clerk, "withheld_third_party", date(2025, 3, 20), "第三方不同意公开且理由合理")
    events = list(CaseEvent.objects.filter(case=case).values_list("action", "actor__username", "state_before",
                                                                   "state_after"))
    assert events == [
        ("register", "clerk", "", "in_progress"),
        ("start_consultation", "clerk", "in_progress", "consulting"),
        ("consultation_reply", "clerk", "consulting", "in_progress"),
        ("decide", "clerk", "in_progress", "closed"),
    ]
    event = CaseEvent.objects.filter(case=case).first()
    event.action = "tampered"
    with pytest.raises(Exception, match="append-only"):
        event.save()


def test_a_refused_action_changes_nothing(office) -> None:
    a, clerk, _ = office
    case = request(a, clerk, date(2025, 3, 3))
    before = CaseEvent.objects.count()
    with pytest.raises(WorkflowError):
        workflow.fee_paid(case, clerk, date(2025, 3, 4))
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    assert CaseEvent.objects.count() == before


def test_fee_notice_pauses_and_unpaid_fee_closes(office) -> None:
    a, clerk, _ = office
    case = request(a, clerk, date(2025, 3, 3))
    workflow.send_fee_notice(case, clerk, Decimal("1100.00"), "本月第11至21件，每件100元", date(2025, 3, 5))
    # 20 working days after Wednesday 5 March 2025: Wednesday 2 April
    with pytest.raises(WorkflowError, match="缴费期限到2025年04月02日"):
        workflow.fee_lapsed(case, clerk, date(2025, 4, 2))
    workflow.fee_lapsed(case, clerk, date(2025, 4, 3))
    assert (case.state, case.outcome) == (State.CLOSED, "other_fee_unpaid")


def test_possible_duplicate_is_flagged_not_decided(office) -> None:
    a, clerk, _ = office
    first = request(a, clerk, date(2025, 3, 3), n=1)
    again = request(a, clerk, date(2025, 4, 1), n=1)
    other = request(a, clerk, date(2025, 4, 1), n=2)
    assert again.possible_duplicate_of == first
    assert other.possible_duplicate_of is None
    assert again.state == State.IN_PROGRESS


def test_the_seeds_requests_give_the_totals_the_published_report_got_wrong(office) -> None:
    """大英县 2020: 8 requests from natural persons — 4 disclosed, 2 not held, 2 still unclear after
    补正 — and one review decided 纠正.  The published 第三部分 printed （七）总计 0 and the review
    总计 0; built from the cases, the totals are 8 and 1."""
    a, clerk, _ = office
    days = [date(2020, 3, 2), date(2020, 4, 7), date(2020, 5, 11), date(2020, 6, 1), date(2020, 7, 6),
            date(2020, 8, 3), date(2020, 9, 7), date(2020, 11, 2)]
    cases = [request(a, clerk, d, n=i) for i, d in enumerate(days)]
    for c in cases[:4]:
        workflow.decide(c, clerk, "disclosed", c.received_on + timedelta(days=7))
    for c in cases[4:6]:
        workflow.decide(c, clerk, "unavailable_not_held", c.received_on + timedelta(days=7), "经检索本机关未制作或获取")
    for c in cases[6:]:
        workflow.request_correction(c, clerk, c.received_on + timedelta(days=1), "请明确所需信息", c.received_on
                                    + timedelta(days=15))
        workflow.receive_correction(c, clerk, c.received_on + timedelta(days=8))
        workflow.decide(c, clerk, "unavailable_unclear_after_correction", c.received_on + timedelta(days=14),
                        "补正后仍无法确定所需信息")
    appeal = workflow.record_appeal(a, clerk, "review", date(2020, 9, 1), case=cases[4])
    workflow.decide_appeal(appeal, clerk, "corrected", date(2020, 11, 20))

    report = build_report([a.pk], 2020, a.name)
    assert report.format == "2019"
    c = report.cells
    assert c[(T3, "new_requests", "natural_person")] == 8
    assert c[(T3, "disclosed", "natural_person")] == 4
    assert c[(T3, "unavailable_not_held", "natural_person")] == 2
    assert c[(T3, "unavailable_unclear_after_correction", "natural_person")] == 2
    assert c[(T3, "results_total", "natural_person")] == 8
    assert c[(T3, "results_total", "total")] == 8
    assert c[(T3, "carried_forward", "total")] == 0
    assert c[("t4_review_litigation", "cases", "review_corrected")] == 1
    assert c[("t4_review_litigation", "cases", "review_total")] == 1
    assert [v for v in evaluate(report) if v.severity == "error"] == []


# -- property: any legal history gives a report that adds up ---------------------------------------

class _Rollback(Exception):
    pass


_STEPS = st.lists(st.tuples(
    st.sampled_from([c.key for c in APPLICANT_COLUMNS if c.key != "total"]),
    st.integers(0, 400),  # receipt: days after 1 Nov 2024
    st.sampled_from(["open", "decide", "spot", "correct_then_decide", "correct_lapse", "correct_open",
                     "consult_then_decide", "extend_then_decide", "fee_lapse", "fee_paid_decide"]),
    st.sampled_from(DECISION_OUTCOMES),
    st.integers(1, 60),  # days the handling takes
), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(plan=_STEPS)
def test_random_legal_histories_always_give_a_consistent_report(office, plan) -> None:
    a, clerk, head = office
    try:
        with transaction.atomic():
            for i, (kind, offset, path, outcome, took) in enumerate(plan):
                received = date(2024, 11, 1) + timedelta(days=offset)
                case = request(a, clerk, received, applicant_type=kind, n=1000 + i)
                _play(case, clerk, head, path, outcome, took)
            for year in (2024, 2025):
                report = build_report([a.pk], year)
                errors = [v for v in evaluate(report) if v.severity == "error"]
                assert errors == [], [e.detail for e in errors]
                for col in APPLICANT_COLUMNS:
                    c = report.cells
                    assert (c[(T3, "new_requests", col.key)] + c[(T3, "carried_over", col.key)]
                            == c[(T3, "results_total", col.key)] + c[(T3, "carried_forward", col.key)])
            assert build_report([a.pk], 2024).cells[(T3, "carried_forward", "total")] == \
                build_report([a.pk], 2025).cells[(T3, "carried_over", "total")]
            raise _Rollback
    except _Rollback:
        pass


def _grounds(outcome: str) -> str:
    return "依据条例相关规定" if outcome != "disclosed" else ""


def _play(case: Case, clerk, head, path: str, outcome: str, took: int) -> None:
    r = case.received_on
    later = r + timedelta(days=took)
    if outcome == "unavailable_unclear_after_correction" and path in ("decide", "spot", "consult_then_decide",
                                                                      "extend_then_decide", "fee_paid_decide"):
        outcome = "unavailable_not_held"
    if path == "decide":
        workflow.decide(case, clerk, outcome, later, _grounds(outcome))
    elif path == "spot":
        workflow.answer_on_the_spot(case, clerk, outcome, _grounds(outcome))
    elif path.startswith("correct"):
        workflow.request_correction(case, clerk, r + timedelta(days=1), "请补正", r + timedelta(days=11))
        if path == "correct_lapse":
            workflow.correction_lapsed(case, clerk, r + timedelta(days=12))
        elif path == "correct_then_decide":
            workflow.receive_correction(case, clerk, r + timedelta(days=5))
            workflow.decide(case, clerk, outcome, later + timedelta(days=5), _grounds(outcome))
    elif path == "consult_then_decide":
        workflow.start_consultation(case, clerk, "other_agency", "某局", r + timedelta(days=1))
        workflow.consultation_reply(case, clerk, case.consultations.get(), r + timedelta(days=3))
        workflow.decide(case, clerk, outcome, later + timedelta(days=3), _grounds(outcome))
    elif path == "extend_then_decide":
        workflow.extend(case, head, 10, r + timedelta(days=2), "情况复杂")
        workflow.decide(case, clerk, outcome, later, _grounds(outcome))
    elif path.startswith("fee"):
        workflow.send_fee_notice(case, clerk, Decimal("200"), "按件计收", r + timedelta(days=1))
        if path == "fee_lapse":
            workflow.fee_lapsed(case, clerk, r + timedelta(days=45))
        else:
            workflow.fee_paid(case, clerk, r + timedelta(days=4))
            workflow.decide(case, clerk, outcome, later + timedelta(days=4), _grounds(outcome))


def test_a_reasonable_period_under_article_35_replaces_the_due_date(office) -> None:
    a, clerk, head = office
    case = request(a, clerk, date(2025, 3, 3))  # due 31 March 2025 by 第三十三条
    with pytest.raises(WorkflowError, match="审核人"):
        workflow.set_reasonable_period(case, clerk, date(2025, 5, 30), date(2025, 3, 10), "一个月内申请120件")
    with pytest.raises(WorkflowError, match="应晚于依第三十三条计算的答复期限（2025年03月31日）"):
        workflow.set_reasonable_period(case, head, date(2025, 3, 28), date(2025, 3, 10), "一个月内申请120件")
    workflow.set_reasonable_period(case, head, date(2025, 5, 30), date(2025, 3, 10), "一个月内申请120件")
    due = clock.answer_due(case)
    assert (due.date, due.statutory) == (date(2025, 5, 30), date(2025, 3, 31))
    assert due.lines()[-3:] == ["依第三十三条计算的答复期限为2025年3月31日",
                                "2025年3月10日 依第三十五条确定延迟答复的合理期限至2025年5月30日，并告知申请人",
                                "答复期限：2025年5月30日（星期五）"]
    assert case.events.filter(action="set_reasonable_period").exists()
