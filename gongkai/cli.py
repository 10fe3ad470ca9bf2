"""The ``gongkai`` console command: every administrative task, one entry point.

``gongkai report parse|check|render`` work on published reports and need no database;
``gongkai manage …`` runs any Django management command of the web system.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .report.check import check_file, check_many, collect_paths, format_result, write_table
from .report.parse import ReportReadError, parse_file


def _fail(message: str) -> int:
    print(f"gongkai: {message}", file=sys.stderr)
    return 2


def cmd_parse(args: argparse.Namespace) -> int:
    try:
        report = parse_file(args.file)
    except ReportReadError as exc:
        return _fail(f"{args.file}: {exc}")
    if args.json:
        print(report.dumps())
    else:
        print(_summary(report))
    if not report.complete:
        missing = len(report.missing_cells())
        print(f"gongkai: {args.file}: 报告不完整，{missing} 个单元格未能读取（见 problems）/ incomplete report",
              file=sys.stderr)
        return 2
    return 0


def _summary(report) -> str:  # type: ignore[no-untyped-def]
    fmt = report.definition
    out = [f"{report.agency or '（机关名称未识别）'} {report.year or '？'}年度报告 — {fmt.name}（{fmt.notice}）"]
    for table in fmt.tables:
        out.append(f"\n{table.label}")
        out.append("  " + " | ".join(c.label for c in table.columns))
        for row in table.rows:
            if row.heading:
                out.append(f"  {row.label}")
                continue
            cells = []
            for col in table.columns:
                key = (table.key, row.key, col.key)
                cells.append("?" if key not in report.cells else ("空" if report.cells[key] is None
                                                                  else str(report.cells[key])))
            out.append(f"  {row.label}: {' '.join(cells)}")
    if report.figures:
        out.append("\n正文中的数字")
        out.extend(f"  {f.label}: {f.value}（“{f.text}”）" for f in report.figures)
    if report.problems:
        out.append("\n读取说明")
        out.extend(f"  [{p.severity}] {p.code}: {p.message}" + (f"（{p.location}）" if p.location else "")
                   for p in report.problems)
    return "\n".join(out)


def cmd_check(args: argparse.Namespace) -> int:
    paths = collect_paths(args.files)
    if not paths:
        return _fail("没有找到要核查的报告文件 / no report files found")
    single = len(paths) == 1 and not Path(args.files[0]).is_dir()
    if single:
        result = check_file(paths[0], args.previous)
        results = [result]
    else:
        if args.previous:
            return _fail("--previous 只用于单个文件；核查多个文件时会按机关自动配对相邻年度 "
                         "/ --previous is for one file; several files are paired by agency automatically")
        progress = None
        if not args.no_progress:
            from tqdm import tqdm

            def progress(items):  # type: ignore[no-untyped-def]
                return tqdm(items, desc="核查年度报告", unit="份", file=sys.stderr)
        results = check_many(paths, pair_years=True, progress=progress)
    if args.out:
        try:
            write_table(results, Path(args.out))
        except (ValueError, OSError) as exc:
            return _fail(str(exc))
        print(f"核查结果已写入 {args.out}（{len(results)} 份报告）", file=sys.stderr)
    if args.json:
        data = [r.to_json() for r in results]
        print(json.dumps(data[0] if single else data, ensure_ascii=False, indent=2))
    elif not args.out or single:
        print("\n\n".join(format_result(r) for r in results))
    if not single:
        counts: dict[str, int] = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        print(f"共 {len(results)} 份：通过 {counts.get('clean', 0)}，未通过 {counts.get('violations', 0)}，"
              f"不完整 {counts.get('incomplete', 0)}，无法读取 {counts.get('unreadable', 0)}", file=sys.stderr)
    if single and results[0].report is None:
        print(f"gongkai: {results[0].error}", file=sys.stderr)
    return max(r.exit_code for r in results)


def cmd_render(args: argparse.Namespace) -> int:
    try:
        report = parse_file(args.file)
    except ReportReadError as exc:
        return _fail(f"{args.file}: {exc}")
    from .report.render import render

    data = render(report, args.to)
    out = args.output or str(Path(args.file).with_suffix("").name) + f".{args.to}"
    if out == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(out).write_bytes(data)
        print(f"已写入 {out}", file=sys.stderr)
    if not report.complete:
        print("gongkai: 注意：源报告不完整，未读到的单元格留空 / the source report is incomplete", file=sys.stderr)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="政府信息公开 — gongkai 管理命令")
    sub = parser.add_subparsers(dest="command", required=True)

    report = sub.add_parser("report", help="年度报告：读取、核查、排版 / annual reports")
    rsub = report.add_subparsers(dest="action", required=True)

    p = rsub.add_parser("parse", help="读取一份已发布的年度报告 / read a published report")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="以 JSON 输出每个表格、行、列 / JSON output")
    p.set_defaults(func=cmd_parse)

    c = rsub.add_parser("check", help="核查年度报告的勾稽关系 / check the consistency rules")
    c.add_argument("files", nargs="+", help="报告文件或文件夹 / report files or folders")
    c.add_argument("--previous", help="上一年度的报告，用于核对上年结转 / last year's report")
    c.add_argument("--json", action="store_true", help="以 JSON 输出，规则以稳定编号标识 / JSON output")
    c.add_argument("--out", help="把全部结果写成一张表：.csv、.xlsx 或 .html / write one table of all results")
    c.add_argument("--no-progress", action="store_true", help="不显示进度条 / no progress bar")
    c.set_defaults(func=cmd_check)

    r = rsub.add_parser("render", help="按官方格式排版 / render in the official layout")
    r.add_argument("file")
    r.add_argument("--to", required=True, choices=["html", "docx", "xlsx", "json"])
    r.add_argument("-o", "--output", help="输出文件（- 表示标准输出）/ output file, - for stdout")
    r.set_defaults(func=cmd_render)

    m = sub.add_parser("manage", help="Django 管理命令（migrate、createsuperuser …）/ Django management commands",
                       add_help=False)
    m.add_argument("rest", nargs=argparse.REMAINDER)
    m.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
