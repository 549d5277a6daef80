"""Many rows into one table at once, as fast as the database driver takes them.

A batch of inspections writes a few thousand rows. Through SQLAlchemy's ``executemany``
each value passes a bind processor; on SQLite those for dates and times format through a
dictionary and were slower than the insert itself. :func:`insert_rows` converts each
column with a converter chosen once per table and hands plain tuples to the driver. The
stored text is the same as SQLAlchemy's, so the rows read back through the ORM and compare
with bound parameters exactly as before. PostgreSQL's driver takes dates, times and
booleans natively: there each column keeps SQLAlchemy's own bind processing (time zones),
chosen once per table, except JSON, which goes as the text of the engine's serializer (what
SQLAlchemy's wrapper would have the driver send); the tuples go to ``COPY``, or for a few
rows to one ``INSERT`` holding them all, without a compiled statement's per-row work.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Table, exc
from sqlalchemy.engine import Connection, Dialect

from nseers.db.types import UtcDateTime

Converter = Callable[[Any], Any]


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dictionaries with the same keys) into ``table``."""
    if not rows:
        return
    names = tuple(rows[0])
    converters = _converters(connection, table, names)
    if converters is None:  # a column SQLAlchemy must fill in (a Python-side default)
        connection.execute(table.insert(), rows)
        return
    # A converter also gets None: JSON columns store it as the JSON text null, as
    # SQLAlchemy does; the others return None for None.
    pick = itemgetter(*names)
    convert = [(index, f) for index, f in enumerate(converters) if f is not None]
    values: list[tuple[Any, ...]] = []
    for row in rows:
        value = list(pick(row)) if len(names) > 1 else [row[names[0]]]
        for index, f in convert:
            value[index] = f(value[index])
        values.append(tuple(value))
    columns = ", ".join(f'"{name}"' for name in names)
    insert = f'INSERT INTO "{table.name}" ({columns}) VALUES '  # noqa: S608 - names from the model
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(insert + f"({', '.join('?' for _ in names)})", values)
        return
    if len(values) >= COPY_FROM:
        _copy(connection, table, columns, values)
        return
    # A few rows: one statement holding them all, one round trip.
    marks = f"({', '.join('%s' for _ in names)})"
    connection.exec_driver_sql(insert + ", ".join(marks for _ in values),
                               tuple(item for value in values for item in value))


#: Rows from which PostgreSQL takes them by ``COPY`` (the driver formats them in C), and
#: below which one ``INSERT`` with every row's values: measured against the driver's
#: pipelined ``executemany`` (Python plus server CPU per row, issue 18), ``COPY`` costs
#: 13 µs a row at 16 rows against 22, and the one ``INSERT`` 18 µs a row at 4 rows against
#: 30 (``COPY``: 35); they cross at about 6. An API batch is some 14 rows a table.
COPY_FROM = 6


def _copy(connection: Connection, table: Table, columns: str,
          values: list[tuple[Any, ...]]) -> None:
    """``COPY`` the rows in, inside the connection's transaction; a refusal is raised as
    SQLAlchemy's own error (an ``IntegrityError`` for a key taken), as an ``INSERT``'s is."""
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            for value in values:
                copy.write_row(value)
    except connection.dialect.loaded_dbapi.Error as error:
        raise exc.DBAPIError.instance(statement, None, error,
                                      connection.dialect.loaded_dbapi.Error) from error


#: Converters per dialect (SQLite's JSON text comes from the engine's serializer), table
#: and columns given.
_CACHE: weakref.WeakKeyDictionary[Dialect, dict[tuple[str, tuple[str, ...]],
                                                tuple[Converter | None, ...] | None]] = \
    weakref.WeakKeyDictionary()


def _converters(connection: Connection, table: Table, names: tuple[str, ...]
                ) -> tuple[Converter | None, ...] | None:
    known = _CACHE.setdefault(connection.dialect, {})
    key = (table.name, names)
    if key in known:
        return known[key]
    found: tuple[Converter | None, ...] | None
    missing = [c for c in table.columns if c.name not in names and c.default is not None]
    if missing:
        found = None
    else:
        serialize = connection.dialect._json_serializer  # type: ignore[attr-defined]
        found = tuple(_converter(table.columns[name], connection, serialize) for name in names)
    known[key] = found
    return found


def _converter(column: Column[Any], connection: Connection,
               serialize: Callable[[Any], str]) -> Converter | None:
    kind = column.type
    if connection.dialect.name != "sqlite":
        impl = kind.dialect_impl(connection.dialect)
        if isinstance(impl, JSON):
            # The JSON text itself, which the server parses as SQLAlchemy's wrapped value
            # would be: the wrapper's dumper, looked up and called per value, cost more
            # than the serialising (issue 18; every encounter's determinations).
            return _json(impl, serialize)
        # SQLAlchemy's own processing, chosen once per column rather than run per row
        # through a compiled statement (the driver takes dates, times and booleans as is).
        return impl.bind_processor(connection.dialect)
    if isinstance(kind, UtcDateTime):
        return _utc_text
    if isinstance(kind, DateTime):
        return _naive_text
    if isinstance(kind, Date):
        return _date_text
    if isinstance(kind, Boolean):
        return _integer
    if isinstance(kind, JSON):
        return _json(kind, serialize)
    # Anything else keeps SQLAlchemy's own processing (None when the driver takes it as is).
    return kind.dialect_impl(connection.dialect).bind_processor(connection.dialect)


def _json(kind: JSON, serialize: Callable[[Any], str]) -> Converter:
    """JSON text; ``None`` is SQL NULL where the column says so, else the JSON ``null``
    (SQLAlchemy's rule)."""
    if kind.none_as_null:
        return lambda value: None if value is None else serialize(value)
    return serialize


def _date_text(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _integer(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _naive_text(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite storage format: always with six digits of microseconds.
    return None if value is None else value.isoformat(" ", "microseconds")


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("instants must carry a time zone")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")
