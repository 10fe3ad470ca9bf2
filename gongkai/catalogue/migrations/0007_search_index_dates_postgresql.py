"""PostgreSQL's search index learns each item's 发布日期 (see ``PostgresBackend`` in
gongkai/catalogue/search.py).

With ``published_on`` and a btree on (published_on, item_id) beside the GIN index, a search asks
PostgreSQL for the matches within a stretch of the newest items: the two indexes' bitmaps are
ANDed and only the matches in that stretch are read from the table, instead of every match.
Existing rows get the date of their item and are rewritten in date order.  SQLite is unchanged (its keys hold the date already).
"""

import importlib

from django.db import migrations

VendorRunSQL = importlib.import_module("gongkai.catalogue.migrations.0002_search_index").VendorRunSQL

FORWARD = [
    "ALTER TABLE catalogue_fts ADD COLUMN published_on date",
    "UPDATE catalogue_fts f SET published_on = i.published_on FROM catalogue_item i WHERE i.id = f.item_id",
    # an index row whose item has no date is not a published item's: it should not be there
    "DELETE FROM catalogue_fts WHERE published_on IS NULL",
    "ALTER TABLE catalogue_fts ALTER COLUMN published_on SET NOT NULL",
    "CREATE INDEX catalogue_fts_by_date ON catalogue_fts (published_on, item_id)",
    # rows in date order, so that a window's matches lie on neighbouring pages (new items, published
    # in date order, keep it roughly so); this also drops the old row versions the UPDATE left
    "CLUSTER catalogue_fts USING catalogue_fts_by_date",
    "ANALYZE catalogue_fts",
]

BACKWARD = [
    "DROP INDEX catalogue_fts_by_date",
    "ALTER TABLE catalogue_fts DROP COLUMN published_on",
]


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0006_search_index_by_date"),
    ]

    operations = [
        VendorRunSQL("postgresql", FORWARD, BACKWARD),
    ]
