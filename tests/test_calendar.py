"""Working days and the answer clock (gongkai.calendar). Pure Python: run with ``-p no:django``.

Every expected date below was counted by hand from the State Council notices, as the comments
show; the count starts on the day AFTER the start date (regulation-deadlines.md §8). "wd" is a
counted working day, "off" a day not counted.

Holiday data used (as in chinesecalendar 1.11, checked against its constants):

2025  春节 1月28日(二)–2月4日(二) off; 调休上班 1月26日(日), 2月8日(六)
      清明 4月4日(五)–4月6日(日); 劳动节 5月1日–5日, 调休上班 4月27日(日)
      国庆节、中秋 10月1日(三)–10月8日(三) off; 调休上班 9月28日(日), 10月11日(六)
2026  元旦 1月1日(四)–1月3日(六), 调休上班 1月4日(日)
      春节 2月15日(日)–2月23日(一), 调休上班 2月14日(六), 2月28日(六)
      清明 4月4日(六)–4月6日(一); 劳动节 5月1日(五)–5月5日(二), 调休上班 5月9日(六)
      端午 6月19日(五)–6月21日(日); 中秋 9月25日(五)–9月27日(日)
      国庆节 10月1日(四)–10月7日(三), 调休上班 9月20日(日), 10月10日(六)
2027  not in chinesecalendar 1.11: the tests pin ``builtin_until=2026`` so that a later release of
      the package does not change them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.calendar import (
    CC_FIRST_YEAR,
    CC_LAST_YEAR,
    CalendarUnknownError,
    Correction,
    DeadlineError,
    Extension,
    Pause,
    PauseKind,
    ReasonablePeriod,
    ScheduleError,
    WorkCalendar,
    answer_due,
    consultation_reply_due,
    correction_notice_due,
    fee_payment_due,
    parse_schedule,
    proactive_publication_due,
)
from gongkai.cli import main

D = date
CAL = WorkCalendar(builtin_until=2026)

# A 2027-style schedule for the tests. INVENTED (the real 2027 notice is not out): the dates are
# plausible (春节 2027 is 2月6日) but only the format matters here.
SCHEDULE_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（测试用，虚构）
year 2027
notice 国务院办公厅关于2027年部分节假日安排的通知
holiday 2027-01-01..2027-01-03 元旦
holiday 2027-02-05..2027-02-13 春节
workday 2027-01-31 春节调休      # 星期日
workday 2027-02-20 春节调休      # 星期六
"""


def cal_2027() -> WorkCalendar:
    return WorkCalendar({2027: parse_schedule(SCHEDULE_2027, "2027.txt")}, builtin_until=2026)


# -- what chinesecalendar knows -----------------------------------------------------------------


def test_chinesecalendar_range_and_unknown_year_behaviour():
    assert CC_FIRST_YEAR == 2004
    assert CC_LAST_YEAR >= 2026
    with pytest.raises(NotImplementedError):  # the package's own error for a year it lacks
        chinese_calendar.is_workday(D(2099, 1, 5))
    assert CAL.known_years() == list(range(2004, 2027))


def test_agrees_with_chinesecalendar_on_every_day_it_knows():
    cal = WorkCalendar()
    d = D(CC_FIRST_YEAR, 1, 1)
    while d.year <= CC_LAST_YEAR:
        assert cal.is_workday(d) == chinese_calendar.is_workday(d), d
        d += timedelta(days=1)


def test_day_kinds_and_chinese_names():
    assert CAL.day(D(2025, 1, 26)).kind == "makeup" and CAL.day(D(2025, 1, 26)).name == "春节"
    assert CAL.day(D(2025, 1, 28)).kind == "holiday" and not CAL.is_workday(D(2025, 1, 28))
    assert CAL.day(D(2025, 2, 1)).kind == "holiday"  # a Saturday inside the span
    assert CAL.day(D(2025, 2, 9)).kind == "weekend"
    assert CAL.day(D(2025, 10, 6)).name == "中秋"
    assert CAL.is_workday(D(2025, 2, 8)) and CAL.is_workday(D(2025, 10, 11))


# -- add_workdays across the holidays, counted by hand ------------------------------------------


