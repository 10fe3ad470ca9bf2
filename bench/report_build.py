"""Province scale: every agency's annual-report tables and the province-wide roll-up.

    GONGKAI_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gongkai_bench \\
        python bench/report_build.py [--cases 1000000] [--agencies 10000]

Loads the cases once (as ``bench/cases_year_end.py`` does), then prints, best of three runs:
(a) building every agency's 第三部分 and 第四部分 as report objects (``build_reports``) and checking
each against every rule, (b) the roll-up over all agencies (``build_report``), and (c) the floor:
one hand-written GROUP BY over the same rows.  Target: (a) + (b) under 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=10_000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    if not os.environ.get("GONGKAI_DATABASE_URL", "").startswith("postgres"):
        sys.exit("set GONGKAI_DATABASE_URL to a PostgreSQL database (it gets the benchmark's tables)")

    import django

    django.setup()
    from cases_year_end import FLOOR_SQL, best_of_three, load
    from django.core.management import call_command
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.cases.models import Case
    from gongkai.cases.yearend import build_report, build_reports
    from gongkai.report.rules import evaluate

    call_command("migrate", verbosity=0)
    if Case.objects.count() != args.cases or Agency.objects.count() != args.agencies:
        load(connection, args.cases, args.agencies, args.year)
    ids = list(Agency.objects.values_list("id", flat=True))

    def every_agency() -> int:
        reports = build_reports(ids, args.year)
        return sum(1 for r in reports.values() for v in evaluate(r) if v.severity == "error")

    each, errors = best_of_three(every_agency)
    roll_up_time, roll_up = best_of_three(lambda: build_report(ids, args.year, "全省"))

    def floor() -> int:
        with connection.cursor() as cur:
            cur.execute(FLOOR_SQL, {"start": date(args.year, 1, 1), "end": date(args.year, 12, 31)})
            return len(cur.fetchall())

    floor_time, groups = best_of_three(floor)
    total = roll_up.cells[("t3_requests", "new_requests", "total")]
    print(f"{args.cases:,} cases, {len(ids):,} agencies, year {args.year}")
    print(f"every agency's 第三部分 and 第四部分, each checked against every rule: {each:.2f} s "
          f"({'no rule violated' if errors == 0 else f'{errors} rule violations'})")
    print(f"province-wide roll-up: {roll_up_time:.2f} s ({total:,} new requests in {args.year})")
    print(f"together: {each + roll_up_time:.2f} s (target under 10 s)")
    print(f"floor, one hand-written GROUP BY over the same rows ({groups:,} groups): {floor_time:.2f} s")


if __name__ == "__main__":
    main()
