"""Migrations carry an existing search index over to its keys by 发布日期 without re-segmenting it:
0006 on SQLite, 0007 on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongkai.agencies.models import Role
from gongkai.catalogue import search
from gongkai.catalogue.models import Item
from tests.casekit import agency, staff
from tests.catalogkit import published

pytestmark = [pytest.mark.django_db(transaction=True)]

BEFORE, AFTER = ("catalogue", "0005_item_interpretations_lookup"), ("catalogue", "0006_search_index_by_date")
LATEST = ("catalogue", "0007_search_index_dates_postgresql")


def _migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


@pytest.fixture
def clean_index():
    """The index is no model of Django's: a transactional test's flush leaves its rows behind."""
    search.backend().clear()
    yield
    search.backend().clear()


@pytest.fixture
def two_items(clean_index) -> tuple[Item, Item]:
    """An item of 2019 and one of 2025, both published (so both in the index)."""
    gov = agency("QS", "青山县人民政府")
    clerk, head = staff("clerk", gov, Role.HANDLER), staff("head", gov, Role.APPROVER)
    old = published(gov, clerk, head, "关于做好防汛抗旱工作的通知", date(2019, 6, 1), "<p>汛期将至。</p>")
    new = published(gov, clerk, head, "防汛抗旱应急预案", date(2025, 5, 20), "<p>防汛抗旱指挥部。</p>")
    return old, new


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the index is re-keyed on SQLite only")
def test_the_index_of_an_existing_catalogue_is_carried_over(two_items) -> None:
    old, new = two_items
    _migrate(BEFORE)
    try:
        with connection.cursor() as c:  # the index as 0002 keeps it: rowid is the item's id
            c.execute("SELECT rowid FROM catalogue_fts ORDER BY rowid")
            assert [r for (r,) in c.fetchall()] == [old.pk, new.pk]
    finally:
        _migrate(LATEST)
    with connection.cursor() as c:
        c.execute("SELECT item_id, key FROM catalogue_fts_key ORDER BY item_id")
        assert c.fetchall() == [(old.pk, search.fts_key(date(2019, 6, 1), old.pk)),
                                (new.pk, search.fts_key(date(2025, 5, 20), new.pk))]
        c.execute("SELECT rowid, title FROM catalogue_fts_title ORDER BY rowid")
        assert [r for r, _ in c.fetchall()] == [search.fts_key(date(2019, 6, 1), old.pk),
                                                search.fts_key(date(2025, 5, 20), new.pk)]
    assert [h.item.pk for h in search.search("防汛抗旱").hits] == [new.pk, old.pk]
    assert [h.item.pk for h in search.search("汛期").hits] == [old.pk]
    assert [h.item.pk for h in search.search("指挥部", year=2025).hits] == [new.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index learns its dates on PostgreSQL only")
def test_the_postgresql_index_learns_the_dates_of_its_items(two_items) -> None:
    old, new = two_items
    _migrate(AFTER)
    try:
        with connection.cursor() as c:  # the index as 0002 keeps it, and a row no item owns
            c.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'catalogue_fts'")
            assert "published_on" not in {name for (name,) in c.fetchall()}
            c.execute("INSERT INTO catalogue_fts (item_id, title, document)"
                      " SELECT %s, title, document FROM catalogue_fts WHERE item_id = %s", [new.pk + 1000, new.pk])
    finally:
        _migrate(LATEST)
    with connection.cursor() as c:
        c.execute("SELECT item_id, published_on FROM catalogue_fts ORDER BY item_id")
        assert c.fetchall() == [(old.pk, date(2019, 6, 1)), (new.pk, date(2025, 5, 20))]
    assert [h.item.pk for h in search.search("防汛抗旱").hits] == [new.pk, old.pk]
    assert [h.item.pk for h in search.search("汛期").hits] == [old.pk]
    assert [h.item.pk for h in search.search("指挥部", year=2025).hits] == [new.pk]