def test_spring_festival_2025():
    # 2025-01-20 (Mon). 1/21 1, 1/22 2, 1/23 3, 1/24 4, 1/25 Sat off, 1/26 Sun 调休 5, 1/27 6,
    # 1/28–2/4 春节 off, 2/5 7, 2/6 8, 2/7 9, 2/8 Sat 调休 10, 2/9 Sun off, 2/10–2/14 11–15,
    # 2/17–2/21 16–20.
    assert CAL.add_workdays(D(2025, 1, 20), 20) == D(2025, 2, 21)
    assert CAL.workdays_between(D(2025, 1, 20), D(2025, 2, 21)) == 20


def test_national_day_2025():
    # 2025-09-26 (Fri). 9/27 Sat off, 9/28 Sun 调休 1, 9/29 2, 9/30 3, 10/1–10/8 off, 10/9 4,
    # 10/10 5, 10/11 Sat 调休 6, 10/12 Sun off, 10/13–17 7–11, 10/20–24 12–16, 10/27–30 17–20.
    assert CAL.add_workdays(D(2025, 9, 26), 20) == D(2025, 10, 30)
    # the fee period has the same shape: 20 wd from the day after the notice is received
    assert fee_payment_due(D(2025, 9, 26), calendar=CAL) == D(2025, 10, 30)


def test_spring_festival_2026():
    # 2026-02-11 (Wed). 2/12 1, 2/13 2, 2/14 Sat 调休 3, 2/15–2/23 off, 2/24 4, 2/25 5, 2/26 6,
    # 2/27 7, 2/28 Sat 调休 8, 3/1 Sun off, 3/2–3/6 9–13, 3/9–3/13 14–18, 3/16 19, 3/17 20.
    assert CAL.add_workdays(D(2026, 2, 11), 20) == D(2026, 3, 17)


def test_mid_autumn_and_national_day_2026():
    # 2026-09-18 (Fri). 9/19 Sat off, 9/20 Sun 调休 1, 9/21–9/24 2–5, 9/25–9/27 中秋 off,
    # 9/28 6, 9/29 7, 9/30 8, 10/1–10/7 off, 10/8 9, 10/9 10, 10/10 Sat 调休 11, 10/11 off,
    # 10/12–16 12–16, 10/19–22 17–20.
    assert CAL.add_workdays(D(2026, 9, 18), 20) == D(2026, 10, 22)


def test_new_year_2026_correction_notice():
    # 第三十条, 7 wd from 2025-12-31 (Wed): 1/1–1/3 元旦 off, 1/4 Sun 调休 1, 1/5–1/9 2–6, 1/12 7.
    assert correction_notice_due(D(2025, 12, 31), calendar=CAL) == D(2026, 1, 12)


def test_labour_day_2026_proactive_publication():
    # 第二十六条, 20 wd from 2026-04-29 (Wed): 4/30 1, 5/1–5/5 off, 5/6 2, 5/7 3, 5/8 4,
    # 5/9 Sat 调休 5, 5/11–15 6–10, 5/18–22 11–15, 5/25–29 16–20.
    assert proactive_publication_due(D(2026, 4, 29), calendar=CAL) == D(2026, 5, 29)


def test_start_on_a_holiday_still_counts_from_the_next_day():
    # 2025-02-01 (Sat, inside 春节): 2/2–2/4 off, 2/5 is the first working day.
    assert CAL.add_workdays(D(2025, 2, 1), 1) == D(2025, 2, 5)
    # 第三十二条, 15 wd: 2/5 1, 2/6 2, 2/7 3, 2/8 Sat 调休 4, 2/10–14 5–9, 2/17–21 10–14, 2/24 15.
    assert consultation_reply_due(D(2025, 2, 1), calendar=CAL) == D(2025, 2, 24)


def test_zero_and_negative():
    assert CAL.add_workdays(D(2025, 2, 1), 0) == D(2025, 2, 1)
    with pytest.raises(ValueError):
        CAL.add_workdays(D(2025, 2, 1), -1)
    assert CAL.workdays_between(D(2025, 2, 21), D(2025, 1, 20)) == -20


# -- unknown years ------------------------------------------------------------------------------

UNKNOWN_2027 = ("2027年的节假日安排尚未录入：请在国务院办公厅发布通知后用 gongkai calendar import 导入"
                " / the 2027 holiday schedule is not known yet")


