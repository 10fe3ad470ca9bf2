"""How fast one core parses and checks published reports.

    python bench/report_throughput.py [N]

Parses and checks N text reports (default 1,000) in this one process and prints reports per
second, the slowest report and the peak memory.  The reports are the real published text
reports in ``tests/fixtures/reports`` (pipes, runs of spaces, cells run together, Markdown
from PDF and OCR; UTF-8 and GBK), each copy with its figures changed (every number n becomes
n + k for the k-th copy, below 1000) so that no two documents are alike and no cache of figures can help.
"""

from __future__ import annotations

import re
import resource
import sys
import time
from pathlib import Path

from gongkai.report.parse import parse_bytes
from gongkai.report.rules import evaluate

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "reports"


def _vary(data: bytes, k: int) -> bytes:
    """The document with every number below 1000 written as n + k: another report of the same shape.

    Years and long figures are left alone, so the copy stays a report of its year.
    """
    if k == 0:
        return data
    return re.sub(rb"(?<!\d)\d{1,3}(?!\d)", lambda m: str(int(m.group(0)) + k).encode(), data)


def _reference_seconds() -> float:
    """CPU seconds for a fixed pure-Python loop: how fast this machine runs Python at all.

    Machines differ threefold here (the same code printed 715 and 250 reports/s on two build
    machines of the same kind); the ratio of reports/s to this figure is what compares them.
    """
    start = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sources = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir())
               if p.suffix in (".txt", ".md") and p.with_suffix(".expected.json").exists()]
    documents = [(name, _vary(data, i // len(sources))) for i, (name, data) in
                 enumerate(sources[i % len(sources)] for i in range(n))]
    slowest = (0.0, "")
    violations = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    for i in range(n):
        name, data = documents[i]
        t0 = time.perf_counter()
        report = parse_bytes(data, name)
        violations += len(evaluate(report))
        took = time.perf_counter() - t0
        slowest = max(slowest, (took, name))
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} reports ({len(sources)} fixtures, each copy with other figures) parsed and checked "
          f"in {cpu:.2f} s of CPU on one core ({elapsed:.2f} s wall): {n / cpu:.0f} reports/s")
    print(f"slowest report: {slowest[1]} {slowest[0] * 1000:.1f} ms; rule findings: {violations}; "
          f"peak memory {peak_mib:.0f} MiB")
    print(f"machine reference: a pure-Python loop of 10,000,000 additions takes {_reference_seconds():.2f} s of CPU "
          "here")


if __name__ == "__main__":
    main()
