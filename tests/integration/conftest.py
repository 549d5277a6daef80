"""The registry under test, on SQLite and on a real PostgreSQL server.

Each test run creates its own PostgreSQL database (``nseers_test_<pid>_<random>``) on the
server named by ``NSEERS_TEST_POSTGRES_URL`` (default: postgres on 127.0.0.1:5432) and
drops only that database at the end. Where no server answers, the PostgreSQL tests are
skipped with a message saying how to enable them, except in CI (``CI`` set), where they
must run and an unreachable server fails the run.

Between tests, SQLite gets a fresh copy of a migrated template file, and PostgreSQL has
its tables emptied (with triggers off, since the audit trail refuses deletion).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.engine import make_url

from nseers.db.base import Base
from nseers.db.engine import create_database_engine
from nseers.db.migrate import upgrade
from nseers.db.sequences import POSTGRESQL_SEQUENCES
from nseers.rules.engine import Engine
from nseers.services.context import Registry

ADMIN_URL = os.environ.get("NSEERS_TEST_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return NOW


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = create_database_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    fold_write_ahead_log(path)
    return path


def fold_write_ahead_log(path: Path) -> None:
    """Copy everything the write-ahead log holds into the database file itself, so that a
    copy of the file alone (each test's fresh database) is the whole migrated schema: the
    engine's checkpointer may still hold its connection, and with it the log, after the
    engine is disposed."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        connection.close()


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """A migrated database of this run's own on the test server, dropped afterwards.

    Skips (or, in CI, fails) with a message saying how to enable the PostgreSQL tests when
    no server answers.
    """
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except Exception as error:  # noqa: BLE001 - any failure to connect means "no server"
        admin.dispose()
        message = (f"PostgreSQL is not reachable at {make_url(ADMIN_URL).render_as_string()}: "
                   f"{type(error).__name__}. Start a server there or set "
                   f"NSEERS_TEST_POSTGRES_URL to an admin URL to run the PostgreSQL tests.")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = create_database_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with scratch_postgres_database("nseers_test") as url:
        yield url


def empty_postgres(database: DatabaseEngine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables
                       if t.name not in ("audit_head", "number_sequences"))
    with database.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(text("UPDATE audit_head SET seq = 0, hash = :h, keyed_from = 1"),
                           {"h": "0" * 64})
        connection.execute(text("UPDATE number_sequences SET next_value = 1"))
        for sequence in POSTGRESQL_SEQUENCES.values():
            connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseEngine]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "nseers.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        engine = create_database_engine(f"sqlite:///{path}")
    else:
        engine = create_database_engine(request.getfixturevalue("postgres_url"))
        empty_postgres(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def registry(database: DatabaseEngine, engine: Engine) -> Registry:
    return Registry(database=database, rules=engine, clock=fixed_clock)