def test_unknown_year_raises_the_clear_error():
    with pytest.raises(CalendarUnknownError) as info:
        CAL.add_workdays(D(2026, 12, 15), 20)
    assert str(info.value) == UNKNOWN_2027
    assert info.value.year == 2027 and isinstance(info.value, ValueError)
    with pytest.raises(CalendarUnknownError, match="2099年"):
        WorkCalendar().is_workday(D(2099, 6, 1))  # whatever chinesecalendar release is installed


def test_unknown_year_provisional_counts_monday_to_friday():
    # 2026-12-15 (Tue). 12/16–18 1–3, 12/21–25 4–8, 12/28–31 9–12, then 2027 unknown, Mon–Fri:
    # 1/1 Fri 13, 1/4–1/8 14–18, 1/11 19, 1/12 20.
    assert CAL.provisional_add_workdays(D(2026, 12, 15), 20) == (D(2027, 1, 12), True)
    # a count that stays in known years is not provisional
    assert CAL.provisional_add_workdays(D(2025, 1, 20), 20) == (D(2025, 2, 21), False)
    # 2027-01-27 (Wed), Mon–Fri only: 1/28 1, 1/29 2, 2/1–2/5 3–7, 2/8–12 8–12, 2/15–19 13–17,
    # 2/22 18, 2/23 19, 2/24 20.
    assert CAL.provisional_add_workdays(D(2027, 1, 27), 20) == (D(2027, 2, 24), True)


def test_after_importing_a_2027_schedule_the_real_date():
    cal = cal_2027()
    assert 2027 in cal.known_years()
    # 2026-12-15: 12 wd to 12/31 as above; 1/1–1/3 元旦 off, 1/4–1/8 13–17, 1/11 18, 1/12 19, 1/13 20.
    assert cal.add_workdays(D(2026, 12, 15), 20) == D(2027, 1, 13)
    # 2027-01-27 (Wed): 1/28 1, 1/29 2, 1/31 Sun 调休 3, 2/1–2/4 4–7, 2/5–2/13 春节 off, 2/14 Sun off,
    # 2/15–19 8–12, 2/20 Sat 调休 13, 2/22–26 14–18, 3/1 19, 3/2 20.
    assert cal.add_workdays(D(2027, 1, 27), 20) == D(2027, 3, 2)
    assert cal.provisional_add_workdays(D(2027, 1, 27), 20) == (D(2027, 3, 2), False)


def test_an_imported_schedule_replaces_chinesecalendar_for_its_year():
    only_new_year = parse_schedule("year 2025\nholiday 2025-01-01 元旦\n", "2025.txt")
    cal = WorkCalendar({2025: only_new_year})
    assert cal.is_workday(D(2025, 1, 28))  # 春节 not in this (deliberately partial) schedule
    assert not cal.is_workday(D(2025, 1, 26))  # nor its 调休 Sunday
    assert not cal.is_workday(D(2025, 1, 1))
    assert cal.is_workday(D(2024, 12, 30))  # other years untouched


def test_a_neighbour_years_listed_date_applies():
    text = "year 2027\nholiday 2026-12-31..2027-01-01 元旦\n"
    cal = WorkCalendar({2027: parse_schedule(text, "x")}, builtin_until=2026)
    assert not cal.is_workday(D(2026, 12, 31))  # listed by the 2027 notice
    assert cal.is_workday(D(2026, 12, 30))  # the rest of 2026 from chinesecalendar


def test_extra_key_must_match_the_schedule_year():
    with pytest.raises(ValueError):
        WorkCalendar({2028: parse_schedule(SCHEDULE_2027, "x")})


# -- the answer clock ---------------------------------------------------------------------------


def test_answer_due_plain():
    due = answer_due(D(2025, 1, 20), calendar=CAL)  # as test_spring_festival_2025
    assert (due.date, due.provisional, due.period, due.paused) == (D(2025, 2, 21), False, 20, 0)
    assert due.explain() == "\n".join([
        "2025年1月20日 收到申请（第三十一条），次日起算",
        "依第三十三条第二款，应在20个工作日内答复",
        "2025年1月26日（星期日）调休上班，计入",
        "2025年1月28日至2月4日 春节放假，不计",
        "2025年2月8日（星期六）调休上班，计入",
        "答复期限：2025年2月21日（星期五）",
    ])


CORRECTION = Correction(requested_on=D(2025, 1, 22), received_on=D(2025, 2, 6))
THIRD_PARTY = Pause(PauseKind.THIRD_PARTY, sent_on=D(2025, 2, 10), ended_on=D(2025, 2, 14))


