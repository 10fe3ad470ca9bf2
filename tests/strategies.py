"""Hypothesis strategies and builders for reports that satisfy every rule by construction."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from gongkai.report.formats import APPLICANT_KEYS, FORMAT_2019, FORMAT_2021, T3_RESULT_ROWS, get_format
from gongkai.report.model import Report

small = st.integers(min_value=0, max_value=60)


@st.composite
def valid_reports(draw: st.DrawFn, version: str | None = None) -> Report:
    version = version or draw(st.sampled_from([FORMAT_2019, FORMAT_2021]))
    fmt = get_format(version)
    year = draw(st.integers(2019, 2020) if version == FORMAT_2019 else st.integers(2021, 2026))
    agency = draw(st.sampled_from(["大英县人民政府办公室", "平潭综合实验区管理委员会", "某市生态环境局"]))
    report = Report(format=version, year=year, agency=agency)
    cells = report.cells
    for table in fmt.tables:
        if not table.key.startswith("t2_"):
            continue
        for row in table.data_rows:
            for col in table.columns:
                key = (table.key, row.key, col.key)
                if col.kind == "signed_count":
                    cells[key] = draw(st.integers(-50, 50))
                elif col.kind == "amount":
                    unit = col.unit or draw(st.sampled_from(["元", "万元"]))
                    places = draw(st.integers(0, 2 if unit == "元" else 6))
                    cents = draw(st.integers(0, 10**9))
                    cells[key] = Decimal(cents).scaleb(-places)
                    report.units[key] = unit
                else:
                    cells[key] = draw(small)
        if table.key == "t2_item1" and version == FORMAT_2019:
            for row in ("rules", "normative_documents"):  # T2-1 (soft): published this year <= published in all
                k_new, k_all = (table.key, row, "published_this_year"), (table.key, row, "published_total")
                cells[k_all] = cells[k_all] + cells[k_new]
    t3 = "t3_requests"
    results = T3_RESULT_ROWS[version]
    for col in APPLICANT_KEYS:
        for row in results:
            cells[(t3, row, col)] = draw(st.integers(0, 9))
        total = sum(cells[(t3, row, col)] for row in results)
        forward = draw(st.integers(0, 9))
        carried = draw(st.integers(0, total + forward))
        cells[(t3, "results_total", col)] = total
        cells[(t3, "carried_forward", col)] = forward
        cells[(t3, "carried_over", col)] = carried
        cells[(t3, "new_requests", col)] = total + forward - carried
    for row in fmt.table(t3).data_rows:
        cells[(t3, row.key, "total")] = sum(cells[(t3, row.key, c)] for c in APPLICANT_KEYS)
    t4 = "t4_review_litigation"
    for group in ("review", "suit_direct", "suit_after_review"):
        outcomes = [draw(st.integers(0, 12)) for _ in range(4)]
        for o, v in zip(("upheld", "corrected", "other", "pending"), outcomes, strict=True):
            cells[(t4, "cases", f"{group}_{o}")] = v
        cells[(t4, "cases", f"{group}_total")] = sum(outcomes)
    return report


def example_report(version: str) -> Report:
    """One fixed valid report per format, for tests that need no randomness."""
    fmt = get_format(version)
    year = 2020 if version == FORMAT_2019 else 2023
    report = Report(format=version, year=year, agency="示例县人民政府办公室")
    n = 0
    for table in fmt.tables:
        if not table.key.startswith("t2_"):
            continue
        for row in table.data_rows:
            for col in table.columns:
                n += 1
                key = (table.key, row.key, col.key)
                if col.kind == "amount":
                    report.cells[key] = Decimal("1234.567891") if col.unit == "万元" else Decimal("251000.50")
                    report.units[key] = col.unit or "元"
                elif col.kind == "signed_count":
                    report.cells[key] = -n
                else:
                    report.cells[key] = n + (20 if col.key == "published_total" else 0)
    t3 = "t3_requests"
    results = T3_RESULT_ROWS[version]
    for i, col in enumerate(APPLICANT_KEYS):
        for j, row in enumerate(results):
            report.cells[(t3, row, col)] = (i + j) % 3
        total = sum(report.cells[(t3, row, col)] for row in results)
        report.cells[(t3, "results_total", col)] = total
        report.cells[(t3, "carried_forward", col)] = i
        report.cells[(t3, "carried_over", col)] = 1
        report.cells[(t3, "new_requests", col)] = total + i - 1
    for row in fmt.table(t3).data_rows:
        report.cells[(t3, row.key, "total")] = sum(report.cells[(t3, row.key, c)] for c in APPLICANT_KEYS)
    t4 = "t4_review_litigation"
    for g, group in enumerate(("review", "suit_direct", "suit_after_review")):
        outcomes = [g + 1, 0, 2, g]
        for o, v in zip(("upheld", "corrected", "other", "pending"), outcomes, strict=True):
            report.cells[(t4, "cases", f"{group}_{o}")] = v
        report.cells[(t4, "cases", f"{group}_total")] = sum(outcomes)
    return report
