"""Storage plumbing under the batch ingest: driver-level inserts and the WAL checkpointer."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.exc import IntegrityError, StatementError

from nseers.db.base import Base
from nseers.db.bulk import COPY_FROM, insert_rows
from nseers.db.engine import create_database_engine
from nseers.registry.encounters import Encounter

PERSON = {"id": 1, "surname": "QUINTERO", "given_names": "ANA", "date_of_birth": date(1980, 2, 29),
          "sex": "F", "created_at": datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)}


def _encounter(row_id: int, occurred_at: datetime, **extra: Any) -> dict[str, Any]:
    return {"id": row_id, "person_id": 1, "kind": "arrival", "outcome": "admitted",
            "port_code": "JFK", "mode": "air", "occurred_at": occurred_at,
            "occurred_on": occurred_at.date(), "officer": "officer1", "admission_class": "B2",
            "admit_until": date(2026, 7, 1), "duration_of_status": False,
            "refusal_reason": None, "document_id": None, "policy_version": "v1",
            "determinations": {"i94": {"outcome": "required", "values": [1, "a", None]}}
            } | extra


def _stored(database: DatabaseEngine, table: str) -> list[tuple[Any, ...]]:
    with database.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(
            f"SELECT * FROM {table} ORDER BY id")]  # noqa: S608 - a fixed table name


def test_insert_rows_stores_exactly_what_sqlalchemy_would(database: DatabaseEngine) -> None:
    """Rows written by the driver-level path are byte-for-byte SQLAlchemy's rows, so the
    ORM reads them back and compares them with bound parameters the same way."""
    persons, encounters = Base.metadata.tables["persons"], Base.metadata.tables["encounters"]
    eastern = timezone(timedelta(hours=-5))
    with database.begin() as connection:
        connection.execute(persons.insert(), [PERSON])
        connection.execute(encounters.insert(), [
            _encounter(1, datetime(2026, 3, 1, 9, 30, tzinfo=eastern)),
            _encounter(2, datetime(2026, 3, 2, 9, 30, 0, 15, tzinfo=UTC),
                       duration_of_status=True, admit_until=None, determinations=None)])
    by_sqlalchemy = _stored(database, "encounters")
    with database.begin() as connection:
        connection.execute(encounters.delete())
        insert_rows(connection, encounters, [
            _encounter(1, datetime(2026, 3, 1, 9, 30, tzinfo=eastern)),
            _encounter(2, datetime(2026, 3, 2, 9, 30, 0, 15, tzinfo=UTC),
                       duration_of_status=True, admit_until=None, determinations=None)])
    assert _stored(database, "encounters") == by_sqlalchemy
    with database.connect() as connection:
        found = connection.execute(select(Encounter.__table__.c.id).where(
            Encounter.__table__.c.occurred_at == datetime(2026, 3, 1, 14, 30, tzinfo=UTC)))
        assert [row.id for row in found] == [1]


def _many_encounters(count: int = COPY_FROM + 8) -> list[dict[str, Any]]:
    eastern = timezone(timedelta(hours=-5))
    return [_encounter(i, datetime(2026, 3, 1, 9, 30, i, i * 7, tzinfo=eastern if i % 2 else UTC),
                       **({"duration_of_status": True, "admit_until": None,
                           "determinations": None, "refusal_reason": "a\ttab, a \\ and \n"}
                          if i % 3 == 0 else {}))
            for i in range(1, count + 1)]


@pytest.mark.parametrize("count", [1, 2, COPY_FROM - 1, COPY_FROM, COPY_FROM + 8])
def test_a_batch_of_any_size_is_stored_exactly_as_sqlalchemy_would(
        database: DatabaseEngine, count: int) -> None:
    """From ``COPY_FROM`` rows PostgreSQL takes them by COPY, below it by one INSERT of
    them all: either way SQLAlchemy's rows (JSON, instants in UTC, nulls, tabs, backslashes
    and newlines in text)."""
    persons, encounters = Base.metadata.tables["persons"], Base.metadata.tables["encounters"]
    with database.begin() as connection:
        connection.execute(persons.insert(), [PERSON])
        connection.execute(encounters.insert(), _many_encounters(count))
    by_sqlalchemy = _stored(database, "encounters")
    assert len(by_sqlalchemy) == count
    with database.begin() as connection:
        connection.execute(encounters.delete())
        insert_rows(connection, encounters, _many_encounters(count))
    assert _stored(database, "encounters") == by_sqlalchemy


@pytest.mark.parametrize("count", [2, COPY_FROM + 8])
def test_a_key_taken_in_a_batch_is_an_integrity_error(database: DatabaseEngine,
                                                      count: int) -> None:
    persons, encounters = Base.metadata.tables["persons"], Base.metadata.tables["encounters"]
    with database.begin() as connection:
        connection.execute(persons.insert(), [PERSON])
        connection.execute(encounters.insert(), _many_encounters()[:1])
    with pytest.raises(IntegrityError), database.begin() as connection:
        insert_rows(connection, encounters, _many_encounters(count))
    assert [row[0] for row in _stored(database, "encounters")] == [1]


def test_insert_rows_refuses_a_naive_instant(database: DatabaseEngine) -> None:
    persons = Base.metadata.tables["persons"]
    with pytest.raises((ValueError, StatementError), match="time zone"), \
            database.begin() as connection:
        insert_rows(connection, persons, [PERSON | {"created_at": datetime(2026, 1, 1)}])  # noqa: DTZ001 - the point of the test
    assert _stored(database, "persons") == []


def _wal_frames(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_the_checkpointer_folds_the_log_into_the_database_after_commits(
        tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "nseers.db"
    shutil.copyfile(sqlite_template, path)
    database = create_database_engine(f"sqlite:///{path}")
    persons = Base.metadata.tables["persons"]
    size_before = path.stat().st_size
    try:
        with database.begin() as connection:
            insert_rows(connection, persons, [
                PERSON | {"id": n, "surname": "X" * 2000} for n in range(1, 2001)])
        # Wait for the whole copy, not its first page: the thread checkpoints in steps, and a
        # busy machine can delay it.
        deadline = time.monotonic() + 60
        while path.stat().st_size <= size_before + 2000 * 2000 \
                and time.monotonic() < deadline:
            time.sleep(0.02)
        # The rows reached the database file itself, with no commit doing the copying,
        # while the log stays in use (it is reset, not deleted, by the next writer).
        assert path.stat().st_size > size_before + 2000 * 2000
        assert _wal_frames(path) > 0
        with database.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM persons")).scalar_one() == 2000
    finally:
        database.dispose()


def test_disposing_the_engine_ends_the_checkpointer_and_its_connection(
        tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "nseers.db"
    shutil.copyfile(sqlite_template, path)
    # Only this engine's thread: another test's engine on a file of the same name may
    # still have one that ends when that engine is collected.
    earlier = set(threading.enumerate())
    database = create_database_engine(f"sqlite:///{path}")
    persons = Base.metadata.tables["persons"]
    with database.begin() as connection:
        insert_rows(connection, persons, [PERSON | {"id": 1, "surname": "DISPOSED"}])
    threads = [t for t in threading.enumerate()
               if t.name == f"checkpoint {path.name}" and t not in earlier]
    assert threads
    database.dispose()
    # Disposal waits for the thread: no connection is left open on the file, so it can be
    # copied whole (the log folded in by the last close) or removed at once.
    assert not any(t.is_alive() for t in threads)
    copy = tmp_path / "copy.db"
    shutil.copyfile(path, copy)
    copied = sqlite3.connect(copy)
    try:
        assert copied.execute("SELECT surname FROM persons").fetchall() == [("DISPOSED",)]
    finally:
        copied.close()