def test_correction_and_consultation():
    # Receipt 1/20; 补正 asked 1/22, corrected request received 2/6 (Thu): the count restarts.
    # 2/7 1, 2/8 Sat 调休 2, 2/10 3 (the sending day counts), 2/11–2/14 paused,
    # 2/17–21 4–8, 2/24–28 9–13, 3/3–3/7 14–18, 3/10 19, 3/11 20.
    due = answer_due(D(2025, 1, 20), correction=CORRECTION, pauses=[THIRD_PARTY], calendar=CAL)
    assert (due.date, due.clock_start, due.paused) == (D(2025, 3, 11), D(2025, 2, 6), 4)


def test_correction_consultation_and_extension_explained_word_for_word():
    # As above, then 20 more: 3/12 21, 3/13 22, 3/14 23, 3/17–21 24–28, 3/24–28 29–33,
    # 3/31 34, 4/1 35, 4/2 36, 4/3 37, 4/4–4/6 清明 off, 4/7 38, 4/8 39, 4/9 40.
    due = answer_due(D(2025, 1, 20), correction=CORRECTION, pauses=[THIRD_PARTY],
                     extensions=[Extension(20)], calendar=CAL)
    assert due.date == D(2025, 4, 9)
    assert (due.period, due.paused, due.provisional) == (40, 4, False)
    assert due.lines() == [
        "2025年1月20日 收到申请（第三十一条），次日起算",
        # 7 wd after 1/20: 1/21–1/24 1–4, 1/26 Sun 调休 5, 1/27 6, 2/5 7
        "2025年1月22日 一次性告知申请人补正（第三十条，应在收到申请之日起7个工作日内，即不晚于2025年2月5日）",
        "2025年2月6日 收到补正后的申请，答复期限自该日重新计算，次日起算（第三十条）",
        "依第三十三条第二款，应在20个工作日内答复",
        "经政府信息公开工作机构负责人同意并告知申请人，延长20个工作日（第三十三条第二款），共计40个工作日",
        "2025年2月8日（星期六）调休上班，计入",
        "2025年2月10日 向第三方发出征求意见函，至2月14日 收到意见，期间4个工作日不计入（第三十二条、第三十三条第三款）",
        "2025年4月4日至4月6日 清明放假，不计",
        "答复期限：2025年4月9日（星期三）",
    ]
    assert due.explain() == "\n".join(due.lines())


def test_correction_not_yet_received_has_no_due_date():
    due = answer_due(D(2025, 1, 20), correction=Correction(D(2025, 1, 22)), calendar=CAL)
    assert due.date is None
    assert due.lines()[-2:] == [
        "尚未收到补正：答复期限自收到补正之日起重新计算（第三十条）",
        "答复期限：待收到补正后确定",
    ]


def test_late_correction_notice_is_flagged():
    due = answer_due(D(2025, 1, 20), correction=Correction(D(2025, 2, 6), D(2025, 2, 7)), calendar=CAL)
    assert "注意：补正告知晚于第三十条规定的期限（不晚于2025年2月5日）" in due.lines()


def test_consultation_without_reply_pauses_until_the_period_ends():
    # 1/21–1/24 1–4, 1/26 5, 1/27 6, 2/5–2/7 7–9, 2/8 10, 2/10 11 (sent); no reply: the 15 wd
    # reply period after 2/10 ends 3/3 (2/11–14 4, 2/17–21 5, 2/24–28 5, 3/3 1), paused;
    # 3/4–3/7 12–15, 3/10–3/14 16–20.
    pause = Pause("third_party", D(2025, 2, 10))
    due = answer_due(D(2025, 1, 20), pauses=[pause], calendar=CAL)
    assert (due.date, due.paused) == (D(2025, 3, 14), 15)
    assert ("2025年2月10日 向第三方发出征求意见函，未记录收到意见，按15个工作日意见期届满（3月3日）计，"
            "期间15个工作日不计入（第三十二条、第三十三条第三款）") in due.lines()
    # a reply after the period is capped at its end
    late = answer_due(D(2025, 1, 20), pauses=[Pause("third_party", D(2025, 2, 10), D(2025, 3, 20))], calendar=CAL)
    assert late.date == D(2025, 3, 14)


