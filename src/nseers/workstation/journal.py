"""The offline journal: a local SQLite file of signed, chained inspections.

Each entry is signed with HMAC-SHA256 under the workstation's key over its workstation id,
its sequence number, its idempotency key, the officer, when it was journaled, the arrival
and the MAC of the entry before it. So an entry changed, removed or moved is detected:

* changed: its MAC no longer matches;
* moved (two entries swapped): each MAC covers its own sequence, and the chain link to the
  entry before no longer holds;
* removed from the middle: a gap in the sequence and a broken link;
* removed from the end: the signed *head* (the last sequence and its MAC, signed too) names
  an entry that is not there.

Whether an entry has been forwarded is not signed: it is the workstation's bookkeeping,
set only after the central API has answered, and the central side keeps its own record of
what it received (``offline_forwards``), so a reset flag makes a re-send, not a duplicate.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

#: The ``previous_mac`` of the first entry (the central side uses the same).
GENESIS_MAC: Final = "0" * 64

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    workstation_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    mac TEXT NOT NULL,
    head_mac TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    sequence INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    officer TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    arrival TEXT NOT NULL,
    previous_mac TEXT NOT NULL,
    mac TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    forwarded_at TEXT,
    answer TEXT
);
"""


class JournalTamperedError(Exception):
    """The journal's chain does not verify: an entry was changed, removed or moved."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the offline journal does not verify: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Entry:
    """One journaled inspection."""

    sequence: int
    idempotency_key: str
    officer: str
    recorded_at: datetime
    arrival: dict[str, Any]
    previous_mac: str
    mac: str
    status: str
    answer: dict[str, Any] | None = None


class Journal:
    """The journal file of one workstation (made on first use)."""

    def __init__(self, path: Path, workstation_id: str, key: bytes) -> None:
        self.path = path
        self.workstation_id = workstation_id
        self._key = key
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)  # idempotent; its own transaction
        with self._connection() as db:
            row = db.execute("SELECT workstation_id FROM head").fetchone()
            if row is not None and row[0] != workstation_id:
                raise ValueError(f"{path} is the journal of workstation {row[0]}, "
                                 f"not {workstation_id}")

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends normally, else rolled back."""
        with closing(sqlite3.connect(self.path, isolation_level=None)) as db:
            db.execute("PRAGMA synchronous=FULL")  # an entry journaled survives a power cut
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # ------------------------------------------------------------------ signing
    def sign(self, sequence: int, idempotency_key: str, officer: str, recorded_at: str,
             arrival: dict[str, Any], previous_mac: str) -> str:
        """The entry's MAC: HMAC-SHA256 over its canonical JSON and its place."""
        text = json.dumps({"workstation_id": self.workstation_id, "sequence": sequence,
                           "idempotency_key": idempotency_key, "officer": officer,
                           "recorded_at": recorded_at, "arrival": arrival,
                           "previous_mac": previous_mac},
                          sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def _head_mac(self, sequence: int, mac: str) -> str:
        text = f"head:{self.workstation_id}:{sequence}:{mac}"
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    # ---------------------------------------------------------------- writing
    def append(self, idempotency_key: str, officer: str, recorded_at: datetime,
               arrival: dict[str, Any]) -> Entry:
        """Journal one inspection at the end of the chain."""
        with self._connection() as db:
            head = db.execute("SELECT sequence, mac FROM head").fetchone()
            sequence, previous = (1, GENESIS_MAC) if head is None else (head[0] + 1, head[1])
            when = recorded_at.isoformat()
            mac = self.sign(sequence, idempotency_key, officer, when, arrival, previous)
            db.execute("INSERT INTO entries (sequence, idempotency_key, officer, recorded_at, "
                       "arrival, previous_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (sequence, idempotency_key, officer, when,
                        json.dumps(arrival, sort_keys=True), previous, mac))
            db.execute("INSERT OR REPLACE INTO head (id, workstation_id, sequence, mac, "
                       "head_mac) VALUES (1, ?, ?, ?, ?)",
                       (self.workstation_id, sequence, mac, self._head_mac(sequence, mac)))
        return Entry(sequence, idempotency_key, officer, recorded_at, arrival, previous, mac,
                     "pending")

    def mark_forwarded(self, sequence: int, answer: dict[str, Any], at: datetime) -> None:
        """Record the central API's answer to an entry (only once it has answered)."""
        with self._connection() as db:
            db.execute("UPDATE entries SET status = 'forwarded', forwarded_at = ?, answer = ? "
                       "WHERE sequence = ?", (at.isoformat(), json.dumps(answer), sequence))

    # ---------------------------------------------------------------- reading
    def entries(self, status: str | None = None) -> list[Entry]:
        """The entries in order (``pending`` or ``forwarded`` ones only, if asked)."""
        query = ("SELECT sequence, idempotency_key, officer, recorded_at, arrival, "
                 "previous_mac, mac, status, answer FROM entries")
        arguments: tuple[str, ...] = ()
        if status is not None:
            query += " WHERE status = ?"
            arguments = (status,)
        with self._connection() as db:
            rows = db.execute(query + " ORDER BY sequence", arguments).fetchall()
        return [Entry(row[0], row[1], row[2], datetime.fromisoformat(row[3]),
                      json.loads(row[4]), row[5], row[6], row[7],
                      json.loads(row[8]) if row[8] else None) for row in rows]

    def pending(self) -> list[Entry]:
        """The entries not yet forwarded, in order."""
        return self.entries("pending")

    def verify(self) -> list[str]:
        """Every problem of the chain, in words; empty when it verifies."""
        with self._connection() as db:
            head = db.execute("SELECT sequence, mac, head_mac FROM head").fetchone()
            rows = db.execute("SELECT sequence, idempotency_key, officer, recorded_at, "
                              "arrival, previous_mac, mac FROM entries ORDER BY sequence"
                              ).fetchall()
        problems = []
        previous = GENESIS_MAC
        for expected, row in enumerate(rows, start=1):
            sequence, key, officer, when, arrival, previous_mac, mac = row
            if sequence != expected:
                problems.append(f"entry {expected} is missing (the next one is {sequence})")
            if previous_mac != previous:
                problems.append(f"entry {sequence} does not follow the entry before it")
            if not hmac.compare_digest(mac, self.sign(sequence, key, officer, when,
                                                      json.loads(arrival), previous_mac)):
                problems.append(f"entry {sequence} was changed after it was signed")
            previous = mac
        if head is None:
            if rows:
                problems.append("the journal's head is missing")
            return problems
        if not hmac.compare_digest(head[2], self._head_mac(head[0], head[1])):
            problems.append("the journal's head was changed")
        last = rows[-1] if rows else None
        if last is None or last[0] != head[0] or last[6] != head[1]:
            problems.append(f"the journal ends before its head (entry {head[0]}): "
                            f"entries were removed from its end")
        return problems

    def check(self) -> None:
        """Raise :class:`JournalTamperedError` unless the chain verifies."""
        problems = self.verify()
        if problems:
            raise JournalTamperedError(problems)
