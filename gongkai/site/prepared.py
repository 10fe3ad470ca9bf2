"""A query built by the ORM once and run many times with another value.

Django builds the SQL of a queryset again every time it runs: for the public item page (five
joins and two EXISTS) that took longer than the database took to answer, on every request.
:class:`PreparedQuery` asks the ORM for the SQL once per database connection, with a marker in
place of the one value that changes, and then runs that SQL with the value put in its place.  The
rows go through the compiler's own converters (dates on SQLite, booleans of EXISTS, …), so a
row is what ``values_list`` would have returned.

The SQL is still the ORM's: a change to the models or to the queryset changes it with them, and
nothing here is written by hand for one database.

On PostgreSQL the statement is also prepared on the server, once per connection: planning a
query of six tables took ten times longer than running it.  Django's cursors bind parameters on
the client and never prepare, so this query runs on a psycopg cursor that binds on the server,
inside Django's cursor wrapper (errors, query logging and ``execute_wrapper`` as for any query).
``settings.PREPARED_STATEMENTS = False`` turns this off for connection poolers that cannot keep
prepared statements.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before a request's first query on a reused
connection, so that a connection the server dropped (a restart, a failover) is replaced instead
of failing the request.  When this query is the request's first, it is its own health check: it
only reads, so if it finds the connection broken it runs again on a new one — what the check would
have done, without a second round trip for every request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler


class _Marker(str):
    """The value the query is built with: found again among the compiled parameters by identity."""

    __slots__ = ()


@functools.cache
def _preparing_cursor_class() -> type:
    """psycopg's cursor that binds on the server, preparing every statement it runs (made once:
    psycopg is imported only where PostgreSQL is used)."""
    import psycopg

    class PreparingCursor(psycopg.Cursor):  # type: ignore[type-arg]
        def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                    binary: bool | None = None) -> Any:
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


def _cursor(connection: BaseDatabaseWrapper) -> CursorWrapper:
    """Django's cursor, or on PostgreSQL one that prepares its statements on the server."""
    if connection.vendor != "postgresql" or not getattr(settings, "PREPARED_STATEMENTS", True):
        return connection.cursor()
    # what Django's own cursor() does first: the health check (CONN_HEALTH_CHECKS), then connect
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = _preparing_cursor_class()(connection.connection)
    return _LoggedCursor(raw, connection) if connection.queries_logged else CursorWrapper(raw, connection)


class _LoggedCursor(CursorDebugWrapper):
    """Logs the statement with its values, as Django logs its own (psycopg keeps no text of a
    prepared statement's execution for Django's ``last_executed_query`` to read)."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(self.db.ops.compose_sql(sql, params)):
            return CursorWrapper.execute(self, sql, params)


class _Compiled(NamedTuple):
    compiler: SQLCompiler
    converters: dict[int, tuple[list[Any], Any]]  # column → the backend's and the field's converters
    sql: str
    params: tuple[Any, ...]
    at: int  # where the value goes among the parameters


class PreparedQuery:
    """The ``names`` (fields, lookups through relations, annotations) of ``build(value)``, compiled
    once per connection and run by :meth:`first`.

    ``build`` must use ``value`` exactly once, as a plain parameter (an ``exact`` lookup: a
    lookup that changes the value in Python, such as ``contains``, would hide it and is refused).
    """

    def __init__(self, build: Callable[[str], QuerySet[Any, Any]], names: tuple[str, ...]) -> None:
        self._build = build
        self.names = names
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = WeakKeyDictionary()

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        marker = _Marker("prepared-query-marker")
        queryset = self._build(marker).values_list(*self.names)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        where = [i for i, p in enumerate(params) if p is marker]
        if len(where) != 1:
            raise ValueError(f"the query uses its value {len(where)} times as a parameter; it must use it once, "
                             "as it is (an exact lookup)")
        converters = compiler.get_converters([expression for expression, _sql, _alias in compiler.select])
        return _Compiled(compiler, converters, sql, tuple(params), where[0])

    def first(self, value: str, using: str = "default") -> dict[str, Any] | None:
        """The first row for ``value`` as a dict of the queryset's names, or None."""
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        params = compiled.params
        row = _fetch_one(connection, compiled.sql, (*params[:compiled.at], value, *params[compiled.at + 1:]))
        if row is None:
            return None
        if compiled.converters:  # as the compiler's own results_iter() does
            row = next(compiled.compiler.apply_converters([row], compiled.converters))
        return dict(zip(self.names, row, strict=True))


def _fetch_one(connection: BaseDatabaseWrapper, sql: str, params: tuple[Any, ...]) -> Any:
    """The first row of a read-only query, the query standing in for the health check that Django
    would send before it (module docstring).  Outside a transaction only: a statement that fails
    inside one cannot be run again on another connection."""
    wrapper: Any = connection  # (health_check_* are not in django-stubs)
    check = (connection.connection is not None and wrapper.health_check_enabled
             and not wrapper.health_check_done and not connection.in_atomic_block)
    if check:
        wrapper.health_check_done = True  # (Django's own check would run at the cursor otherwise)

    def run() -> Any:
        with _cursor(connection) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    try:
        return run()
    except DatabaseError:
        if not check or connection.is_usable():
            raise  # the query failed, not the connection
        connection.close()
    return run()  # on a new connection
