"""The audit trail: append-only, hash-chained entries of who did what, in which role, why.

Every write, and every read of a person's record through the services, appends entries in
the same transaction as the work itself, so a rolled-back request leaves neither work nor
entry. Each entry's hash covers its content and the previous entry's hash; ``verify_chain``
recomputes the chain and reports an altered entry (its hash no longer matches), a deleted
entry (a gap in the sequence or a broken link) and a deleted tail (the head no longer
matches the last entry). Database triggers refuse updates and deletes, so tampering needs
someone who can drop them, and the chain still tells.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import BigInteger, Integer, String, Text, bindparam, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from nseers.core.actors import Actor
from nseers.db.base import Base
from nseers.db.bulk import insert_rows
from nseers.db.types import Json, UtcDateTime

GENESIS_HASH = "0" * 64
#: The columns an entry's hash covers, in order.
HASHED = ("seq", "at", "actor", "role", "purpose", "action", "subject", "person_id", "detail")


class AuditEntry(Base):
    """One attributable access to the registry."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(40))
    purpose: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80), index=True)
    subject: Mapped[str] = mapped_column(String(120))
    person_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(Json)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The single row holding the chain's last sequence number and hash (the lock point)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    #: The first entry chained with the keyed HMAC (earlier ones: plain SHA-256, written
    #: before revision 0003_issue16).
    keyed_from: Mapped[int | None] = mapped_column(BigInteger)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An entry waiting for its transaction to commit."""

    action: str
    subject: str
    person_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def entry_hash(content: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the canonical JSON of the entry's content and its predecessor's hash.

    ``content`` holds the entry's columns from ``seq`` to ``detail`` (:data:`HASHED`).
    """
    canonical = orjson.dumps([[content[name] for name in HASHED], prev_hash],
                             option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.sha256(canonical).hexdigest()


_HEAD = AuditHead.__table__
#: The chain's head, locked; and its move to the last entry appended (built once: these run
#: in every transaction).
_LOCK_HEAD = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()
_MOVE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1)  # type: ignore[arg-type]
              .values(seq=bindparam("new_seq"), hash=bindparam("new_hash")))


def append_entries(session: Session, actor: Actor, at: datetime,
                   records: list[AuditRecord]) -> None:
    """Chain ``records`` onto the trail inside the caller's transaction.

    The head row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite transactions
    already hold the write lock), so concurrent transactions chain one after the other.
    """
    if not records:
        return
    connection = session.connection()
    seq, prev = connection.execute(_LOCK_HEAD).one()
    username, role, purpose = actor.username, actor.role.value, actor.stated_purpose
    rows = []
    for record in records:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq, "at": at, "actor": username, "role": role, "purpose": purpose,
            "action": record.action, "subject": record.subject,
            "person_id": record.person_id, "detail": record.detail}
        row["prev_hash"], row["hash"] = prev, entry_hash(row, prev)
        rows.append(row)
        prev = row["hash"]
    insert_rows(connection, AuditEntry.__table__, rows)  # type: ignore[arg-type]
    connection.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": prev})


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """Where the chain is broken and how."""

    seq: int
    message: str


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The outcome of ``verify_chain``."""

    entries: int
    problems: tuple[ChainProblem, ...]

    @property
    def intact(self) -> bool:
        """Whether no entry was altered or deleted."""
        return not self.problems


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Recompute every hash in sequence order and compare with the head."""
    problems: list[ChainProblem] = []
    expected_seq, prev = 1, GENESIS_HASH
    count = 0
    for entry in _entries(session, batch):
        count += 1
        if entry.seq != expected_seq:
            problems.append(ChainProblem(
                expected_seq, f"entries {expected_seq} to {entry.seq - 1} are missing"))
        if entry.prev_hash != prev:
            problems.append(ChainProblem(entry.seq, "the link to the previous entry is broken"))
        content = {name: getattr(entry, name) for name in HASHED}
        digest = entry_hash(content, entry.prev_hash)
        if digest != entry.hash:
            problems.append(ChainProblem(entry.seq, "the entry was altered after it was written"))
        expected_seq, prev = entry.seq + 1, entry.hash
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    if head.seq != expected_seq - 1 or head.hash != prev:
        problems.append(ChainProblem(
            head.seq, f"the trail ends at entry {expected_seq - 1} but the head records entry "
                      f"{head.seq}: entries at the end were deleted or the head was altered"))
    return ChainReport(count, tuple(problems))


def _entries(session: Session, batch: int) -> Iterator[AuditEntry]:
    last = 0
    while True:
        chunk = session.execute(select(AuditEntry).where(AuditEntry.seq > last)
                                .order_by(AuditEntry.seq).limit(batch)).scalars().all()
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq
        session.expunge_all()
