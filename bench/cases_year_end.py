"""Year end at province scale: every agency's 第三部分 from 1,000,000 cases on PostgreSQL.

    GONGKAI_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gongkai_bench \\
        python bench/cases_year_end.py [--cases 1000000] [--agencies 2000]

Creates the database tables (``migrate``), loads the cases with COPY (once; rerun reuses them),
then prints (best of three runs each) (a) the time gongkai takes to build every agency's 第三部分 for the year through
``gongkai.cases.yearend`` and (b) the time of one hand-written GROUP BY over the same rows — the
floor any implementation must pay — and their ratio (target: at most 2×).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
os.environ.setdefault("GONGKAI_DEBUG", "1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=2000)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    if not os.environ.get("GONGKAI_DATABASE_URL", "").startswith("postgres"):
        sys.exit("set GONGKAI_DATABASE_URL to a PostgreSQL database (it gets the benchmark's tables)")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.cases.models import Case
    from gongkai.cases.yearend import build_reports
    from gongkai.report.rules import evaluate

    call_command("migrate", verbosity=0)
    if Case.objects.count() != args.cases or Agency.objects.count() != args.agencies:
        load(connection, args.cases, args.agencies, args.year)
    ids = list(Agency.objects.values_list("id", flat=True))

    ours, reports = best_of_three(lambda: build_reports(ids, args.year))
    errors = sum(1 for r in reports.values() for v in evaluate(r) if v.severity == "error")

    def floor_query():  # type: ignore[no-untyped-def]
        with connection.cursor() as cur:
            cur.execute(FLOOR_SQL, {"start": date(args.year, 1, 1), "end": date(args.year, 12, 31)})
            return cur.fetchall()

    floor, rows = best_of_three(floor_query)
    print(f"{args.cases:,} cases, {len(ids):,} agencies, year {args.year}, PostgreSQL {connection.pg_version}")
    print(f"gongkai.cases.yearend.build_reports, every agency's 第三部分 and 第四部分 as report objects: "
          f"{ours:.2f} s ({'no rule violated' if errors == 0 else f'{errors} rule violations'})")
    print(f"one hand-written GROUP BY over the same rows ({len(rows):,} groups): {floor:.2f} s")
    print(f"ratio: {ours / floor:.2f}×")


FLOOR_SQL = """
    SELECT agency_id, applicant_type, outcome,
           count(*) FILTER (WHERE received_on >= %(start)s) AS new,
           count(*) FILTER (WHERE received_on < %(start)s) AS carried,
           count(*) FILTER (WHERE decided_on IS NULL OR decided_on > %(end)s) AS forward,
           count(*) FILTER (WHERE decided_on BETWEEN %(start)s AND %(end)s) AS decided
    FROM cases_case
    WHERE received_on <= %(end)s AND (decided_on IS NULL OR decided_on >= %(start)s)
    GROUP BY agency_id, applicant_type, outcome"""


def best_of_three(fn):  # type: ignore[no-untyped-def]
    """(seconds, result) of the fastest of three runs (the first warms PostgreSQL's cache)."""
    best, result = float("inf"), None
    for _ in range(3):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def load(connection, n_cases: int, n_agencies: int, year: int) -> None:  # type: ignore[no-untyped-def]
    """Replace the benchmark database's agencies and cases with a random province (COPY, seeded)."""
    from gongkai.agencies.models import Agency
    from gongkai.cases.outcomes import OUTCOMES

    outcomes = [k for k, _ in OUTCOMES]

    print(f"loading {n_cases:,} cases across {n_agencies:,} agencies (once) …", file=sys.stderr)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE cases_caseevent, cases_correction, cases_consultation, cases_extension, "
                    "cases_feenotice, cases_attachment, cases_appeal, cases_trackingcounter, cases_case, "
                    "agencies_membership, agencies_agency RESTART IDENTITY CASCADE")
    Agency.objects.bulk_create([Agency(code=f"B{i:05d}", name=f"基准机关{i:05d}") for i in range(n_agencies)])
    agency_ids = list(Agency.objects.values_list("id", flat=True))
    rng = random.Random(20251231)
    types = ["natural_person"] * 8 + ["commercial_enterprise", "research_institution", "social_welfare_org",
                                       "legal_service_org", "other_org"]
    first = date(year - 1, 1, 1)
    span = (date(year, 12, 31) - first).days + 60
    with connection.cursor() as cur, cur.copy(
            "COPY cases_case (agency_id, tracking_number, state, outcome, applicant_type, applicant_name, "
            "id_document, contact_person, phone, email, address, postcode, description, document_number, "
            "form_wanted, delivery_wanted, channel, submitted_on, received_on, decided_on, grounds, "
            "answered_on_the_spot, created_at) FROM STDIN") as copy:
        for i in range(n_cases):
            received = first + timedelta(days=rng.randrange(span))
            closed = rng.random() < 0.93
            decided = received + timedelta(days=rng.randrange(1, 45)) if closed else None
            copy.write_row((rng.choice(agency_ids), f"B-{i:07d}", "closed" if closed else "in_progress",
                            rng.choice(outcomes) if closed else "", rng.choice(types), "申请人", "", "", "", "", "",
                            "", "某信息", "", "", "", "online", received, received, decided, "", False,
                            "2026-01-01T00:00:00+08:00"))
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_case")


if __name__ == "__main__":
    main()
