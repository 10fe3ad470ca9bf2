"""PostgreSQL analyses the search index after 2% of its rows changed, not autovacuum's default 10%.

A search ends its windows where the statistics of 发布日期 put so many rows (``_Dates`` in
gongkai/catalogue/search.py); rows written since the last ANALYZE make a window longer than it
was meant to be.  Analysing the index table samples 30,000 rows whatever its size (well under a
second at 1,000,000 items), so doing it five times as often costs little.  SQLite is unchanged.
"""

import importlib

from django.db import migrations

VendorRunSQL = importlib.import_module("gongkai.catalogue.migrations.0002_search_index").VendorRunSQL


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0007_search_index_dates_postgresql"),
    ]

    operations = [
        VendorRunSQL("postgresql", ["ALTER TABLE catalogue_fts SET (autovacuum_analyze_scale_factor = 0.02)"],
                     ["ALTER TABLE catalogue_fts RESET (autovacuum_analyze_scale_factor)"]),
    ]
