"""PostgreSQL connections are pinged after sitting idle in the pool, not at every checkout.

A connection the server closed while it sat in the pool (a restart, an idle timeout,
an administrator's ``pg_terminate_backend``) must be replaced before a request meets it;
a connection handed straight back and out again under load needs no round trip first.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine as DatabaseEngine
from sqlalchemy.exc import OperationalError

from nseers.db import engine as db_engine
from nseers.db.engine import create_database_engine


@pytest.fixture
def pooled(postgres_url: str) -> Iterator[DatabaseEngine]:
    database = create_database_engine(postgres_url)
    try:
        yield database
    finally:
        database.dispose()


def _backend_of_the_pooled_connection(database: DatabaseEngine) -> int:
    with database.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(database: DatabaseEngine, pid: int) -> None:
    admin = create_database_engine(database.url.render_as_string(hide_password=False))
    try:
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}
                                      ).scalar_one()
    finally:
        admin.dispose()
    time.sleep(0.2)  # the server closes the socket


def test_a_connection_closed_while_idle_in_the_pool_is_replaced_unseen(
        pooled: DatabaseEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_engine, "PING_AFTER_IDLE_S", 0.1)
    pid = _backend_of_the_pooled_connection(pooled)
    _terminate(pooled, pid)
    with pooled.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid


def test_a_connection_back_in_the_pool_only_briefly_is_not_pinged(
        pooled: DatabaseEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    # Proof that no ping ran: the connection the server closed is handed out as it is, and
    # the statement meets the closed connection (the pool then replaces it for the next).
    monkeypatch.setattr(db_engine, "PING_AFTER_IDLE_S", 3600.0)
    pid = _backend_of_the_pooled_connection(pooled)
    _terminate(pooled, pid)
    with pytest.raises(OperationalError), pooled.connect() as connection:
        connection.execute(text("SELECT 1"))
    with pooled.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