def test_fee_notice_pause():
    # 2/10 sent (wd 11), paid 2/12: 2/11, 2/12 paused; 2/13 12, 2/14 13, 2/17–21 14–18, 2/24 19, 2/25 20.
    due = answer_due(D(2025, 1, 20), pauses=[Pause("fee", D(2025, 2, 10), D(2025, 2, 12))], calendar=CAL)
    assert due.date == D(2025, 2, 25)
    assert "2025年2月10日 发出收费通知，至2月12日 缴纳费用，期间2个工作日不计入（国办函〔2020〕109号）" in due.lines()


def test_overlapping_pauses_remove_a_day_once():
    # third party (2/10, 2/14] and other agency (2/12, 2/18]: paused 2/11–2/14, 2/17, 2/18 = 6 wd.
    # 2/10 11, 2/19 12, 2/20 13, 2/21 14, 2/24–28 15–19, 3/3 20.
    agency = Pause(PauseKind.AGENCY, D(2025, 2, 12), D(2025, 2, 18))
    due = answer_due(D(2025, 1, 20), pauses=[agency, THIRD_PARTY], calendar=CAL)
    assert (due.date, due.paused) == (D(2025, 3, 3), 6)
    lines = due.lines()
    assert any("向第三方发出征求意见函，至2月14日 收到意见，期间4个工作日不计入" in line for line in lines)
    assert any("向其他行政机关发出征求意见函，至2月18日 收到意见，期间2个工作日不计入（第三十四条" in line
               for line in lines)


def test_a_pause_sent_on_the_due_date_changes_nothing():
    due = answer_due(D(2025, 1, 20), pauses=[Pause("agency", D(2025, 2, 21), D(2025, 3, 1))], calendar=CAL)
    assert due.date == D(2025, 2, 21)
    assert any(line.endswith("不影响答复期限（第三十四条、第三十三条第三款）") for line in due.lines())


def test_extension_limits():
    # 20 wd → 2/21; +10: 2/24–28 1–5, 3/3–3/7 6–10.
    assert answer_due(D(2025, 1, 20), extensions=[Extension(10)], calendar=CAL).date == D(2025, 3, 7)
    with pytest.raises(DeadlineError, match="只能延长一次"):
        answer_due(D(2025, 1, 20), extensions=[Extension(10), Extension(10)], calendar=CAL)
    with pytest.raises(DeadlineError, match="最长不得超过20个工作日"):
        answer_due(D(2025, 1, 20), extensions=[Extension(21)], calendar=CAL)
    with pytest.raises(DeadlineError):
        answer_due(D(2025, 1, 20), extensions=[Extension(0)], calendar=CAL)


def test_late_extension_is_flagged_and_dated():
    due = answer_due(D(2025, 1, 20), extensions=[Extension(20, approved_on=D(2025, 2, 24))], calendar=CAL)
    assert ("注意：延长决定晚于原答复期限（2025年2月21日），应在原期限内决定并告知申请人（第三十三条第二款）"
            in due.lines())


def test_reasonable_period_replaces_the_date():
    due = answer_due(D(2025, 1, 20), reasonable_period=ReasonablePeriod(D(2025, 6, 30), D(2025, 2, 10)),
                     calendar=CAL)
    assert (due.date, due.statutory, due.provisional) == (D(2025, 6, 30), D(2025, 2, 21), False)
    assert due.lines()[-3:] == [
        "依第三十三条计算的答复期限为2025年2月21日",
        "2025年2月10日 依第三十五条确定延迟答复的合理期限至2025年6月30日，并告知申请人",
        "答复期限：2025年6月30日（星期一）",
    ]


def test_impossible_events_are_refused():
    with pytest.raises(DeadlineError):
        answer_due(D(2025, 1, 20), correction=Correction(D(2025, 1, 19)), calendar=CAL)
    with pytest.raises(DeadlineError):
        answer_due(D(2025, 1, 20), correction=Correction(D(2025, 1, 22), D(2025, 1, 21)), calendar=CAL)
    with pytest.raises(DeadlineError):
        answer_due(D(2025, 1, 20), pauses=[Pause("third_party", D(2025, 1, 10))], calendar=CAL)
    with pytest.raises(DeadlineError):
        answer_due(D(2025, 1, 20), pauses=[Pause("third_party", D(2025, 2, 10), D(2025, 2, 9))], calendar=CAL)
    with pytest.raises(DeadlineError, match="未知的暂停类型"):
        answer_due(D(2025, 1, 20), pauses=[Pause("holiday", D(2025, 2, 10))], calendar=CAL)


