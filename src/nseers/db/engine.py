"""Engines for the embedded SQLite store and for PostgreSQL.

SQLite runs in WAL mode so readers never block the writer, with foreign keys enforced, and
every transaction begins ``IMMEDIATE``: each service call writes at least an audit entry,
and taking the write lock up front turns a would-be deadlock between two writers into a
short wait.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url


def create_database_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; for SQLite the data directory is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, json_serializer=_json_text,
                               json_deserializer=orjson.loads,
                               connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10,
                         json_serializer=_json_text, json_deserializer=orjson.loads)


def _json_text(value: Any) -> str:
    """JSON columns are written with orjson: the determinations of every encounter go
    through here, and the standard library's encoder was a tenth of the ingest time."""
    return orjson.dumps(value).decode()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # A registry outgrows SQLite's 2 MB default page cache quickly; 64 MB keeps the
        # indexes a batch and a timeline query touch in memory.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
