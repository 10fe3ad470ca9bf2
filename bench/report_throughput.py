"""How fast one core parses and checks published reports.

    python bench/report_throughput.py [N]

Parses and checks N reports (default 1,000), cycling through the real published reports in
``tests/fixtures/reports`` (text, Markdown and HTML flattenings, UTF-8 and GBK), in this one
process, and prints reports per second, the slowest report and the peak memory.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from gongkai.report.parse import parse_bytes
from gongkai.report.rules import evaluate

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "reports"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sources = [(p.name, p.read_bytes()) for p in sorted(FIXTURES.iterdir())
               if p.suffix in (".txt", ".md", ".html") and p.with_suffix(".expected.json").exists()]
    slowest = (0.0, "")
    violations = 0
    start = time.perf_counter()
    for i in range(n):
        name, data = sources[i % len(sources)]
        t0 = time.perf_counter()
        report = parse_bytes(data, name)
        violations += len(evaluate(report))
        took = time.perf_counter() - t0
        slowest = max(slowest, (took, name))
    elapsed = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} reports ({len(sources)} distinct fixtures) parsed and checked in {elapsed:.2f} s "
          f"on one core: {n / elapsed:.0f} reports/s")
    print(f"slowest report: {slowest[1]} {slowest[0] * 1000:.1f} ms; rule findings: {violations}; "
          f"peak memory {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
