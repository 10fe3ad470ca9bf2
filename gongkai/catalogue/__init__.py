"""The proactive-disclosure catalogue (主动公开, 条例 第十九条至第二十六条).

``models`` (items with their catalogue metadata, the event log, yearly figures), ``services``
(every change: the only writer), ``selectors`` (reads and warnings), ``numbering`` (索引号),
``search`` (Chinese full-text search, one interface over SQLite FTS5 and PostgreSQL tsvector),
``bodytext`` and ``segment`` (pure Python: sanitising HTML, jieba segmentation, snippets),
``importing`` (bulk import from .xlsx/.csv), ``figures`` (the yearly figures entered on the desk,
every change logged) and ``yearend`` (the annual report's 第二部分).
"""
