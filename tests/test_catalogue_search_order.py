"""Search walks each tier newest first and stops at the page; the pages must be exactly the
matches sorted as the module defines: (title tier, 发布日期, id), descending.

The reference is the backend's plain list of every match with its tier (``Backend.hits``), sorted
here; hypothesis draws queries, filters and page sizes over a catalogue of many ties (few days,
few words), on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import Membership, Role
from gongkai.catalogue import search, segment, services
from gongkai.catalogue.models import Item
from gongkai.catalogue.selectors import published_items
from tests.casekit import agency, staff
from tests.catalogkit import published

pytestmark = [pytest.mark.db, pytest.mark.django_db]

WORDS = ("医疗保险", "乡村振兴", "政府采购", "应急预案", "统计公报", "营商环境")
DAYS = [date(2023, 12, 30) + timedelta(days=d) for d in (0, 1, 2, 3, 370, 371, 700)]


@pytest.fixture
def catalogue():
    gov = agency("QS", "青山县人民政府")
    dept = agency("QSW", "青山县卫生健康局", parent=gov)
    clerk, head = staff("clerk", gov, Role.HANDLER), staff("head", gov, Role.APPROVER)
    Membership.objects.create(user=clerk, agency=dept, role=Role.HANDLER)
    Membership.objects.create(user=head, agency=dept, role=Role.APPROVER)
    rng = random.Random(7)
    for n in range(48):
        in_title = rng.sample(WORDS, rng.randint(0, 2))
        in_body = rng.sample(WORDS, rng.randint(0, 3))
        published(rng.choice((gov, dept)), clerk, head, f"第{n}号{'和'.join(in_title)}通知", rng.choice(DAYS),
                  f"<p>{'，'.join(in_body)}。</p>", article20_item=rng.choice((1, 11)))
    yield {"agencies": [gov.pk, dept.pk], "head": head}
    search.backend().clear()


def _reference(query: str, filters: dict) -> list[tuple[int, int]]:
    sql, params = search.backend().hits(segment.query_terms(query))
    with connection.cursor() as c:
        c.execute(sql, params)
        tiers = dict(c.fetchall())
    items = published_items(**filters).filter(pk__in=tiers).values_list("pk", "published_on")
    return [(pk, tiers[pk]) for pk, _ in sorted(items, key=lambda r: (tiers[r[0]], r[1], r[0]), reverse=True)]


@pytest.fixture(params=["as configured", "windows from one row, counted", "windows from one row, estimated"])
def plan(request, monkeypatch, catalogue):
    """On PostgreSQL, also with every search starting from a window of one index row and doubling
    it, and matches checked against the filters from one at a time, so that pages filled within one
    window, pages spread over several, windows with no match, the last, open-ended window and
    several lookups per window all run on this small catalogue (SQLite has one plan).  The windows'
    ends are found both ways: by counting rows down the date index, and from the statistics of
    发布日期 (after an ANALYZE, inside the test's transaction)."""
    if request.param != "as configured":
        if connection.vendor != "postgresql":
            pytest.skip("PostgreSQL's plans only")
        monkeypatch.setattr(search.PostgresBackend, "_estimates", lambda self, c, match, params: (math.inf, 1.0))
        monkeypatch.setattr(search.PostgresBackend, "PROBE", {1: 1, 0: 1})
        monkeypatch.setattr(search.PostgresBackend, "BATCH", 1)
        estimated = request.param.endswith("estimated")
        monkeypatch.setattr(search.PostgresBackend, "DATES_FROM_STATISTICS", estimated)
        if estimated:
            with connection.cursor() as c:
                c.execute("ANALYZE catalogue_fts")
                assert search._Dates.read(c) is not None
    return request.param


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=2, unique=True),
       limit=st.integers(1, 9), year=st.none() | st.sampled_from((2023, 2024, 2025)),
       which=st.sampled_from(("all", "gov", "dept")), article20=st.none() | st.sampled_from((1, 11)))