def test_answer_due_in_an_unknown_year():
    with pytest.raises(CalendarUnknownError):
        answer_due(D(2026, 12, 15), calendar=CAL)
    due = answer_due(D(2026, 12, 15), calendar=CAL, provisional=True)  # as the provisional count above
    assert (due.date, due.provisional) == (D(2027, 1, 12), True)
    assert due.lines()[-2:] == [
        "2027年的节假日安排尚未录入，自2027年1月1日起暂按星期一至星期五计算（节假日安排未确认）",
        "答复期限：2027年1月12日（星期二）（节假日安排未确认）",
    ]
    assert answer_due(D(2026, 12, 15), calendar=cal_2027()).date == D(2027, 1, 13)


# -- schedule files -----------------------------------------------------------------------------


def test_parse_line_format():
    s = parse_schedule(SCHEDULE_2027, "2027.txt")
    assert s.year == 2027 and s.notice == "国务院办公厅关于2027年部分节假日安排的通知"
    assert len(s.holidays) == 3 + 9 and s.makeup_workdays == {D(2027, 1, 31), D(2027, 2, 20)}
    assert s.name_of(D(2027, 2, 7)) == "春节" and s.name_of(D(2027, 2, 20)) == "春节调休"
    assert s.name_of(D(2027, 3, 1)) is None
    assert s.source == SCHEDULE_2027


def test_chinese_keywords_and_dates_and_json_give_the_same_schedule():
    chinese = ("年份 2027\n放假 2027年1月1日至1月3日 元旦\n放假 2027/2/5~2/13 春节\n"
               "上班 2027年1月31日 春节调休\n上班 2027-2-20 春节调休\n")
    as_json = json.dumps({
        "year": 2027,
        "notice": "国务院办公厅关于2027年部分节假日安排的通知",
        "holidays": [{"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"}, "2027-02-05..2027-02-13 春节"],
        "workdays": [{"date": "2027-01-31", "name": "春节调休"}, {"date": "2027-02-20", "name": "春节调休"}],
    }, ensure_ascii=False)
    base = parse_schedule(SCHEDULE_2027, "a")
    for text in (chinese, as_json):
        other = parse_schedule(text, "b")
        assert (other.year, other.holidays, other.makeup_workdays) == (base.year, base.holidays, base.makeup_workdays)
        assert dict(other.names) == dict(base.names)


@pytest.mark.parametrize(("text", "message"), [
    ("year 2027\nholiday 2027-01-01\nholiday 2028-05-01 劳动节\n",
     "x.txt 第3行 (line 3)：2028年5月1日不在2027年内（只接受2027年的日期，以及相邻的2026年12月、2028年1月）"
     " / 2028-05-01 is outside 2027 (only 2027, December 2026 and January 2028 are accepted)"),
    ("year 2027\nholiday 2027-02-05..2027-02-13 春节\nworkday 2027-02-13\n",
     "x.txt 第3行 (line 3)：2027年2月13日同时列为放假和调休上班（另见第2行）"
     " / 2027-02-13 is listed both as holiday and as workday (see also line 2)"),
    ("year 2027\nholiday 2027-01-01\nworkday 2027-02-08 春节调休\n",
     "x.txt 第3行 (line 3)：2027年2月8日是星期一，调休上班日只能是星期六或星期日"
     " / 2027-02-08 is a Monday: a make-up workday must be a Saturday or Sunday"),
    ("year 2027\nholiday 2027-01-01\n春节放七天\n",
     "x.txt 第3行 (line 3)：无法识别“春节放七天”：每行应以 year/年份、notice/通知、holiday/放假 或 workday/上班 开头"
     " / cannot read '春节放七天': a line starts with year, notice, holiday or workday"),
])
def test_schedule_errors_name_the_line(text, message):
    with pytest.raises(ScheduleError) as info:
        parse_schedule(text, "x.txt")
    assert str(info.value) == message


