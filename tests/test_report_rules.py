"""The consistency rules, on reports built by hand and on random valid reports."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.report.formats import APPLICANT_KEYS, FORMAT_2019, FORMAT_2021, format_for_year, get_format
from gongkai.report.rules import evaluate, sum_checks
from tests.strategies import example_report, valid_reports

T3 = "t3_requests"
T4 = "t4_review_litigation"


def ids(violations):
    return sorted((v.rule, v.detail.split("：")[0]) for v in violations)


@pytest.mark.parametrize("version", [FORMAT_2019, FORMAT_2021])
def test_example_reports_are_clean(version):
    assert evaluate(example_report(version)) == []


@settings(max_examples=60, deadline=None)
@given(valid_reports())
def test_valid_reports_break_no_rule(report):
    assert [v for v in evaluate(report) if v.severity == "error"] == []


@settings(max_examples=60, deadline=None)
@given(valid_reports(), st.data())
def test_changing_any_request_cell_breaks_a_rule(report, data):
    """Every cell of table 3 is tied down: one changed figure never goes unnoticed."""
    rows = [r.key for r in report.definition.table(T3).data_rows]
    row = data.draw(st.sampled_from(rows))
    col = data.draw(st.sampled_from([*APPLICANT_KEYS, "total"]))
    report.cells[(T3, row, col)] += 1
    broken = {v.rule for v in evaluate(report)}
    assert "T3-3" in broken  # the row's 总计 no longer matches
    if col != "total" and row not in ("new_requests", "carried_over", "carried_forward"):
        assert "T3-2" in broken


def test_counting_of_checks():
    # 2019: T3-1 ×7 columns, T3-2 ×7, T3-3 × 23 data rows (一, 二, （一）, （二）, 8 + 3 + 5 items, （六）,
    # （七）, 四), T4 ×3, T2-1 ×2.  (The spec's "24 rows" counts the heading 三、本年度办理结果 too.)
    assert len(sum_checks(FORMAT_2019)) == 7 + 7 + 23 + 3 + 2
    # 2021: （六） becomes three items: 25 data rows; no T2-1
    assert len(sum_checks(FORMAT_2021)) == 7 + 7 + 25 + 3


def test_sum_violation_detail_and_cells_are_the_same_however_first_read():
    """A sum rule's violation works out its detail and cells when first read: read in any order,
    copied or pickled first, it is the violation it always was."""
    report = example_report(FORMAT_2021)
    report.cells[(T3, "new_requests", "natural_person")] += 2
    first = evaluate(report)
    assert first and all(v.rule.startswith("T3") for v in first)
    assert [v.cells for v in evaluate(report)] == [v.cells for v in first]  # cells read before detail
    for copied in (copy.deepcopy(evaluate(report)), pickle.loads(pickle.dumps(evaluate(report)))):
        assert copied == first
    assert [dataclasses.asdict(v) for v in evaluate(report)] == [dataclasses.asdict(v) for v in first]
    assert [v.to_json() for v in evaluate(report)] == [v.to_json() for v in first]
    assert all("_lazy" not in vars(v) for v in first)
    with pytest.raises(AttributeError):
        evaluate(report)[0].no_such_attribute  # noqa: B018


def test_balance_rule_names_cells_and_figures():
    report = example_report(FORMAT_2021)
    report.cells[(T3, "new_requests", "natural_person")] += 2
    report.cells[(T3, "new_requests", "total")] += 2
    violations = evaluate(report)
    assert ids(violations) == [("T3-1", "“总计”列"), ("T3-1", "“自然人”列")]
    v = next(v for v in violations if "自然人" in v.detail)
    # natural_person: 新收 (0 + 2) + 结转 1 = 3 against 总计 0 + 结转下年 0 (hand-computed from example_report)
    new = report.cells[(T3, "new_requests", "natural_person")]
    assert v.found == str(new + 1)
    assert v.expected == f"= {new + 1 - 2}"
    assert [c.key for c in v.cells] == [
        (T3, "new_requests", "natural_person"), (T3, "carried_over", "natural_person"),
        (T3, "results_total", "natural_person"), (T3, "carried_forward", "natural_person"),
    ]


def test_review_total():
    report = example_report(FORMAT_2019)
    report.cells[(T4, "cases", "review_total")] = 0
    report.cells[(T4, "cases", "review_corrected")] = 1
    report.cells[(T4, "cases", "review_upheld")] = 0
    report.cells[(T4, "cases", "review_other")] = 0
    report.cells[(T4, "cases", "review_pending")] = 0
    (v,) = evaluate(report)
    assert (v.rule, v.found, v.expected) == ("T4-1", "0", "= 1")
    assert v.detail == "行政复议：总计 0 = 0，应等于 结果纠正 1 = 1"  # long sums show their non-zero terms


def test_counts_must_be_non_negative_integers_but_change_may_be_negative():
    report = example_report(FORMAT_2019)
    assert report.cells[("t2_item5", "administrative_licensing", "change_this_year")] < 0
    assert evaluate(report) == []
    report.cells[("t2_item5", "administrative_licensing", "decisions")] = -3
    report.cells[("t2_item6", "administrative_penalty", "decisions")] = Decimal("2.5")
    assert sorted(v.rule for v in evaluate(report)) == ["V-integer", "V-negative"]


def test_amount_precision():
    report = example_report(FORMAT_2021)
    key = ("t2_item8", "administrative_fees", "fee_amount")
    report.cells[key] = Decimal("24252.311082")  # 平潭 2021: six decimals of 万元 = 0.01 元
    assert evaluate(report) == []
    report.cells[key] = Decimal("24252.3110825")
    (v,) = evaluate(report)
    assert (v.rule, v.found, v.expected) == ("V-precision", "7 位小数", "<= 6 位小数")


def test_amount_without_unit_is_a_warning():
    report = example_report(FORMAT_2019)
    key = ("t2_item9", "government_procurement", "procurement_amount")
    del report.units[key]
    (v,) = evaluate(report)
    assert (v.rule, v.severity) == ("V-unit", "warning")


def test_blank_cell_is_reported_and_counted_as_zero():
    report = example_report(FORMAT_2021)
    report.cells[(T3, "withheld_state_secret", "research_institution")] = 0
    report.cells[(T3, "withheld_state_secret", "total")] = sum(
        report.cells[(T3, "withheld_state_secret", c)] for c in APPLICANT_KEYS)
    # rebalance the column the zero came from, then blank it
    report.cells[(T3, "withheld_state_secret", "research_institution")] = None
    violations = evaluate(report)
    assert [v.rule for v in violations if v.rule == "V-blank"] == ["V-blank"]


@pytest.mark.parametrize(("year", "version"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")])
def test_format_for_year(year, version):
    assert format_for_year(year) == version


def test_wrong_format_for_year():
    report = example_report(FORMAT_2019)
    report.year = 2022
    (v,) = evaluate(report)
    assert (v.rule, v.expected, v.found) == ("F-1", "2021", "2019")


def test_carry_over_against_last_year():
    previous = example_report(FORMAT_2021)
    previous.year = 2022
    report = example_report(FORMAT_2021)
    # example_report carries 1 over from last year in every applicant column and forward i (0..5)
    violations = [v for v in evaluate(report, previous) if v.rule == "X-1"]
    # last year carried forward 0,1,2,3,4,5 (total 15); this year says 1,1,1,1,1,1 (total 6)
    assert [(v.expected, v.found) for v in violations] == [
        ("0", "1"), ("2", "1"), ("3", "1"), ("4", "1"), ("5", "1"), ("15", "6")]
    assert violations[0].cells[1].label.startswith("上年报告 / ")


def test_carry_over_matches():
    previous = example_report(FORMAT_2021)
    previous.year = 2022
    report = example_report(FORMAT_2021)
    for col in [*APPLICANT_KEYS, "total"]:
        previous.cells[(T3, "carried_forward", col)] = report.cells[(T3, "carried_over", col)]
    # the in-force count of normative documents follows last year's: 3 in force + 1 issued − 2 repealed
    fmt = get_format(FORMAT_2021)
    assert fmt.table("t2_item1").column("in_force").label == "现行有效件数"
    for row in ("rules", "normative_documents"):
        issued, repealed, in_force = (report.cells[("t2_item1", row, c)]
                                      for c in ("issued_this_year", "repealed_this_year", "in_force"))
        previous.cells[("t2_item1", row, "in_force")] = in_force - issued + repealed
    assert evaluate(report, previous) == []


def test_in_force_continuity_is_a_warning():
    previous = example_report(FORMAT_2021)
    previous.year = 2022
    report = example_report(FORMAT_2021)
    for col in [*APPLICANT_KEYS, "total"]:
        previous.cells[(T3, "carried_forward", col)] = report.cells[(T3, "carried_over", col)]
    violations = evaluate(report, previous)
    assert {(v.rule, v.severity) for v in violations} == {("X-2", "warning")}


def test_previous_report_of_another_year_is_not_compared():
    previous = example_report(FORMAT_2021)
    previous.year = 2019
    report = example_report(FORMAT_2021)
    assert [v.rule for v in evaluate(report, previous)] == ["X-0"]