def test_every_page_is_the_sorted_matches_cut_at_the_cursor(catalogue, plan, words, limit, year, which,
                                                            article20) -> None:
    filters: dict = {"year": year, "article20_item": article20}
    if which != "all":
        filters["agency_ids"] = [catalogue["agencies"][which == "dept"]]
    query = " ".join(words)
    expected = _reference(query, filters)
    seen: list[tuple[int, int]] = []
    cursor = None
    for _ in range(len(expected) // limit + 1):  # a cursor that does not move fails, not loops
        page = search.search(query, limit=limit, after=cursor, **filters)
        seen += [(h.item.pk, int(h.in_title)) for h in page.hits]
        assert len(page.hits) == limit or page.next_cursor is None
        cursor = page.next_cursor
        if cursor is None:
            break
    assert cursor is None
    assert seen == expected


def test_an_item_whose_date_changes_is_found_once_under_its_new_date(catalogue) -> None:
    item = Item.objects.filter(title__contains="政府采购").order_by("pk").first()
    assert item is not None
    day = date(2026, 5, 5)
    Item.objects.filter(pk=item.pk).update(published_on=day)
    item.refresh_from_db()
    search.index_item(item)
    hits = [h.item.pk for h in search.search("政府采购", limit=100).hits]
    assert hits.count(item.pk) == 1
    assert hits[0] == item.pk  # the newest now, and first of the title tier
    assert [h.item.pk for h in search.search("政府采购", year=2026).hits] == [item.pk]
    services.withdraw(item, catalogue["head"], "重复发布", day)
    assert item.pk not in [h.item.pk for h in search.search("政府采购", limit=100).hits]


def test_the_planner_settings_are_put_back_after_a_search(catalogue, plan) -> None:
    """A search inside a caller's transaction leaves the planner as it found it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings only")
    assert search.search("医疗保险 政府采购").hits is not None
    with connection.cursor() as c:
        c.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_bitmapscan')")
        assert c.fetchone() == ("on", "on")


BASE = date(2024, 1, 1).toordinal()


def test_a_window_ends_where_the_statistics_put_its_share_of_the_rows() -> None:
    """1,000 rows, histogram bounds on 1, 11 and 21 January (half the rows in each bucket, spread
    evenly over its days): share_before(1 Jan + d) is d / 20 up to 21 January."""
    dates = search._Dates(rows=1000, bounds=(BASE, BASE + 10, BASE + 20), bucket=0.5, common=())
    assert dates.share_before(BASE + 18) == pytest.approx(0.9)
    # 100 rows from the newest: the last 10% of the rows lie from 19 January on (0.9 before it)
    assert dates.lower_end(None, None, 100) == (date(2024, 1, 19), 0)
    assert dates.lower_end(None, None, 600) == (date(2024, 1, 9), 0)
    assert dates.lower_end(None, None, 1000) is None  # the whole index: no lower end
    # below a cursor on 11 January: the rows before 12 January are 55%; 10% fewer, before 10 January
    assert dates.lower_end((date(2024, 1, 11), 5), None, 100) == (date(2024, 1, 10), 0)
    # a cursor at a day's first row: the window starts on an earlier day, never on the cursor
    assert dates.lower_end((date(2024, 1, 11), 0), None, 10) == (date(2024, 1, 10), 0)
    # within 5–15 January: 75% of the rows lie before 16 January, 20% before 5 January
    span = (date(2024, 1, 5), date(2024, 1, 15))
    assert dates.lower_end(None, span, 100) == (date(2024, 1, 14), 0)
    assert dates.lower_end(None, span, 600) is None  # the rest of the span
    # the newest rows, published since the statistics were taken, are counted instead
    assert not dates.cover(None, None) and not dates.cover(None, (date(2024, 1, 1), date(2024, 12, 31)))
    assert not dates.cover((date(2024, 1, 21), 7), None)  # the last analysed day may have grown
    assert dates.cover((date(2024, 1, 20), 7), None) and dates.cover(None, span)


def test_dates_that_are_all_common_values_are_whole_steps() -> None:
    """A small index whose dates are all among the most common: 5, 3 and 2 of 10 rows."""
    dates = search._Dates(rows=10, bounds=(), bucket=0.0, common=((BASE, 0.5), (BASE + 1, 0.3), (BASE + 2, 0.2)))
    assert [dates.share_before(BASE + d) for d in range(4)] == pytest.approx([0.0, 0.5, 0.8, 1.0])
    assert dates.lower_end(None, None, 2) == (date(2024, 1, 3), 0)
    assert dates.lower_end((date(2024, 1, 3), 0), None, 2) == (date(2024, 1, 2), 0)
    assert dates.lower_end((date(2024, 1, 2), 0), None, 2) is None  # the first day: the rest at once
