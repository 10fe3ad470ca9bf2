"""The full-text index of published items (see gongkai/catalogue/search.py).

SQLite: an FTS5 virtual table over jieba tokens (the ``ascii`` tokenizer keeps them as they are).
PostgreSQL: tsvector columns built from the same tokens, with GIN indexes.
Each statement runs only on its own database; the other one skips it.  Kept in step by the
service layer; ``manage.py catalogue_reindex`` rebuilds it.
"""

from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that runs only when the database is ``vendor``."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, kwargs.pop("sql"), kwargs.pop("reverse_sql", None)], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        VendorRunSQL(
            "sqlite",
            "CREATE VIRTUAL TABLE catalogue_fts USING fts5(title, body, tokenize = 'ascii')",
            "DROP TABLE catalogue_fts",
        ),
        VendorRunSQL(
            "postgresql",
            [
                "CREATE TABLE catalogue_fts ("
                " item_id bigint PRIMARY KEY,"
                " title tsvector NOT NULL,"
                " document tsvector NOT NULL)",
                "CREATE INDEX catalogue_fts_document_gin ON catalogue_fts USING GIN (document)",
                "CREATE INDEX catalogue_fts_title_gin ON catalogue_fts USING GIN (title)",
            ],
            "DROP TABLE catalogue_fts",
        ),
    ]
