"""Fuzzing: mutated published reports never crash the parser or the checker.

Whatever the bytes, the outcome is a report (maybe incomplete, with its problems listed) or a
:class:`ReportReadError` with a reason — never an unhandled exception.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.report.check import CheckResult, format_result
from gongkai.report.parse import ReportReadError, parse_bytes
from gongkai.report.rules import evaluate

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
SOURCES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".txt", ".html", ".md") and p.name != "SOURCES.md")
SEEDS = [p.read_bytes() for p in SOURCES]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate", "lines", "digits"]))
        n = len(data)
        if n == 0:
            break
        i = draw(st.integers(0, n - 1))
        j = min(n, i + draw(st.integers(1, 400)))
        if kind == "delete":
            del data[i:j]
        elif kind == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=40))
        elif kind == "replace":
            data[i:j] = draw(st.binary(min_size=0, max_size=j - i))
        elif kind == "truncate":
            del data[i:]
        elif kind == "duplicate":
            data[i:i] = data[i:j]
        elif kind == "lines":
            lines = bytes(data).split(b"\n")
            perm = draw(st.permutations(range(min(len(lines), 30))))
            head = [lines[k] for k in perm]
            data = bytearray(b"\n".join(head + lines[len(head):]))
        else:
            text = bytes(data)
            digits = draw(st.binary(min_size=1, max_size=12).map(lambda b: bytes(48 + x % 10 for x in b)))
            data = bytearray(text[:i] + digits + text[i:])
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_reports_never_crash(data):
    try:
        report = parse_bytes(data, "fuzz.txt")
    except ReportReadError as exc:
        assert str(exc)  # a reason is always given
        return
    violations = evaluate(report)
    report.to_json()
    format_result(CheckResult("fuzz.txt", report, None, violations))


def test_fixtures_are_present():
    assert len(SOURCES) >= 1
