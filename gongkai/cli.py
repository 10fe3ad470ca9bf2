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


def cmd_build(args: argparse.Namespace) -> int:
    """The year's report from the database, in the official layout; exit 1 when a rule is broken."""
    out = Path(args.out)
    fmt = out.suffix.lstrip(".").lower()
    if fmt not in ("docx", "xlsx", "html", "pdf", "json"):
        return _fail(f"输出文件应以 .docx、.xlsx、.html 或 .json 结尾：{args.out} / unsupported output type")
    _django()
    from .agencies.models import Agency
    from .annual.build import build
    from .annual.services import latest
    from .report.render import render
    from .report.rules import evaluate

    agency = Agency.objects.filter(code=args.agency).first()
    if agency is None:
        return _fail(f"没有机关代码为 {args.agency} 的机关 / no agency with that code")
    report = build(agency, args.year, args.include_subordinates)
    out.write_bytes(render(report, fmt))
    previous = latest(agency, args.year - 1, args.include_subordinates)
    violations = evaluate(report, previous.report if previous else None)
    errors = [v for v in violations if v.severity == "error"]
    missing = len(report.missing_cells())
    print(f"已写入 {out}（{agency.name} {args.year}年度，{report.format}年格式）", file=sys.stderr)
    if missing:
        print(f"gongkai: 报告不完整：{missing}个单元格没有数据 / incomplete", file=sys.stderr)
        return 2
    for v in errors:
        print(f"  ✗ {v.rule} {v.text}：{v.detail}", file=sys.stderr)
    return 1 if errors else 0


