"""Splitting run-together digits: the fast readings equal the plain definition.

``row_candidates`` finds the readings of a row's digits by shortcuts (a row whose last cell is the
sum of the others, rows whose totals are sums of the cells before them, pieces cut in one or two);
each must give exactly the readings — in the same order — that enumerating every split and keeping
the consistent ones gives.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gongkai.report.formats import FORMAT_2019, FORMAT_2021, get_format
from gongkai.report.parse.split import _parts, _parts_list, consistent, row_candidates, splits
from gongkai.report.rules import sum_checks

ROWS = [
    (version, table, row)
    for version in (FORMAT_2019, FORMAT_2021)
    for table in get_format(version).tables
    for row in table.data_rows
]

REVIEW_ROWS = [r for r in ROWS if r[1].key == "t4_review_litigation"]


def _plain(pieces, keys, checks):
    return [c for c in splits(pieces, len(keys)) if consistent(dict(zip(keys, c, strict=True)), checks)]


@st.composite
def run_together_rows(draw):
    """A real row of either format, and its digits run together: from figures that keep the
    row's own sums (so that readings exist) or from any digits, in one piece or a few."""
    # Half the time the row of 行政复议 and 行政诉讼: three totals in the middle of one row.
    version, table, row = draw(st.sampled_from(REVIEW_ROWS if draw(st.booleans()) else ROWS))
    keys = tuple((table.key, row.key, c.key) for c in table.columns)
    checks = sum_checks(version)
    if draw(st.booleans()):
        top = draw(st.sampled_from([9, 9, 30, 120]))  # mostly one digit each: 15 cells in 20 digits
        figures = draw(st.lists(st.integers(0, top), min_size=len(keys), max_size=len(keys)))
        values = dict(zip(keys, figures, strict=True))
        for check in checks:  # make each of the row's own "total = sum" checks hold
            if check.rule.relation == "=" and len(check.lhs) == 1 and check.cellset <= set(keys):
                values[check.lhs[0]] = sum(values[k] for k in check.rhs)
        digits = "".join(str(values[k]) for k in keys)
    else:
        digits = draw(st.text("0123456789", min_size=len(keys), max_size=len(keys) + 8))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(digits) - 1)), max_size=3)))
    pieces = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True) if digits[a:b]]
    return keys, checks, pieces


@settings(max_examples=300, deadline=None)
@given(run_together_rows())
def test_row_readings_are_the_consistent_splits_in_order(case):
    keys, checks, pieces = case
    assume(sum(map(len, pieces)) <= 20)  # the plain enumeration stays small
    assert row_candidates(pieces, keys, checks, {}) == _plain(pieces, keys, checks)


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789", min_size=1, max_size=12), st.integers(1, 12))
def test_cutting_a_piece_lists_every_cut_in_order(digits, k):
    assume(k <= len(digits))
    assert _parts_list(digits, k) == list(_parts(digits, k))


def test_a_seed_row_has_its_one_reading():
    """The issue's example: 一、本年新收政府信息公开申请数量 run together as 640020470."""
    version = FORMAT_2021
    table = next(t for t in get_format(version).tables if t.key == "t3_requests")
    row = table.data_rows[0]
    keys = tuple((table.key, row.key, c.key) for c in table.columns)
    assert row_candidates(["640020470"], keys, sum_checks(version), {}) == [(64, 0, 0, 2, 0, 4, 70)]