@pytest.mark.parametrize(("text", "where", "zh"), [
    ("holiday 2027-01-01\n", "", "缺少年份"),
    ("year 2027\nyear 2028\nholiday 2027-01-01\n", "第2行", "年份重复声明"),
    ("year 27\n", "第1行", "年份应为四位数字"),
    ("year 2027\nholiday 2027-01-01\nholiday 2027-01-01 元旦\n", "第3行", "重复列出"),
    ("year 2027\nholiday 2027-02-13..2027-02-05\n", "第2行", "早于开始日期"),
    ("year 2027\nholiday 2027-01-01..2027-03-01\n", "第2行", "超过31天"),
    ("year 2027\nholiday 2027-02-30\n", "第2行", "不存在"),
    ("year 2027\nholiday 1月1日\n", "第2行", "无法识别的日期"),
    ("year 2027\nholiday\n", "第2行", "缺少日期"),
    ("year 2027\nworkday 2027-02-20..2027-02-21\n", "第2行", "逐日列出"),
    ("year 2027\nworkday 2027-02-20\n", "", "没有任何放假日期"),
    ('{"year": 2027,\n "holidays": [}', "第2行", "JSON 格式错误"),
    ('{"year": 2027, "holidays": [{"day": "2027-01-01"}]}', "holidays[0]", "条目只能有"),
    ('{"year": 2027, "holidays": [5]}', "holidays[0]", "条目应为日期文字或对象"),
    ('{"year": 2027, "holiday": []}', "", "无法识别的字段"),
    ('{"year": "二〇二七", "holidays": ["2027-01-01"]}', "year", "年份应为四位数字"),
])
def test_schedule_errors(text, where, zh):
    with pytest.raises(ScheduleError) as info:
        parse_schedule(text, "x.txt")
    assert zh in info.value.zh
    assert info.value.where.startswith(where)
    assert info.value.en  # every message also in English


def test_neighbouring_december_and_january_are_accepted():
    s = parse_schedule("year 2023\nholiday 2022-12-31..2023-01-02 元旦\n", "x")
    assert D(2022, 12, 31) in s.holidays
    with pytest.raises(ScheduleError, match="不在2023年内"):
        parse_schedule("year 2023\nholiday 2022-11-30\n", "x")


# -- the command line ---------------------------------------------------------------------------