def cmd_import(args: argparse.Namespace) -> int:
    """Earlier years' published reports into the database (trends, and last year's carry-over check)."""
    _django()
    from .agencies.models import Agency
    from .annual.services import AnnualError, import_history

    agency = Agency.objects.filter(code=args.agency).first()
    if agency is None:
        return _fail(f"没有机关代码为 {args.agency} 的机关 / no agency with that code")
    failed = 0
    for path in args.files:
        try:
            stored = import_history(agency, parse_file(path), Path(path).name)
        except (ReportReadError, AnnualError) as exc:
            print(f"gongkai: {path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"已导入 {path}：{agency.name} {stored.year}年度报告（第{stored.version}版）")
    return 2 if failed else 0


_SCHEDULE_EXAMPLE = """文件格式（UTF-8，每行一项，# 之后为注释）/ file format:

  year    2027
  notice  国务院办公厅关于2027年部分节假日安排的通知
  holiday 2027-01-01..2027-01-03 元旦        # 放假，也可写 2027年1月1日至1月3日
  workday 2027-02-20 春节调休                # 调休上班，只能是星期六或星期日

也可用 JSON / or JSON: {"year": 2027, "holidays": [{"from": "2027-01-01", "to": "2027-01-03",
"name": "元旦"}], "workdays": [{"date": "2027-02-20", "name": "春节调休"}]}
详见 gongkai/calendar/schedule.py / details in gongkai/calendar/schedule.py"""


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
    import django

    django.setup()


def _calendar_from_args(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The installation's calendar (schedules imported into the database) plus ``--schedule`` files."""
    from .calendar import ScheduleError, WorkCalendar, parse_schedule

    extra = {}
    try:
        _django()
        from django.db import DatabaseError

        from .cases.calendar_years import database_calendar

        try:
            extra = dict(database_calendar().extra)
        except DatabaseError as exc:
            print(f"gongkai: 注意：读不到数据库中导入的节假日安排（{exc}），只用 chinesecalendar"
                  " / imported schedules unavailable", file=sys.stderr)
    except ImportError:
        pass
    for file in args.schedule:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScheduleError(file, "", f"无法读取文件：{exc}", f"cannot read the file: {exc}") from None
        schedule = parse_schedule(text, file)
        extra[schedule.year] = schedule
    return WorkCalendar(extra)


def cmd_calendar_add(args: argparse.Namespace) -> int:
    from datetime import date

    from .calendar import PROVISIONAL_MARK, CalendarUnknownError, ScheduleError, workday_period

    try:
        start = date.fromisoformat(args.date)
    except ValueError:
        return _fail(f"日期应写作 2025-01-20，而不是 {args.date!r} / the date must be YYYY-MM-DD")
    if args.n < 0:
        return _fail(f"工作日数不能为负数：{args.n} / the number of working days must be >= 0")
    try:
        due = workday_period(start, args.n, calendar=_calendar_from_args(args), provisional=args.provisional)
    except (CalendarUnknownError, ScheduleError) as exc:
        return _fail(str(exc))
    assert due.date is not None
    print(due.date.isoformat() + (PROVISIONAL_MARK if due.provisional else ""))
    if args.explain:
        print(due.explain())
    return 0


def cmd_calendar_import(args: argparse.Namespace) -> int:
    """Store a year's schedule in the database and list the open cases whose due date moves."""
    from .calendar import CC_LAST_YEAR, ScheduleError

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{args.file}: 无法读取（{exc}）/ cannot read the file")
    _django()
    from django.db import DatabaseError

    from .cases.calendar_years import import_schedule

    try:
        result = import_schedule(text, args.file, replace=args.replace)
    except ScheduleError as exc:
        return _fail(str(exc))
    except DatabaseError as exc:
        return _fail(f"数据库不可用（{exc}）；请先运行 gongkai manage migrate / database unavailable")
    schedule = result.schedule
    weekdays_off = sum(1 for d in schedule.holidays if d.weekday() < 5)
    note = "，替换 chinesecalendar 中该年的数据" if schedule.year <= CC_LAST_YEAR else ""
    verb = "已替换" if result.replaced else "已导入"
    print(f"{verb}{schedule.year}年节假日安排：放假{len(schedule.holidays)}天（其中周一至周五{weekdays_off}天），"
          f"调休上班{len(schedule.makeup_workdays)}天{note}")
    if not result.changes:
        print("没有未办结申请的答复期限因此改变")
    else:
        print(f"{len(result.changes)}件未办结申请的答复期限改变：")
        for change in result.changes:
            before = "待定" if change.before is None else change.before.isoformat()
            if change.before_provisional:
                before += "（节假日安排未确认）"
            after = "待定" if change.after is None else change.after.isoformat()
            print(f"  {change.case.agency.code} {change.case.tracking_number}: {before} → {after}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate the SQLite database, load the demo data and serve the web system."""
    os.environ.setdefault("GONGKAI_DEBUG", "1")
    _django()
    from django.conf import settings
    from django.core.management import call_command

    from .site.demo import DEMO_PASSWORD, seed

    call_command("migrate", verbosity=0)
    accounts = seed()
    print(f"数据库：{settings.DATABASES['default']['NAME']}")
    print(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, role in accounts:
        print(f"  {username:<11} {role}")
    if args.no_serve:
        return 0
    print(f"打开 http://127.0.0.1:{args.port}/desk/ 登录；按 Ctrl+C 停止")
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    """E-mail handlers and supervisors about cases due soon or overdue (run daily from cron)."""
    _django()
    from django.utils import timezone

    from .cases.reminders import send

    today = timezone.localdate()
    if args.date:
        from datetime import date

        try:
            today = date.fromisoformat(args.date)
        except ValueError:
            return _fail(f"日期应写作 2025-01-20，而不是 {args.date!r} / the date must be YYYY-MM-DD")
    results = send(today, soon=args.days, dry_run=args.dry_run)
    for user, items, sent in results:
        how = "已发送" if sent else ("未发送（试运行）" if args.dry_run else "未发送：没有电子邮箱")
        print(f"{user.get_username()} <{user.email or '-'}>：{len(items)}件，{how}")
    if not results:
        print("没有即将到期或已逾期的申请")
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
    r.add_argument("--to", required=True, choices=["html", "docx", "xlsx", "pdf", "json"])
    r.add_argument("-o", "--output", help="输出文件（- 表示标准输出）/ output file, - for stdout")
    r.set_defaults(func=cmd_render)

    b = rsub.add_parser("build", help="用本系统的数据生成年度报告 / build the year's report from the database")
    b.add_argument("--agency", required=True, help="机关代码 / agency code")
    b.add_argument("--year", required=True, type=int)
    b.add_argument("--include-subordinates", action="store_true", help="汇总下级机关 / roll up the agencies below")
    b.add_argument("--out", required=True, help="输出文件 .docx/.xlsx/.html/.json / output file")
    b.set_defaults(func=cmd_build)

    im = rsub.add_parser("import", help="导入历年已发布的年度报告 / import earlier years' published reports")
    im.add_argument("--agency", required=True, help="机关代码 / agency code")
    im.add_argument("files", nargs="+", help="报告文件 / report files")
    im.set_defaults(func=cmd_import)

    cal = sub.add_parser("calendar", help="工作日与期限 / working days and due dates")
    calsub = cal.add_subparsers(dest="action", required=True)

    a = calsub.add_parser("add-workdays", help="某日之后第 N 个工作日（次日起算）/ the N-th working day after DATE")
    a.add_argument("date", help="起算日，如 2025-01-20 / start date, YYYY-MM-DD")
    a.add_argument("n", type=int, help="工作日数 / number of working days")
    a.add_argument("--explain", action="store_true", help="列出推算过程 / show the derivation")
    a.add_argument("--provisional", action="store_true",
                   help="节假日安排未录入的年份暂按周一至周五计算 / count Mon–Fri in years not yet known")
    a.add_argument("--schedule", action="append", default=[], metavar="FILE",
                   help="另外使用的节假日安排文件（可多次）/ an extra schedule file (repeatable)")
    a.set_defaults(func=cmd_calendar_add)

    i = calsub.add_parser("import", help="导入国务院办公厅的节假日安排 / import a year's holiday schedule",
                          description="核对并导入一年的节假日安排 / check and import a year's holiday schedule.",
                          epilog=_SCHEDULE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("file", help="安排文件（行格式或 JSON）/ schedule file, line format or JSON")
    i.add_argument("--replace", action="store_true", help="替换已导入的同年安排 / replace an imported year")
    i.set_defaults(func=cmd_calendar_import)

    d = sub.add_parser("demo", aliases=["serve"],
                       help="用演示数据运行整个网站（SQLite）/ run the whole site with demo data")
    d.add_argument("--port", type=int, default=8000, help="端口 / port (default 8000)")
    d.add_argument("--no-serve", action="store_true", help="只建库和演示数据 / set up only, do not serve")
    d.set_defaults(func=cmd_demo)

    r = sub.add_parser("remind", help="提醒即将到期和已逾期的申请 / e-mail reminders of due cases")
    r.add_argument("--days", type=int, default=3, help="提前几个工作日提醒（默认3）/ working days ahead")
    r.add_argument("--date", help="按这一天计算（默认今天）/ as of this date, YYYY-MM-DD")
    r.add_argument("--dry-run", action="store_true", help="只列出，不发邮件 / list only")
    r.set_defaults(func=cmd_remind)

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
