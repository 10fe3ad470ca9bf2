"""Chinese full-text search over the published catalogue: one interface, two database backends.

Text is cut into words by :mod:`gongkai.catalogue.segment` (jieba) before it reaches the
database, for documents and queries alike, so the database only matches whole tokens:

* SQLite: FTS5 virtual tables ``catalogue_fts(title, body)`` and ``catalogue_fts_title(title)``
  with the ``ascii`` tokenizer (it takes the space-separated jieba tokens as they are), whose
  rowid is :func:`fts_key` (发布日期 and id) so that FTS5 returns matches newest first;
* PostgreSQL: a table ``catalogue_fts(item_id, published_on, title, document)`` whose ``tsvector``
  columns are built with ``array_to_tsvector`` (the tokens verbatim: no parser, no stemming, no
  stop words — what the ``simple`` configuration is usually used for, without its parser
  re-cutting tokens), with GIN indexes on both and a btree on (published_on, item_id), so that a
  search reads the matches of the newest stretch of the index first (:class:`PostgresBackend`).

They are created by migrations ``0002_search_index``, ``0006_search_index_by_date`` (SQLite) and
``0007_search_index_dates_postgresql`` (each only on its own database) and kept in
step by :mod:`gongkai.catalogue.services` inside the transaction of every change: an item is in
the index exactly while it is published.  ``manage.py catalogue_reindex`` rebuilds it.

Results are the same on both databases, order included, because ranking is defined here rather
than by either database's scoring: items whose title alone matches the whole query come first,
then the rest; within each, the newest first (发布日期, then id).  That order is also the key for
keyset pagination, so the 500th page costs what the first does (``bench/catalogue_search.py``).

A page is at most three queries: the backend's matches of each tier among the items that pass the
filters (:func:`gongkai.catalogue.selectors.published_items`, so a withdrawn or draft item never
shows even if the index were stale), in order after the cursor and stopped at the page size (the
title tier first, the other tier only when the page is not full); then those items.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from . import segment
from .models import Item, State, Topic
from .segment import Term
from .selectors import published_items

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


Span = tuple[date, date]  # the first and last 发布日期 a search is limited to (its year)


class Backend(Protocol):
    def write(self, item_id: int, published_on: date, title: Sequence[str], body: Sequence[str]) -> None: ...
    def delete(self, item_id: int) -> None: ...
    def clear(self) -> None: ...
    def in_date_order(self) -> str:
        """Put the index rows in 发布日期 order where the database reads them faster so; says what it did."""
        ...
    def hits(self, terms: Sequence[Term]) -> tuple[str, list[Any]]:
        """SQL giving ``(id, tier)`` of every indexed item matching all ``terms``; tier 1 when its
        title alone matches them."""
        ...

    def ordered(self, terms: Sequence[Term], tier: int, items: tuple[str, list[Any]], after: tuple[date, int] | None,
                span: Span | None, n: int) -> list[int]:
        """Ids of the first ``n`` items of ``tier`` (1: the title alone matches all ``terms``; 0: the
        title and body together do, the title alone does not) among ``items`` (SQL giving ``id`` and
        ``published_on`` of the filtered items), newest first (发布日期, then id), after ``after``."""
        ...


def fts_key(published_on: date, item_id: int) -> int:
    """SQLite's index row key of an item: its 发布日期 in the high bits, its id in the low 32.

    FTS5 hands back matches in key order and can walk them backwards and stop, so with this key
    the newest matches come first without collecting and sorting all of them: a word found in half
    of 1,000,000 items costs what a rare one does.  (PostgreSQL's GIN index has no order; there the
    matches are asked for stretch by stretch of 发布日期, see :class:`PostgresBackend`.)
    """
    if not 0 < item_id < 1 << 32:
        raise ValueError(f"item id {item_id} does not fit the search index key (at most 2^32 - 1)")
    return published_on.toordinal() << 32 | item_id


_ID_MASK = (1 << 32) - 1


class SQLiteBackend:
    """FTS5 with the ``ascii`` tokenizer over space-separated tokens, keyed by :func:`fts_key`.

    ``catalogue_fts(title, body)`` holds every published item, ``catalogue_fts_title(title)`` the
    titles again (so that the title tier is a walk over title occurrences only, not over every
    occurrence of a word that is common in bodies), ``catalogue_fts_key`` each item's key (an
    item's 发布日期 may change; its old row is found by this).
    """

    def write(self, item_id: int, published_on: date, title: Sequence[str], body: Sequence[str]) -> None:
        key = fts_key(published_on, item_id)
        self.delete(item_id)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO catalogue_fts_key (item_id, key) VALUES (%s, %s)", [item_id, key])
            cursor.execute("INSERT INTO catalogue_fts (rowid, title, body) VALUES (%s, %s, %s)",
                           [key, " ".join(title), " ".join(body)])
            cursor.execute("INSERT INTO catalogue_fts_title (rowid, title) VALUES (%s, %s)", [key, " ".join(title)])

    def delete(self, item_id: int) -> None:
        with connection.cursor() as cursor:
            for table in ("catalogue_fts", "catalogue_fts_title"):
                cursor.execute(f"DELETE FROM {table} WHERE rowid = "
                               "(SELECT key FROM catalogue_fts_key WHERE item_id = %s)", [item_id])
            cursor.execute("DELETE FROM catalogue_fts_key WHERE item_id = %s", [item_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            for table in ("catalogue_fts", "catalogue_fts_title", "catalogue_fts_key"):
                cursor.execute(f"DELETE FROM {table}")

    def in_date_order(self) -> str:
        return "SQLite: nothing to do (its index keys are in date order already)"

    @staticmethod
    def expression(terms: Sequence[Term]) -> str:
        def quote(s: str) -> str:
            return '"' + s.replace('"', '""') + '"'

        parts = []
        for t in terms:
            if t.parts:
                parts.append(f"({quote(t.word)} OR ({' AND '.join(quote(p) for p in t.parts)}))")
            else:
                parts.append(quote(t.word))
        return " AND ".join(parts)

    def hits(self, terms: Sequence[Term]) -> tuple[str, list[Any]]:
        expr = self.expression(terms)
        # the title matches are one more FTS query, evaluated once (an uncorrelated IN)
        return (f"SELECT rowid & {_ID_MASK} AS id, CASE WHEN rowid IN "
                "(SELECT rowid FROM catalogue_fts_title WHERE catalogue_fts_title MATCH %s)"
                " THEN 1 ELSE 0 END AS tier FROM catalogue_fts WHERE catalogue_fts MATCH %s", [expr, expr])

    def ordered(self, terms: Sequence[Term], tier: int, items: tuple[str, list[Any]], after: tuple[date, int] | None,
                span: Span | None, n: int) -> list[int]:
        expr = self.expression(terms)
        if tier:
            table, match = "catalogue_fts_title", expr
        else:  # FTS5 steps the NOT side along with the walk: no list of every title match is made
            table, match = "catalogue_fts", f"({expr}) NOT {{title}} : ({expr})"
        items_sql, items_params = items
        # FTS5 is the outer loop, walking its keys downwards (ORDER BY rowid DESC is its own order);
        # each candidate's item row is looked up by primary key and tested against the filters
        sql = (f"SELECT f.rowid FROM {table} f INNER JOIN ({items_sql}) i ON i.id = (f.rowid & {_ID_MASK})"
               f" WHERE {table} MATCH %s")
        params: list[Any] = [*items_params, match]
        if after is not None:
            sql += " AND f.rowid < %s"
            params.append(fts_key(*after))
        if span is not None:  # a year: only that stretch of keys is walked
            sql += " AND f.rowid >= %s AND f.rowid < %s"
            params += [span[0].toordinal() << 32, (span[1].toordinal() + 1) << 32]
        with connection.cursor() as c:
            c.execute(f"{sql} ORDER BY f.rowid DESC LIMIT %s", [*params, n])
            return [int(key) & _ID_MASK for (key,) in c.fetchall()]


class PostgresBackend:
    """``tsvector`` columns from ``array_to_tsvector`` with GIN indexes; queries as literal tsquery."""

    def __init__(self) -> None:
        self._read_dates: tuple[_Dates | None] | None = None  # (the statistics of 发布日期,) once read

    def write(self, item_id: int, published_on: date, title: Sequence[str], body: Sequence[str]) -> None:
        document = list(dict.fromkeys([*title, *body]))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalogue_fts (item_id, published_on, title, document) "
                "VALUES (%s, %s, array_to_tsvector(%s::text[]), array_to_tsvector(%s::text[])) "
                "ON CONFLICT (item_id) DO UPDATE SET published_on = EXCLUDED.published_on, title = EXCLUDED.title,"
                " document = EXCLUDED.document",
                [item_id, published_on, list(title), document])

    def delete(self, item_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_fts WHERE item_id = %s", [item_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_fts")

    def in_date_order(self) -> str:
        """Rewrite the index table in date order (``CLUSTER``, as migration 0007 did), so that a
        stretch of dates lies on neighbouring pages.  Items published day by day keep that order by
        themselves; a bulk import of past years does not (a search then reads a page per row: on a
        1,000,000-item copy filled in random date order, the median search took 60 ms instead of
        10).  Locks the index while it runs (minutes at a million items): run it after such an import."""
        with connection.cursor() as cursor:
            cursor.execute("CLUSTER catalogue_fts USING catalogue_fts_by_date")
            cursor.execute("ANALYZE catalogue_fts")
            cursor.execute("SELECT correlation FROM pg_stats WHERE tablename = 'catalogue_fts' "
                           "AND attname = 'published_on'")
            row = cursor.fetchone()
        correlation = "" if row is None or row[0] is None else f" (correlation of rows and dates {row[0]:.2f})"
        return f"PostgreSQL: index rows rewritten in date order{correlation}"

    @staticmethod
    def expression(terms: Sequence[Term]) -> str:
        def quote(s: str) -> str:
            return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"

        parts = []
        for t in terms:
            if t.parts:
                parts.append(f"({quote(t.word)} | ({' & '.join(quote(p) for p in t.parts)}))")
            else:
                parts.append(quote(t.word))
        return " & ".join(parts)

    def hits(self, terms: Sequence[Term]) -> tuple[str, list[Any]]:
        expr = self.expression(terms)
        # the GIN index finds the documents; the title is tested on those rows only
        return ("SELECT item_id AS id, CASE WHEN title @@ %s::tsquery THEN 1 ELSE 0 END AS tier"
                " FROM catalogue_fts WHERE document @@ %s::tsquery", [expr, expr])

    # The first window of each tier is a probe: at most PROBE rows (a few milliseconds), read row
    # by row.  Each further window is sized to hold MARGIN times what the page still needs, by the
    # shares the windows so far measured (of rows matching, of matches the filters keep), and at
    # least GROWTH times the last; one that would cover more than WHOLE of the index covers the rest.
    MARGIN = 3
    GROWTH = 2
    WHOLE = 0.25
    PROBE = {1: 5_000, 0: 500}  # rows of the first window: titles, documents
    BATCH = 50  # matches looked up at first among the filtered items (then as many as their yield says)
    DATES_FROM_STATISTICS = True  # a window's lower end from the statistics of 发布日期 (_Dates), not by counting rows
    # A window is read row by row when that costs less than a GIN bitmap of the whole index's
    # matches ANDed with the window (what the planner does with any window).  A row costs about
    # ROW_US (a title is kept in the row; a document is TOASTed), a bitmap about GIN_MATCH_US a
    # match (more for a phrase, whose parts' lists are longer than its matches).  Measured at
    # 1,000,000 items: 55,685 titles in 17.6 ms; 991 documents in 6.4 ms, against 52 ms for the
    # bitmap of a phrase in 102,299 documents.
    ROW_US = {1: 0.35, 0: 6.5}
    GIN_MATCH_US = 0.5

    def ordered(self, terms: Sequence[Term], tier: int, items: tuple[str, list[Any]], after: tuple[date, int] | None,
                span: Span | None, n: int) -> list[int]:
        """The newest matches among ``items``, found window by window down the index's dates.

        A GIN index has no order, so asking it for every match and sorting them costs in
        proportion to the matches: seconds for a word in half of 1,000,000 items.  Instead the
        index rows are taken in windows of 发布日期 (``catalogue_fts_by_date``), newest first:
        the matches within the window below the cursor, then (if the page is not full yet) a
        longer window below that, and so on.  Within a window PostgreSQL either walks the rows
        and tests each, or ANDs the GIN bitmap of the query with the date range, whichever costs
        less (``ROW_US``, ``GIN_MATCH_US``).

        The first window is a short probe read row by row: a common word's page is found there,
        and otherwise it measures how many rows match.  The planner's estimate (``EXPLAIN``)
        is used only until a window has measured it: it multiplies the shares of a phrase's
        words as if they were independent, so it takes a phrase in 8% of the documents for one in
        0.5%.  Where a window of so many rows ends is read off the statistics of 发布日期 that
        ANALYZE keeps (:class:`_Dates`); without them, and above the last date they know of, by
        counting rows down the date index (``_nth_below``: 30 ms for 160,000 rows).  A wrong
        estimate costs a longer window or a few more, never a wrong page: every window is exact.
        """
        expr = self.expression(terms)
        match = "f.title @@ %s::tsquery" if tier else "f.document @@ %s::tsquery AND NOT f.title @@ %s::tsquery"
        match_params = [expr] if tier else [expr, expr]
        found: list[int] = []
        upper = after
        with connection.cursor() as c, _PlannerSettings(c) as planner:
            rows, share = self._estimates(c, match, match_params)  # share: of the index's rows, matching
            kept = 1.0  # of the matches, the share that the filters keep
            dates = self._dates(c)
            size, probe = max(1, min(math.ceil(self.MARGIN * n / share), self.PROBE[tier])), True
            while True:
                if size >= rows * self.WHOLE:
                    lower = None
                elif dates is not None and dates.cover(upper, span):
                    lower = dates.lower_end(upper, span, size)
                else:
                    lower = self._nth_below(c, upper, span, size)
                planner.bitmaps(lower is None or not (
                    probe or size * self.ROW_US[tier] <= share * rows * self.GIN_MATCH_US))
                candidates = self._matches_between(c, match, match_params, lower, upper, span)
                got = self._newest_of(c, items, candidates, n - len(found)) if candidates else []
                found += got
                if len(found) >= n or lower is None:
                    return found
                # what this window measured (all its candidates were looked up: the page is not full)
                if candidates:
                    share = len(candidates) / size
                    kept = len(got) / len(candidates) if got else min(kept, 1 / len(candidates))
                else:
                    share = min(share, 1 / size)
                wanted = math.ceil(self.MARGIN * (n - len(found)) / (share * kept))
                upper, size, probe = lower, max(size * self.GROWTH, wanted), False

    def _dates(self, c: Any) -> _Dates | None:
        """The statistics of 发布日期 (read once for the two tiers of a search: 1 ms, the view is not simple)."""
        if not self.DATES_FROM_STATISTICS:
            return None
        if self._read_dates is None:
            self._read_dates = (_Dates.read(c),)
        return self._read_dates[0]

    def _estimates(self, c: Any, match: str, match_params: list[Any]) -> tuple[float, float]:
        """Rows in the index, and the share of them matching, by the planner's estimates."""
        def estimate(sql: str, params: list[Any]) -> float:
            c.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = c.fetchone()[0]
            return float((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"])

        rows = max(estimate("SELECT 1 FROM catalogue_fts f", []), 1.0)
        matching = estimate(f"SELECT 1 FROM catalogue_fts f WHERE {match}", match_params)
        return rows, min(max(matching, 1.0) / rows, 1.0)

    @staticmethod
    def _range(upper: tuple[date, int] | None, span: Span | None) -> tuple[str, list[Any]]:
        """SQL conditions (after ``WHERE TRUE``) for index rows below ``upper`` and within ``span``."""
        sql, params = "", []
        if upper is not None:
            sql += " AND (f.published_on, f.item_id) < (%s, %s)"
            params += list(upper)
        if span is not None:
            sql += " AND f.published_on BETWEEN %s AND %s"
            params += list(span)
        return sql, params

    def _nth_below(self, c: Any, upper: tuple[date, int] | None, span: Span | None,
                   size: int) -> tuple[date, int] | None:
        """(发布日期, id) of the ``size``-th index row below ``upper`` (from the date index alone), or
        None when there are fewer: the lower end of a window of ``size`` rows."""
        cond, params = self._range(upper, span)
        c.execute(f"SELECT f.published_on, f.item_id FROM catalogue_fts f WHERE TRUE{cond}"
                  " ORDER BY f.published_on DESC, f.item_id DESC OFFSET %s LIMIT 1", [*params, size - 1])
        row = c.fetchone()
        return None if row is None else (row[0], int(row[1]))

    def _matches_between(self, c: Any, match: str, match_params: list[Any], lower: tuple[date, int] | None,
                         upper: tuple[date, int] | None, span: Span | None) -> list[int]:
        """Ids of the index rows in [``lower``, ``upper``) matching ``match``, newest first."""
        cond, params = self._range(upper, span)
        if lower is not None:
            cond += " AND (f.published_on, f.item_id) >= (%s, %s)"
            params += list(lower)
        c.execute(f"SELECT f.item_id FROM catalogue_fts f WHERE {match}{cond}"
                  " ORDER BY f.published_on DESC, f.item_id DESC", [*match_params, *params])
        return [int(pk) for (pk,) in c.fetchall()]

    def _newest_of(self, c: Any, items: tuple[str, list[Any]], ids: list[int], n: int) -> list[int]:
        """The first ``n`` of ``ids`` (newest first) that are among the filtered ``items``.

        They are looked up by key a few at a time, from the newest: most matches pass the filters,
        so a page of them rarely needs more than the first lookup, however many matches the window
        holds.  (The index rows' dates are their items' dates: the services index an item again
        whenever it changes.)"""
        items_sql, items_params = items
        found: list[int] = []
        start, batch = 0, max(2 * n, self.BATCH)
        while start < len(ids) and len(found) < n:
            c.execute(f"SELECT w.id FROM ({items_sql}) w WHERE w.id = ANY(%s)"
                      " ORDER BY w.published_on DESC, w.id DESC LIMIT %s",
                      [*items_params, ids[start:start + batch], n - len(found)])
            found += [int(pk) for (pk,) in c.fetchall()]
            start += batch
            # the next lookup: as many as the share kept so far says the rest of the page needs (half
            # as many again), at least twice the last; 4 times the last while none was kept.  Each
            # looked-up id costs an item row read (7 µs), so a filter that keeps one match in 15
            # should not look up four times what it needs.
            need = n - len(found)
            batch = max(2 * batch, math.ceil(1.5 * need * start / len(found))) if found else 4 * batch
        return found


@dataclass(frozen=True)
class _Dates:
    """How the index rows spread over 发布日期, from the statistics ANALYZE keeps of the column
    (``pg_stats``): its most common dates with their shares of the rows, and a histogram whose
    neighbouring bounds hold equal shares of the other rows.  Enough to say where a window of a
    given number of rows below a date ends, without reading them (as the planner estimates a
    range).  Windows are whole days: their lower end is a date's first row."""

    rows: float  # rows in the index when the statistics were taken
    bounds: tuple[int, ...]  # the histogram's bounds, as day ordinals
    bucket: float  # the share of the rows between two neighbouring bounds
    common: tuple[tuple[int, float], ...]  # (day ordinal, share of the rows) of the most common dates

    @classmethod
    def read(cls, c: Any) -> _Dates | None:
        """The statistics of ``catalogue_fts.published_on``, or None before the first ANALYZE."""
        c.execute("SELECT c.reltuples, s.null_frac, s.histogram_bounds::text::date[],"
                  " s.most_common_vals::text::date[], s.most_common_freqs"
                  " FROM pg_class c JOIN pg_stats s ON s.schemaname = current_schema()"
                  " AND s.tablename = c.relname AND s.attname = 'published_on'"
                  " WHERE c.oid = 'catalogue_fts'::regclass")
        row = c.fetchone()
        if row is None or row[0] is None or row[0] <= 0:
            return None
        rows, nulls, bounds, common_days, common_shares = row
        common = tuple(sorted(zip((d.toordinal() for d in common_days or ()), common_shares or (), strict=True)))
        ordinals = tuple(d.toordinal() for d in bounds or ())
        rest = max(0.0, 1.0 - (nulls or 0.0) - sum(share for _, share in common))
        if len(ordinals) < 2:
            if not common:
                return None
            ordinals, rest = (), 0.0
        return cls(float(rows), ordinals, rest / max(len(ordinals) - 1, 1), common)

    def share_before(self, day: int) -> float:
        """The share of the rows published before ``day`` (a day ordinal)."""
        share = 0.0
        b = self.bounds
        if b and day > b[0]:
            i = bisect_right(b, day) - 1
            if i >= len(b) - 1:
                share = self.bucket * (len(b) - 1)
            else:  # within a bucket, rows spread evenly over its days (as the planner takes them)
                share = self.bucket * (i + (day - b[i]) / (b[i + 1] - b[i]))
        for d, s in self.common:
            if d >= day:
                break
            share += s
        return share

    def first_day(self) -> int:
        return min([*self.bounds[:1], *(d for d, _ in self.common[:1])])

    def cover(self, upper: tuple[date, int] | None, span: Span | None) -> bool:
        """Whether a window below ``upper`` (within ``span``) starts among the dates analysed: the
        newest rows, published since the last ANALYZE, are not in the statistics, and a window
        that holds them is found by counting (cheap for the few rows at the top)."""
        top = upper[0] if upper is not None else span[1] if span is not None else date.max
        return top.toordinal() < max([*self.bounds[-1:], *(d for d, _ in self.common)])

    def lower_end(self, upper: tuple[date, int] | None, span: Span | None, size: int) -> tuple[date, int] | None:
        """The lower end of a window of about ``size`` rows below ``upper`` within ``span``: the first
        row of a day, never ``upper`` itself (each window takes at least one row's place), or None
        when the window reaches the first row (the rest of the index, at once)."""
        bottom = span[0].toordinal() if span is not None else self.first_day()
        if upper is not None:
            top = upper[0].toordinal()
            highest = top if upper[1] > 0 else top - 1  # the latest day a window below upper can start on
        else:
            top = highest = span[1].toordinal() if span is not None else date.max.toordinal() - 1
        target = self.share_before(top + 1) - size / self.rows
        if highest < bottom or target <= self.share_before(bottom):
            return None
        lo, hi = bottom, highest  # the last day before which at most ``target`` of the rows lie
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.share_before(mid) <= target:
                lo = mid
            else:
                hi = mid - 1
        return None if lo <= bottom else (date.fromordinal(lo), 0)  # (from the bottom: the rest, at once)


class _PlannerSettings:
    """The planner settings of one PostgreSQL search, in a transaction (a savepoint inside a
    caller's) and put back as they were at the end.

    Never a whole-table read (the planner chooses one for a word it thinks common, where the GIN
    index plus the window is always cheaper): ``enable_seqscan`` is off throughout.  Bitmap scans
    are switched off (:meth:`bitmaps`) for a window read row by row.  ``set_config(…, true)``
    lasts until the end of the transaction: hence the transaction, and the restoring inside it.
    """

    NAMES = ("enable_seqscan", "enable_bitmapscan")

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.atomic = transaction.atomic()
        self.before: tuple[str, str] = ("on", "on")
        self.bitmap_scans = True

    def __enter__(self) -> _PlannerSettings:
        self.atomic.__enter__()
        self.cursor.execute("SELECT current_setting(%s), current_setting(%s), set_config(%s, 'off', true)",
                            [*self.NAMES, self.NAMES[0]])
        seqscan, bitmapscan, _ = self.cursor.fetchone()
        self.before = (seqscan, bitmapscan)
        self.bitmap_scans = bitmapscan == "on"
        return self

    def bitmaps(self, on: bool) -> None:
        if on != self.bitmap_scans:
            self.cursor.execute("SELECT set_config(%s, %s, true)", [self.NAMES[1], "on" if on else "off"])
            self.bitmap_scans = on

    def __exit__(self, *exc: Any) -> None:
        try:
            if exc[0] is None:
                self.cursor.execute("SELECT set_config(%s, %s, true), set_config(%s, %s, true)",
                                    [self.NAMES[0], self.before[0], self.NAMES[1], self.before[1]])
        finally:
            self.atomic.__exit__(*exc)  # (on an error the savepoint is rolled back, and the settings with it)


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    raise NotImplementedError(f"catalogue search supports SQLite and PostgreSQL, not {connection.vendor}")


# -- keeping the index in step (called by the services, inside their transaction) ---------------

def index_item(item: Item) -> None:
    """Put ``item`` in the index if it is published, take it out otherwise."""
    if item.state != State.PUBLISHED:
        backend().delete(item.pk)
        return
    assert item.published_on is not None, "a published item has its 发布日期"
    backend().write(item.pk, item.published_on, segment.document_tokens(item.title),
                    segment.document_tokens(f"{item.summary}\n{item.body_text}"))


def unindex_item(item_id: int) -> None:
    backend().delete(item_id)


def rebuild_index(batch: int = 500) -> int:
    """Empty the index and index every published item again; returns how many."""
    b = backend()
    b.clear()
    n = 0
    published = Item.objects.filter(state=State.PUBLISHED).only("id", "state", "published_on", "title", "summary",
                                                                "body_text")
    # in date order: PostgreSQL then stores a stretch of dates on neighbouring pages (see in_date_order)
    for item in published.order_by("published_on", "id").iterator(chunk_size=batch):
        index_item(item)
        n += 1
    return n


# -- searching ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    item: Item
    in_title: bool  # the title alone matches the whole query (ranked first)
    title_html: str  # escaped, hits in <mark>
    snippet_html: str  # a passage of the summary or body around the first hit, escaped, hits in <mark>


@dataclass
class SearchPage:
    hits: list[Hit]
    next_cursor: str | None  # pass as ``after`` for the next page; None on the last page
    terms: list[Term] = field(default_factory=list)
    total: int | None = None  # only when asked for (``count=True``)


Cursor = tuple[int, date, int]  # (tier, 发布日期, id) of the last item shown
_CURSOR = re.compile(r"^([01])\.(\d{4}-\d{2}-\d{2})\.(\d+)$")


class CursorError(ValueError):
    """A pagination cursor that this module did not make."""


def _cursor(hit_tier: int, item: Item) -> str:
    assert item.published_on is not None
    return f"{hit_tier}.{item.published_on.isoformat()}.{item.pk}"


def _parse_cursor(cursor: str) -> Cursor:
    m = _CURSOR.match(cursor)
    if not m:
        raise CursorError(f"无效的翻页参数 {cursor!r}")
    try:
        return int(m.group(1)), date.fromisoformat(m.group(2)), int(m.group(3))
    except ValueError as exc:
        raise CursorError(f"无效的翻页参数 {cursor!r}") from exc


def _matching(terms: Sequence[Term], qs: QuerySet[Item], cursor: Cursor | None, span: Span | None, n: int,
              count: bool) -> tuple[list[tuple[int, int]], int | None]:
    """(id, tier) of the next ``n`` matches after ``cursor`` among the filtered items, in (tier,
    发布日期, id) order, descending: the title tier first, then the rest, each a walk of the
    backend's that stops at ``n`` (so a word found in half the catalogue costs what a rare one does)."""
    b = backend()
    # the filtered items as a table that the backend joins to its matches (never ``i.id IN (…)``:
    # SQLite would build that list of every published item first)
    items_sql, items_params = qs.order_by().values("id", "published_on").query.sql_with_params()
    items = (items_sql, list(items_params))
    total = None
    if count:
        hits_sql, hits_params = b.hits(terms)
        with connection.cursor() as c:
            c.execute(f"SELECT COUNT(*) FROM ({hits_sql}) m INNER JOIN ({items[0]}) i ON i.id = m.id",
                      [*hits_params, *items[1]])
            total = int(c.fetchone()[0])
    found: list[tuple[int, int]] = []
    for tier in (1, 0):
        if cursor is not None and cursor[0] < tier:
            continue  # the cursor is past this tier
        after = (cursor[1], cursor[2]) if cursor is not None and cursor[0] == tier else None
        found += [(pk, tier) for pk in b.ordered(terms, tier, items, after, span, n - len(found))]
        if len(found) == n:
            break
    return found, total


def _listing(qs: QuerySet[Item], cursor: Cursor | None, n: int,
             count: bool) -> tuple[list[tuple[int, int]], int | None]:
    """No words to look for: the filtered items, newest first (all tier 0)."""
    total = qs.count() if count else None
    if cursor is not None:
        _, day, pk = cursor
        qs = qs.filter(Q(published_on__lt=day) | Q(published_on=day, pk__lt=pk))
    ids = qs.order_by("-published_on", "-id").values_list("id", flat=True)[:n]
    return [(pk, 0) for pk in ids], total


def search(query: str, *, agency_ids: Iterable[int] | None = None, article20_item: int | None = None,
           topic: Topic | int | None = None, year: int | None = None, validity: str | None = None,
           on: date | None = None, after: str | None = None, limit: int = DEFAULT_LIMIT,
           count: bool = False) -> SearchPage:
    """One page of published items matching ``query`` (every word of it; see :mod:`segment`).

    Title matches first, then newest first.  ``after`` is the ``next_cursor`` of the previous
    page (:class:`CursorError` if it is not one).  An empty query lists the filtered items,
    newest first.  ``count=True`` also counts all matches (one more query).
    """
    limit = max(1, min(limit, MAX_LIMIT))
    terms = segment.query_terms(query)
    qs = published_items(agency_ids=agency_ids, article20_item=article20_item, topic=topic, year=year,
                         validity=validity, on=on)
    for term in terms:
        if term.verbatim:  # the index finds texts with all its characters; keep those that hold it
            qs = qs.filter(Q(title__contains=term.word) | Q(summary__contains=term.word)
                           | Q(body_text__contains=term.word))
    cursor = _parse_cursor(after) if after else None
    if terms:
        span = (date(year, 1, 1), date(year, 12, 31)) if year is not None else None
        page, total = _matching(terms, qs, cursor, span, limit + 1, count)
    else:
        page, total = _listing(qs, cursor, limit + 1, count)
    more = len(page) > limit
    page = page[:limit]
    found = Item.objects.select_related("agency", "topic").defer("body").in_bulk([pk for pk, _ in page])
    rows = [(found[pk], tier) for pk, tier in page]
    hits = []
    for item, tier in rows:
        text = item.body_text if not item.summary else f"{item.summary} {item.body_text}"
        hits.append(Hit(item=item, in_title=bool(tier), title_html=segment.highlight(item.title, terms),
                        snippet_html=segment.snippet(text, terms)))
    next_cursor = _cursor(rows[-1][1], rows[-1][0]) if more and rows else None
    return SearchPage(hits=hits, next_cursor=next_cursor, terms=terms, total=total)
