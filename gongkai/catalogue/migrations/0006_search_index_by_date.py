"""SQLite's search index keyed by 发布日期 (see ``fts_key`` in gongkai/catalogue/search.py).

The FTS5 rowid becomes ``ordinal(发布日期) << 32 | id`` so that FTS5, which returns matches in rowid
order, returns them newest first and a search stops after one page instead of sorting every match.
``catalogue_fts_key`` remembers each item's key; ``catalogue_fts_title`` holds the titles again for
the title tier.  Existing rows are carried over as they are (no re-segmenting).  PostgreSQL is
unchanged.  ``julianday(d) - 1721424.5`` is Python's ``date.toordinal()`` (0001-01-01 is 1).
"""

import importlib

from django.db import migrations

VendorRunSQL = importlib.import_module("gongkai.catalogue.migrations.0002_search_index").VendorRunSQL

FORWARD = [
    "CREATE TABLE catalogue_fts_key (item_id INTEGER PRIMARY KEY, key INTEGER NOT NULL)",
    "INSERT INTO catalogue_fts_key (item_id, key)"
    " SELECT f.rowid, (CAST(julianday(i.published_on) - 1721424.5 AS INTEGER) << 32) | f.rowid"
    " FROM catalogue_fts f INNER JOIN catalogue_item i ON i.id = f.rowid WHERE i.published_on IS NOT NULL",
    "CREATE VIRTUAL TABLE catalogue_fts_by_date USING fts5(title, body, tokenize = 'ascii')",
    "INSERT INTO catalogue_fts_by_date (rowid, title, body)"
    " SELECT k.key, f.title, f.body FROM catalogue_fts f INNER JOIN catalogue_fts_key k ON k.item_id = f.rowid"
    " ORDER BY k.key",
    "CREATE VIRTUAL TABLE catalogue_fts_title USING fts5(title, tokenize = 'ascii')",
    "INSERT INTO catalogue_fts_title (rowid, title) SELECT rowid, title FROM catalogue_fts_by_date ORDER BY rowid",
    "DROP TABLE catalogue_fts",
    "ALTER TABLE catalogue_fts_by_date RENAME TO catalogue_fts",
    "INSERT INTO catalogue_fts (catalogue_fts) VALUES ('optimize')",
    "INSERT INTO catalogue_fts_title (catalogue_fts_title) VALUES ('optimize')",
]

BACKWARD = [
    "CREATE VIRTUAL TABLE catalogue_fts_by_id USING fts5(title, body, tokenize = 'ascii')",
    "INSERT INTO catalogue_fts_by_id (rowid, title, body) SELECT rowid & 4294967295, title, body FROM catalogue_fts",
    "DROP TABLE catalogue_fts",
    "DROP TABLE catalogue_fts_title",
    "DROP TABLE catalogue_fts_key",
    "ALTER TABLE catalogue_fts_by_id RENAME TO catalogue_fts",
]


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0005_item_interpretations_lookup"),
    ]

    operations = [
        VendorRunSQL("sqlite", FORWARD, BACKWARD),
    ]
