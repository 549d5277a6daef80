"""Engines for the embedded SQLite store and for PostgreSQL.

SQLite runs in WAL mode so readers never block the writer, with foreign keys enforced, and
every transaction begins ``IMMEDIATE``: each service call writes at least an audit entry,
and taking the write lock up front turns a would-be deadlock between two writers into a
short wait.

A file database also gets a :class:`Checkpointer`: a thread that folds the write-ahead log
back into the database file after commits, so that no request pays for it. Left to
SQLite, the commit that crosses the log's size limit copies the log into the file and
syncs it; at a million encounters that was a quarter of the ingest time and the whole of
the timeline's slow tail.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from pathlib import Path
from typing import Any, Final

import orjson
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError

#: TCP keepalives on PostgreSQL connections: a peer that vanishes silently (a network cut,
#: not a refusal) is noticed after about idle + interval * count seconds, not hours.
KEEPALIVES: Final = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                     "keepalives_count": 3}


def create_database_engine(url: str, *, echo: bool = False, connect_timeout: float = 5.0,
                           statement_timeout_ms: int = 30_000) -> Engine:
    """An engine for ``url``; for SQLite the data directory is created if missing.

    On PostgreSQL a connection attempt gives up after ``connect_timeout`` seconds, a
    statement after ``statement_timeout_ms`` (0: never), a checkout from the full pool
    after ``connect_timeout`` too, and TCP keepalives (:data:`KEEPALIVES`, plus
    ``tcp_user_timeout`` so unacknowledged writes fail as fast) detect a silent network cut:
    a hanging database fails requests instead of freezing them.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, json_serializer=_json_text,
                               json_deserializer=orjson.loads,
                               connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        if parsed.database and parsed.database != ":memory:":
            Checkpointer(engine, Path(parsed.database)).start()
        return engine
    connect_args: dict[str, Any] = {
        "connect_timeout": max(1, round(connect_timeout)), **KEEPALIVES,
        "tcp_user_timeout": int(max(1.0, connect_timeout) * 1000)}
    if statement_timeout_ms:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    engine = create_engine(url, echo=echo, pool_size=10, max_overflow=10,
                           pool_timeout=max(1.0, connect_timeout), connect_args=connect_args,
                           json_serializer=_json_text, json_deserializer=orjson.loads)
    _ping_after_idle(engine)
    return engine


#: A pooled PostgreSQL connection back in the pool for longer than this is pinged before it
#: is handed out again (seconds).
PING_AFTER_IDLE_S: Final = 1.0


def _ping_after_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it sat idle, not at every checkout.

    SQLAlchemy's ``pool_pre_ping`` pings at every checkout: a round trip before every
    transaction and every session check, which under load (connections back in the pool
    for microseconds) only ever finds a live server. What it guards against, a connection
    the server closed while it sat in the pool (a restart, an idle timeout), needs time in
    the pool; so a connection idle past :data:`PING_AFTER_IDLE_S` is pinged, and one that
    fails its ping is replaced, as with ``pool_pre_ping`` (``DisconnectionError`` makes the
    pool reconnect, up to three times). A server lost mid-use is noticed by the failing
    statement, which invalidates the pool's other connections too.
    """
    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # A connection that cannot answer a ping is of no use: the pool replaces it (a
            # server that is down then fails the new connection, with its own error).
            raise DisconnectionError from error


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
        # The checkpointer keeps the log short; this is only the limit at which a commit
        # checkpoints by itself, should the checkpointer fall behind.
        cursor.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A connection asked for AUTOCOMMIT (a single read: a session check) takes no
        # write lock: with it, every token check waited for the batch being written.
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")


#: Pages in the write-ahead log at which a committing connection checkpoints it itself.
AUTOCHECKPOINT_PAGES = 16384
#: How long the checkpointer lets commits accumulate before it folds them in.
CHECKPOINT_PAUSE_S = 0.05
#: How long disposing the engine waits for the checkpointer to close its connection.
STOP_TIMEOUT_S = 2.0


class Checkpointer:
    """Folds SQLite's write-ahead log into the database file on its own thread.

    It wakes when a transaction commits, waits briefly so that a burst of commits is
    folded in at once, and runs a ``PASSIVE`` checkpoint on its own connection: one that
    waits for no reader and blocks no writer. The thread ends when the engine is disposed
    or garbage-collected.
    """

    def __init__(self, engine: Engine, path: Path) -> None:
        self.path = path
        self.committed = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"checkpoint {path.name}",
                                       daemon=True)
        event.listen(engine, "commit", self._on_commit)
        event.listen(engine, "engine_disposed", self._on_dispose)
        weakref.finalize(engine, self.stop)

    def start(self) -> None:
        """Start the thread."""
        self.thread.start()

    def stop(self) -> None:
        """Ask the thread to end. (The last connection to close checkpoints what is left:
        SQLite's own rule.)"""
        self.stopped.set()
        self.committed.set()

    def _on_commit(self, _connection: Any) -> None:
        self.committed.set()

    def _on_dispose(self, _engine: Any) -> None:
        # Wait for the thread to close its connection: whoever disposes the engine may
        # copy or delete the file next, and expects no connection left open on it.
        self.stop()
        if self.thread.is_alive() and threading.current_thread() is not self.thread:
            self.thread.join(timeout=STOP_TIMEOUT_S)

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            # The waits are bounded, so that a stop that lands between the checks is seen
            # at the next turn instead of leaving the thread (and its connection) waiting
            # for a commit that never comes.
            while not self.stopped.is_set():
                if not self.committed.wait(STOP_TIMEOUT_S / 4):
                    continue
                if self.stopped.wait(CHECKPOINT_PAUSE_S):
                    return
                self.committed.clear()
                try:
                    if connection is None:
                        # mode=rw: never create the file (a test's directory may be gone).
                        connection = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True,
                                                     check_same_thread=False, timeout=1,
                                                     isolation_level=None)
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    if not self.path.exists():
                        return  # the database went away
                    # Busy: another checkpoint ran; the next commit wakes us again.
        finally:
            if connection is not None:
                connection.close()