@pytest.fixture
def cli(capsys, db):
    """The command line, with the test database (imported schedules live there)."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_add_workdays(cli):
    assert cli("calendar", "add-workdays", "2025-01-20", "20") == (0, "2025-02-21\n", "")
    code, out, _ = cli("calendar", "add-workdays", "2025-01-20", "20", "--explain")
    assert code == 0
    assert out.splitlines() == [
        "2025-02-21",
        "自2025年1月20日的次日起算20个工作日",
        "2025年1月26日（星期日）调休上班，计入",
        "2025年1月28日至2月4日 春节放假，不计",
        "2025年2月8日（星期六）调休上班，计入",
        "到期日：2025年2月21日（星期五）",
    ]


def test_cli_unknown_year(cli):
    # 2099-06-01 is a Monday; Mon–Fri: 6/2–5 1–4, 6/8–12 5–9, 6/15–19 10–14, 6/22–26 15–19, 6/29 20.
    code, out, err = cli("calendar", "add-workdays", "2099-06-01", "20")
    assert (code, out) == (2, "")
    assert err == ("gongkai: 2099年的节假日安排尚未录入：请在国务院办公厅发布通知后用 gongkai calendar import 导入"
                   " / the 2099 holiday schedule is not known yet\n")
    assert cli("calendar", "add-workdays", "2099-06-01", "20", "--provisional") == (
        0, "2099-06-29（节假日安排未确认）\n", "")


def test_cli_bad_input(cli):
    code, _, err = cli("calendar", "add-workdays", "2025/01/20", "20")
    assert code == 2 and "2025-01-20" in err
    code, _, err = cli("calendar", "add-workdays", "2025-01-20", "-3")
    assert code == 2 and "负数" in err


@pytest.mark.db
def test_cli_import_then_count(cli, tmp_path):
    source = tmp_path / "notice-2099.txt"
    source.write_text("year 2099\nholiday 2099-06-02..2099-06-04 测试假期\n", encoding="utf-8")
    code, out, err = cli("calendar", "import", str(source))
    assert (code, err) == (0, "")
    assert out.splitlines() == ["已导入2099年节假日安排：放假3天（其中周一至周五3天），调休上班0天",
                                "没有未办结申请的答复期限因此改变"]
    # 6/2–6/4 off now: 6/5 1, 6/8–12 2–6, 6/15–19 7–11, 6/22–26 12–16, 6/29–7/2 17–20.
    assert cli("calendar", "add-workdays", "2099-06-01", "20") == (0, "2099-07-02\n", "")
    code, _, err = cli("calendar", "import", str(source))
    assert code == 2 and "--replace" in err
    assert cli("calendar", "import", str(source), "--replace")[0] == 0


@pytest.mark.db
def test_cli_import_refuses_a_bad_file(cli, tmp_path):
    from gongkai.cases.models import CalendarYear

    source = tmp_path / "bad.txt"
    source.write_text("year 2099\nworkday 2099-06-03\n", encoding="utf-8")
    code, _, err = cli("calendar", "import", str(source))
    assert code == 2
    assert err.startswith(f"gongkai: {source} 第2行 (line 2)：2099年6月3日是星期三")
    assert not CalendarYear.objects.exists()


def test_cli_schedule_option(cli, tmp_path):
    source = tmp_path / "2099.json"
    source.write_text(json.dumps({"year": 2099, "holidays": [{"from": "2099-06-02", "to": "2099-06-04"}]}),
                      encoding="utf-8")
    assert cli("calendar", "add-workdays", "2099-06-01", "20", "--schedule", str(source)) == (0, "2099-07-02\n", "")


def test_calendar_package_has_no_django():
    folder = Path(__file__).parent.parent / "gongkai" / "calendar"
    for path in folder.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+django", path.read_text(encoding="utf-8"), re.M), path
    code = "import sys, gongkai.calendar; assert not any(m.startswith('django') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- properties ---------------------------------------------------------------------------------

known_dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 30))
counts = st.integers(min_value=0, max_value=30)


@given(known_dates, counts, counts)
def test_add_is_additive(d, a, b):
    assert CAL.add_workdays(d, a + b) == CAL.add_workdays(CAL.add_workdays(d, a), b)


@given(known_dates, st.integers(min_value=1, max_value=60))
def test_result_is_a_workday_after_start_and_inverse_of_between(d, n):
    due = CAL.add_workdays(d, n)
    assert due > d and CAL.is_workday(due)
    assert CAL.workdays_between(d, due) == n
    assert CAL.provisional_add_workdays(d, n) == (due, False)


@given(known_dates, counts, counts)
def test_monotonic_in_n(d, a, b):
    lo, hi = sorted((a, b))
    assert CAL.add_workdays(d, lo) <= CAL.add_workdays(d, hi)
    if lo < hi:
        assert CAL.add_workdays(d, lo) < CAL.add_workdays(d, hi)


@given(st.dates(min_value=D(2100, 1, 1), max_value=D(2200, 12, 31)), st.integers(min_value=1, max_value=40))
def test_provisional_far_years_count_monday_to_friday(d, n):
    due, provisional = WorkCalendar().provisional_add_workdays(d, n)
    assert provisional and due.weekday() < 5
    weekdays = sum(1 for i in range(1, (due - d).days + 1) if (d + timedelta(days=i)).weekday() < 5)
    assert weekdays == n


pause_lists = st.lists(
    st.tuples(st.sampled_from(list(PauseKind)), st.integers(0, 40), st.one_of(st.none(), st.integers(0, 30))),
    max_size=3,
)


def _pauses(receipt: date, raw: list[tuple[PauseKind, int, int | None]]) -> list[Pause]:
    return [Pause(kind, receipt + timedelta(days=s), None if e is None else receipt + timedelta(days=s + e))
            for kind, s, e in raw]


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 3, 31)), pause_lists, pause_lists,
       st.integers(min_value=0, max_value=20))
def test_pauses_never_make_the_due_date_earlier(receipt, first, more, ext):
    extensions = [Extension(ext)] if ext else []
    plain = answer_due(receipt, extensions=extensions, calendar=CAL).date
    some = answer_due(receipt, pauses=_pauses(receipt, first), extensions=extensions, calendar=CAL)
    more_pauses = answer_due(receipt, pauses=_pauses(receipt, first + more), extensions=extensions, calendar=CAL)
    assert plain is not None and some.date is not None and more_pauses.date is not None
    assert plain <= some.date <= more_pauses.date
    # the paused days are exactly the difference in counted span
    assert CAL.workdays_between(receipt, some.date) == some.period + some.paused
