"""A session check is one read in autocommit: it never waits for a batch being written.

Every request checks its token against the account (:mod:`nseers.services.sessions`). On
SQLite every transaction begins ``IMMEDIATE`` (it takes the write lock), so the check, as a
transaction, queued behind the arrivals batch holding the lock; in autocommit it reads the
last committed state at once, as WAL lets any reader.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine as DatabaseEngine

from integration.conftest import fixed_clock
from nseers.db.engine import create_database_engine
from nseers.rules.engine import Engine
from nseers.services.context import Registry
from nseers.services.sessions import session_state


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseEngine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/nseers.db"
        from nseers.db.migrate import upgrade  # noqa: PLC0415

        engine = create_database_engine(url)
        upgrade(engine)
    else:
        engine = create_database_engine(request.getfixturevalue("postgres_url"))
    try:
        yield engine
    finally:
        engine.dispose()


def test_a_session_check_answers_while_a_batch_holds_the_write_lock(
        database: DatabaseEngine, engine: Engine) -> None:
    registry = Registry(database=database, rules=engine, clock=fixed_clock)
    answers: list[object] = []
    with database.begin() as writer:  # a batch in flight: the write lock is held
        writer.execute(text("UPDATE audit_head SET seq = seq"))
        reader = threading.Thread(target=lambda: answers.append(
            session_state(registry, "nobody")))
        reader.start()
        reader.join(timeout=3)
        assert not reader.is_alive(), "the session check waited for the writer"
    assert answers == [None]
