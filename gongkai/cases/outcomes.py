"""Outcome codes: exactly the rows of the annual report's 第三部分 (三、本年度办理结果).

A closed case carries one code ("区分处理的，只计这一情形，不计其他情形"), so the report is a pure
count.  Codes are the 2021 format's row keys; for reports of 2019 and 2020 the three （六）
sub-rows fold into 2019's single （六）其他处理 row.  The legal basis of each answer is in
``BASIS`` (regulation-deadlines.md §4).
"""

from __future__ import annotations

from gongkai.report.formats import FORMAT_2019, FORMAT_2021, T3_RESULT_ROWS, get_format

_T3_2021 = get_format(FORMAT_2021).table("t3_requests")

# (key, official label) of every result row of the 2021 format, in the report's order.
OUTCOMES: tuple[tuple[str, str], ...] = tuple(
    (r.key, r.label) for r in _T3_2021.data_rows if r.parent is not None and r.key != "results_total")

OUTCOME_KEYS = frozenset(k for k, _ in OUTCOMES)

# 2021 code → 2019 row (the 2019 format has one （六）其他处理 row).
TO_2019: dict[str, str] = {k: ("other_handling" if k.startswith("other_") else k) for k, _ in OUTCOMES}

# The article(s) of the 条例 each answer rests on; printed in the 答复告知书.
BASIS: dict[str, str] = {
    "disclosed": "第三十六条第（一）项、第（二）项",
    "partially_disclosed": "第三十七条",
    "withheld_state_secret": "第十四条",
    "withheld_prohibited_by_law": "第十四条",
    "withheld_three_securities": "第十四条",
    "withheld_third_party": "第十五条、第三十二条",
    "withheld_internal_affairs": "第十六条第一款",
    "withheld_process_information": "第十六条第二款",
    "withheld_law_enforcement_files": "第十六条第二款",
    "withheld_inquiry_matters": "第三十六条第（七）项",
    "unavailable_not_held": "第三十六条第（四）项、第（五）项",
    "unavailable_needs_creation": "第三十八条",
    "unavailable_unclear_after_correction": "第三十条",
    "not_processed_petition": "第三十九条第一款",
    "not_processed_repeated": "第三十六条第（六）项",
    "not_processed_publications": "第三十九条第二款",
    "not_processed_mass_repeated": "第三十五条",
    "not_processed_confirmation": "",
    "other_no_correction": "第三十条",
    "other_fee_unpaid": "第四十二条、《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    "other_other": "",
}

# Outcomes decided by the handler; the two "不再处理" codes are reached only by their lapse actions.
DECISION_OUTCOMES = tuple(k for k, _ in OUTCOMES if k not in ("other_no_correction", "other_fee_unpaid"))


def row_for(outcome: str, version: str) -> str:
    """The report row an outcome is counted in, for a report in ``version``."""
    if outcome not in OUTCOME_KEYS:
        raise ValueError(f"unknown outcome {outcome!r}")
    return TO_2019[outcome] if version == FORMAT_2019 else outcome


def label(outcome: str) -> str:
    return dict(OUTCOMES)[outcome]


assert set(BASIS) == OUTCOME_KEYS
assert {TO_2019[k] for k in OUTCOME_KEYS} <= set(T3_RESULT_ROWS[FORMAT_2019])
