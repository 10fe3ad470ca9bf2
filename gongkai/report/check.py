"""Checking published reports: one file for an agency, a folder of them for a supervisor.

A result is one of four states, and the command's exit status follows the worst of them:
``clean`` (0), ``violations`` (1: a hard rule is broken), ``incomplete`` (2: a table or cell
could not be read, so the report cannot be fully checked) and ``unreadable`` (2: not a report).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .model import Report
from .parse import ReportReadError, parse_file
from .rules import Violation, evaluate

REPORT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".shtml", ".docx", ".xlsx", ".pdf", ".json"}
EXIT = {"clean": 0, "violations": 1, "incomplete": 2, "unreadable": 2}


@dataclass
class CheckResult:
    path: str
    report: Report | None = None
    error: str | None = None
    violations: list[Violation] = field(default_factory=list)
    previous: str | None = None  # the file checked as last year's report

    @property
    def status(self) -> str:
        if self.report is None:
            return "unreadable"
        if not self.report.complete:
            return "incomplete"
        if any(v.severity == "error" for v in self.violations):
            return "violations"
        return "clean"

    @property
    def exit_code(self) -> int:
        return EXIT[self.status]

    def to_json(self) -> dict[str, object]:
        r = self.report
        return {
            "file": self.path,
            "status": self.status,
            "error": self.error,
            "agency": r.agency if r else None,
            "year": r.year if r else None,
            "format": r.format if r else None,
            "previous": self.previous,
            "violations": [v.to_json() for v in self.violations],
            "problems": [p.to_json() for p in r.problems] if r else [],
        }


def collect_paths(inputs: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expanded (recursively) to the report files they hold, sorted."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
                              and not f.name.endswith(".expected.json")))
        else:
            out.append(p)
    return out


def load(path: Path) -> tuple[Report | None, str | None]:
    try:
        return parse_file(path), None
    except ReportReadError as exc:
        return None, str(exc)


def check_file(path: str | Path, previous: str | Path | None = None) -> CheckResult:
    report, error = load(Path(path))
    result = CheckResult(str(path), report, error)
    if report is None:
        return result
    prev_report = None
    if previous is not None:
        prev_report, prev_error = load(Path(previous))
        if prev_report is None:
            result.error = f"上年报告无法读取（{previous}）：{prev_error}"
        else:
            result.previous = str(previous)
    result.violations = evaluate(report, prev_report)
    return result


def agency_key(report: Report, path: Path) -> str:
    """What identifies one agency's series of reports: its name, or the file name without years."""
    if report.agency:
        return re.sub(r"\s+", "", report.agency)
    stem = re.sub(r"(?<!\d)20\d{2}(?!\d)", "", path.stem.split(".")[0])
    return re.sub(r"[\s_\-—.]+", "-", stem).strip("-")


def check_many(
    paths: Sequence[Path], pair_years: bool = True, progress: Callable[[Iterable[Path]], Iterable[Path]] | None = None
) -> list[CheckResult]:
    """Check every file; with ``pair_years``, each agency's report is checked against its previous year's."""
    loaded: list[tuple[Path, Report | None, str | None]] = []
    for path in progress(paths) if progress else paths:
        report, error = load(path)
        loaded.append((path, report, error))
    by_agency: dict[str, dict[int, tuple[Path, Report]]] = defaultdict(dict)
    if pair_years:
        for path, report, _ in loaded:
            if report is not None and report.year is not None:
                by_agency[agency_key(report, path)][report.year] = (path, report)
    results = []
    for path, report, error in loaded:
        result = CheckResult(str(path), report, error)
        if report is not None:
            prev = None
            if pair_years and report.year is not None:
                prev = by_agency[agency_key(report, path)].get(report.year - 1)
            if prev is not None:
                result.previous = str(prev[0])
            result.violations = evaluate(report, prev[1] if prev else None)
        results.append(result)
    return results


# ---------------------------------------------------------------------------------------------
# Output


