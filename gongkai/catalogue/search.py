"""Chinese full-text search over the published catalogue: one interface, two database backends.

Text is cut into words by :mod:`gongkai.catalogue.segment` (jieba) before it reaches the
database, for documents and queries alike, so the database only matches whole tokens:

* SQLite: an FTS5 virtual table ``catalogue_fts(title, body)`` whose rowid is the item's id,
  with the ``ascii`` tokenizer (it takes the space-separated jieba tokens as they are);
* PostgreSQL: a table ``catalogue_fts(item_id, title, document)`` of ``tsvector`` columns built
  with ``array_to_tsvector`` (the tokens verbatim: no parser, no stemming, no stop words — what
  the ``simple`` configuration is usually used for, without its parser re-cutting tokens),
  with GIN indexes on both.

Both are created by migration ``0002_search_index`` (each only on its own database) and kept in
step by :mod:`gongkai.catalogue.services` inside the transaction of every change: an item is in
the index exactly while it is published.  ``manage.py catalogue_reindex`` rebuilds it.

Results are the same on both databases, order included, because ranking is defined here rather
than by either database's scoring: items whose title alone matches the whole query come first,
then the rest; within each, the newest first (发布日期, then id).  That order is also the key for
keyset pagination, so the 500th page costs what the first does (``bench/catalogue_search.py``).

A page is two queries: the backend's matches (id and tier) joined to the items that pass the
filters (:func:`gongkai.catalogue.selectors.published_items`, so a withdrawn or draft item never
shows even if the index were stale), ordered and cut after the cursor; then those items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.db import connection
from django.db.models import Q, QuerySet

from . import segment
from .models import Item, State, Topic
from .segment import Term
from .selectors import published_items

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class Backend(Protocol):
    def write(self, item_id: int, title: Sequence[str], body: Sequence[str]) -> None: ...
    def delete(self, item_id: int) -> None: ...
    def clear(self) -> None: ...
    def hits(self, terms: Sequence[Term]) -> tuple[str, list[Any]]:
        """SQL giving ``(id, tier)`` of every indexed item matching all ``terms``; tier 1 when its
        title alone matches them."""
        ...


class SQLiteBackend:
    """FTS5 with the ``ascii`` tokenizer over space-separated tokens."""

    def write(self, item_id: int, title: Sequence[str], body: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_fts WHERE rowid = %s", [item_id])
            cursor.execute("INSERT INTO catalogue_fts (rowid, title, body) VALUES (%s, %s, %s)",
                           [item_id, " ".join(title), " ".join(body)])

    def delete(self, item_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_fts WHERE rowid = %s", [item_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_fts")

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
        return ("SELECT rowid AS id, CASE WHEN rowid IN (SELECT rowid FROM catalogue_fts WHERE catalogue_fts MATCH %s)"
                " THEN 1 ELSE 0 END AS tier FROM catalogue_fts WHERE catalogue_fts MATCH %s",
                ["{title} : (" + expr + ")", expr])


class PostgresBackend:
    """``tsvector`` columns from ``array_to_tsvector`` with GIN indexes; queries as literal tsquery."""

    def write(self, item_id: int, title: Sequence[str], body: Sequence[str]) -> None:
        document = list(dict.fromkeys([*title, *body]))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalogue_fts (item_id, title, document) "
                "VALUES (%s, array_to_tsvector(%s::text[]), array_to_tsvector(%s::text[])) "
                "ON CONFLICT (item_id) DO UPDATE SET title = EXCLUDED.title, document = EXCLUDED.document",
                [item_id, list(title), document])

    def delete(self, item_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_fts WHERE item_id = %s", [item_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_fts")

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
    backend().write(item.pk, segment.document_tokens(item.title),
                    segment.document_tokens(f"{item.summary}\n{item.body_text}"))


def unindex_item(item_id: int) -> None:
    backend().delete(item_id)


def rebuild_index(batch: int = 500) -> int:
    """Empty the index and index every published item again; returns how many."""
    b = backend()
    b.clear()
    n = 0
    for item in Item.objects.filter(state=State.PUBLISHED).only("id", "state", "title", "summary", "body_text") \
            .order_by("id").iterator(chunk_size=batch):
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


def _matching(terms: Sequence[Term], qs: QuerySet[Item], cursor: Cursor | None, n: int,
              count: bool) -> tuple[list[tuple[int, int]], int | None]:
    """(id, tier) of the next ``n`` matches after ``cursor``: the index's matches joined to the
    filtered items, in (tier, 发布日期, id) order, descending."""
    hits_sql, hits_params = backend().hits(terms)
    # The filtered items as a table joined to the matches (both databases fold it into the join,
    # testing each match's row by its key), not ``i.id IN (…)``: SQLite built that list of every
    # published item first — 3.8 s a query at 1,000,000 items, however few the matches.
    filter_sql, filter_params = qs.order_by().values("id", "published_on").query.sql_with_params()
    base = f"FROM ({hits_sql}) m INNER JOIN ({filter_sql}) i ON i.id = m.id WHERE 1 = 1"
    params: list[Any] = [*hits_params, *filter_params]
    total = None
    with connection.cursor() as c:
        if count:
            c.execute(f"SELECT COUNT(*) {base}", params)
            total = int(c.fetchone()[0])
        if cursor is not None:
            tier, day, pk = cursor
            base += (" AND (m.tier < %s OR (m.tier = %s AND (i.published_on < %s"
                     " OR (i.published_on = %s AND i.id < %s))))")
            params += [tier, tier, day, day, pk]
        c.execute(f"SELECT m.id, m.tier {base} ORDER BY m.tier DESC, i.published_on DESC, i.id DESC LIMIT %s",
                  [*params, n])
        return [(int(pk), int(tier)) for pk, tier in c.fetchall()], total


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
    cursor = _parse_cursor(after) if after else None
    if terms:
        page, total = _matching(terms, qs, cursor, limit + 1, count)
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
