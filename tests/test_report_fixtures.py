"""Real published reports parse to the figures typed by hand from them, and check as they really are.

Each fixture ``NAME.{txt,md,html}`` in ``tests/fixtures/reports`` has ``NAME.expected.json``, typed
from the source by reading it (see ``SOURCES.md``).  What the parser reads must equal it, cell by
cell.  What it cannot read — digits run together with several consistent splits, rows a PDF
converter scattered away from their labels — must be exactly the cells listed here, each named
by an error with its position (and, when ambiguous, with the true figures among the candidates).
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.report.model import Report
from gongkai.report.parse import parse_file
from gongkai.report.rules import evaluate

FIXTURES = Path(__file__).parent / "fixtures" / "reports"

_PT_T2_2019 = {("t2_item1", "normative_documents"), ("t2_item5", "administrative_licensing"),
               ("t2_item5", "other_management_services"), ("t2_item6", "administrative_penalty"),
               ("t2_item6", "administrative_coercion"), ("t2_item9", "government_procurement")}

# fixture → (rows the parser must report unread, error rules the checker must find with their counts)
CASES: dict[str, tuple[set[tuple[str, str]], dict[str, int]]] = {
    # The seed: 总计 row all 0 beside 8 requests (T3-1, T3-2 in 自然人 and 总计), review 总计 0 beside 1 纠正.
    "daying-2020.txt": (set(), {"T3-1": 2, "T3-2": 2, "T4-1": 1}),
    # 平潭 prints 第二部分 with the cells run together ("898989"): no rule ties those columns together.
    "pingtan-2019.txt": (_PT_T2_2019 | {("t2_item8", "administrative_fees")}, {}),
    # As printed: results add up to 26 / 27 but （七）总计 says 20 / 21.
    "pingtan-2020.txt": (_PT_T2_2019, {"T3-2": 2}),
    "pingtan-2021.txt": ({("t2_item1", "normative_documents")}, {}),
    "pingtan-2023.txt": ({("t2_item1", "normative_documents")}, {}),
    # The whole 总计 column of the result rows is blank: T3-3 fails in 11 rows, T3-2 in 总计.
    "shanghai-govoffice-2019.html": (set(), {"T3-2": 1, "T3-3": 11}),
    # PDF→Markdown: 第二部分's figures floated away from their labels, four rows' figures detached.
    "shanghai-govoffice-2025.md": (
        {("t2_item1", "rules"), ("t2_item1", "normative_documents"), ("t3_requests", "not_processed_confirmation"),
         ("t3_requests", "other_no_correction"), ("t3_requests", "other_fee_unpaid"), ("t3_requests", "other_other")},
        {}),
    # PDF→Markdown with most of 第三部分's labels printed apart from their rows.
    "shanghai-stcsm-2024.md": (
        {("t3_requests", r) for r in (
            "partially_disclosed", "withheld_prohibited_by_law", "unavailable_not_held", "unavailable_needs_creation",
            "unavailable_unclear_after_correction", "not_processed_mass_repeated", "not_processed_confirmation",
            "other_no_correction", "other_fee_unpaid", "carried_forward")},
        {}),
    "shuyang-2025.md": (set(), {}),
    "shuyang-fgj-2023.html": (set(), {}),
}


def _expected(name: str) -> tuple[dict, Report]:
    data = json.loads((FIXTURES / f"{Path(name).stem}.expected.json").read_text(encoding="utf-8"))
    return data, Report.from_compact(data)


def test_every_fixture_has_a_case() -> None:
    sources = {p.name for p in FIXTURES.iterdir()
               if p.suffix in (".txt", ".md", ".html") and (FIXTURES / f"{p.stem}.expected.json").exists()}
    assert sources == set(CASES)
    assert len(sources) >= 7


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_parses_to_the_hand_typed_figures(name: str) -> None:
    data, expected = _expected(name)
    report = parse_file(FIXTURES / name)
    assert (report.format, report.year) == (data["format"], data["year"])
    unread_rows, _ = CASES[name]
    wrong = []
    for key, value in expected.cells.items():
        if key not in report.cells:
            continue
        got = report.cells[key]
        if got != value or type(got) is not type(value):
            wrong.append((key, value, got))
    assert wrong == []
    unread = set(report.missing_cells())
    assert {(t, r) for t, r, _ in unread} == unread_rows
    # every unread cell is named by an error with a position; an ambiguous one offers the truth
    for key in unread:
        problems = [p for p in report.problems if key in p.cells and p.severity == "error"]
        assert problems, key
        for p in problems:
            if p.code == "cell-ambiguous":
                truth = [expected.cells[k] for k in p.cells]
                assert truth in p.candidates, (key, truth, p.candidates)
                assert p.location
            else:
                assert p.code in ("cell-unreadable", "row-missing"), p.code


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_checks_as_printed(name: str) -> None:
    report = parse_file(FIXTURES / name)
    _, want = CASES[name]
    found = Counter(v.rule for v in evaluate(report) if v.severity == "error")
    assert dict(found) == want


def test_gbk_fixture_is_really_gbk() -> None:
    raw = (FIXTURES / "pingtan-2020.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "政府信息公开" in raw.decode("gbk")


def test_amounts_keep_their_printed_digits() -> None:
    report = parse_file(FIXTURES / "shanghai-govoffice-2019.html")
    assert report.cells[("t2_item9", "government_procurement", "procurement_amount")] == Decimal("251000")