def format_result(result: CheckResult, verbose_cells: bool = True) -> str:
    lines: list[str] = []
    r = result.report
    if r is None:
        return f"{result.path}: 无法读取 — {result.error}"
    head = f"{result.path}: {r.agency or '（机关名称未识别）'} {r.year or '？'}年度报告，{r.format}年格式"
    if result.previous:
        head += f"，对照上年报告 {result.previous}"
    lines.append(head)
    if result.error:
        lines.append(f"  ! {result.error}")
    unread = [p for p in r.problems if p.severity == "error"]
    for p in unread:
        lines.append(f"  ? 无法读取 [{p.code}] {p.message}" + (f"（{p.location}）" if p.location else ""))
        for cand in p.candidates[:5]:
            lines.append("      候选: " + ", ".join(str(x) for x in cand))
    for p in r.problems:
        if p.severity == "warning":
            lines.append(f"  ~ 读取提示 [{p.code}] {p.message}" + (f"（{p.location}）" if p.location else ""))
    for v in result.violations:
        mark = "✗" if v.severity == "error" else "!"
        lines.append(f"  {mark} {v.rule} {v.text}")
        lines.append(f"      {v.detail}")
        if verbose_cells:
            for c in v.cells:
                where = f"（{c.location}）" if c.location else ""
                value = "空" if c.value is None else c.value
                lines.append(f"        · {c.label} = {value}{where}")
    errors = sum(1 for v in result.violations if v.severity == "error")
    warnings = len(result.violations) - errors
    summary = {
        "clean": "通过：没有违反任何规则",
        "violations": "未通过",
        "incomplete": "报告不完整：部分单元格无法读取，上面只核对了读到的部分",
        "unreadable": "无法读取",
    }[result.status]
    lines.append(f"  结论：{summary}（错误 {errors} 条，提示 {warnings} 条）")
    return "\n".join(lines)


TABLE_HEADER = ["文件", "机关", "年度", "格式", "结论", "规则", "级别", "说明", "详情", "单元格及来源", "应为", "实为",
                "对照上年报告"]


def table_rows(results: Iterable[CheckResult]) -> list[list[str]]:
    rows: list[list[str]] = []
    status_zh = {"clean": "通过", "violations": "未通过", "incomplete": "不完整", "unreadable": "无法读取"}
    for res in results:
        r = res.report
        base = [res.path, (r.agency or "") if r else "", str(r.year or "") if r else "", r.format if r else "",
                status_zh[res.status]]
        entries: list[list[str]] = []
        if r is None:
            entries.append(["", "error", res.error or "", "", "", "", ""])
        else:
            for p in r.problems:
                if p.severity == "error":
                    entries.append([p.code, "error", "无法读取", p.message, p.location or "", "", ""])
            for v in res.violations:
                cells = "；".join(f"{c.label}={'空' if c.value is None else c.value}"
                                 + (f"@{c.location}" if c.location else "") for c in v.cells)
                entries.append([v.rule, v.severity, v.text, v.detail, cells, v.expected or "", v.found or ""])
        if not entries:
            entries.append(["", "", "", "", "", "", ""])
        for e in entries:
            rows.append([*base, *e, res.previous or ""])
    return rows


def write_table(results: Sequence[CheckResult], out: Path) -> None:
    """One table of every report's violations: .csv (UTF-8 with BOM, opens in Excel), .xlsx or .html."""
    rows = table_rows(results)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(TABLE_HEADER)
        writer.writerows(rows)
        out.write_text(buf.getvalue(), encoding="utf-8-sig")
    elif suffix == ".xlsx":
        import openpyxl
        from openpyxl.styles import Alignment, Font

        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "核查结果"
        ws.append(TABLE_HEADER)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        for letter, width in zip("ABCDEFGHIJKLM", (30, 24, 6, 6, 8, 8, 8, 40, 60, 60, 10, 10, 30), strict=True):
            ws.column_dimensions[letter].width = width
        for row_cells in ws.iter_rows(min_row=2):
            for cell in row_cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        wb.save(out)
    elif suffix in (".html", ".htm"):
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n" for row in rows
        )
        head = "".join(f"<th>{html.escape(h)}</th>" for h in TABLE_HEADER)
        out.write_text(
            "<!DOCTYPE html>\n<html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><title>年度报告核查结果</title>"
            "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif}table{border-collapse:collapse}"
            "td,th{border:1px solid #888;padding:4px;vertical-align:top}th{background:#eee}</style></head><body>"
            f"<h1>年度报告核查结果</h1><p>共 {len(results)} 份报告</p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>\n{body}</tbody></table></body></html>\n",
            encoding="utf-8",
        )
    else:
        raise ValueError(f"不支持的输出格式 {out.suffix!r}：请用 .csv、.xlsx 或 .html / use .csv, .xlsx or .html")
