"""The audit trail: append-only, hash-chained entries of who did what, in which role, why.

Every write, and every read of a person's record through the services, appends entries in
the same transaction as the work itself, so a rolled-back request leaves neither work nor
entry. Each entry's hash covers its content and the previous entry's hash; ``verify_chain``
recomputes the chain and reports an altered entry (its hash no longer matches), a deleted
entry (a gap in the sequence or a broken link) and a deleted tail (the head no longer
matches the last entry). Database triggers refuse updates and deletes.

Against an insider with write access to the database (who can drop the triggers, rewrite
an entry, recompute the later hashes and move the head), the chain is keyed: each link is
an HMAC-SHA256 under a key that is *not* in the database (settings: ``NSEERS_AUDIT_KEY`` or
a key file beside the data), so hashes cannot be recomputed without the key; and its head
is anchored outside the database by signed checkpoints (:mod:`nseers.db.anchor`), so
cutting the tail or rebuilding the chain from scratch is caught too. Entries written before
revision ``0005_issue16`` keep their plain SHA-256 links (``keyed_from`` on the head says
where the keyed chain begins); the first checkpoint anchors them.
"""

from __future__ import annotations

import hashlib
import hmac
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
#: The key a registry chains with when none is configured (tests, throwaway databases). It
#: is public, so it protects nothing: :func:`nseers.bootstrap.open_registry` always gives a
#: real one (from settings or the key file).
DEVELOPMENT_AUDIT_KEY = b"nseers development audit key: public, protects nothing"
#: Where a session finds its registry's audit key (``sessionmaker(info=...)``).
AUDIT_KEY_INFO = "nseers_audit_key"
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
    #: before revision 0005_issue16).
    keyed_from: Mapped[int | None] = mapped_column(BigInteger)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An entry waiting for its transaction to commit."""

    action: str
    subject: str
    person_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def entry_hash(content: dict[str, Any], prev_hash: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 under ``key`` (plain SHA-256 without one: the links written before
    revision 0005_issue16) over the canonical JSON of the entry's content and its
    predecessor's hash.

    ``content`` holds the entry's columns from ``seq`` to ``detail`` (:data:`HASHED`).
    """
    canonical = orjson.dumps([[content[name] for name in HASHED], prev_hash],
                             option=orjson.OPT_SORT_KEYS, default=str)
    if key is None:
        return hashlib.sha256(canonical).hexdigest()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def session_key(session: Session) -> bytes:
    """The audit key of the registry ``session`` belongs to."""
    key = session.info.get(AUDIT_KEY_INFO)
    return key if isinstance(key, bytes) else DEVELOPMENT_AUDIT_KEY


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
    key = session_key(session)
    seq, prev = connection.execute(_LOCK_HEAD).one()
    username, role, purpose = actor.username, actor.role.value, actor.stated_purpose
    rows = []
    for record in records:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq, "at": at, "actor": username, "role": role, "purpose": purpose,
            "action": record.action, "subject": record.subject,
            "person_id": record.person_id, "detail": record.detail}
        row["prev_hash"], row["hash"] = prev, entry_hash(row, prev, key)
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
    """The outcome of ``verify_chain``; ``checkpoints`` is how many signed checkpoints
    outside the database it was checked against (none: the head is not anchored)."""

    entries: int
    problems: tuple[ChainProblem, ...]
    checkpoints: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    keyed_from: int = 1

    @property
    def intact(self) -> bool:
        """Whether no entry was altered or deleted."""
        return not self.problems

    @property
    def anchored(self) -> bool:
        """Whether the head was checked against a checkpoint outside the database."""
        return self.checkpoints > 0


def verify_chain(session: Session, *, key: bytes | None = None,
                 anchors: dict[int, tuple[str, int]] | None = None,
                 batch: int = 5000) -> ChainReport:
    """Recompute every link in sequence order and compare with the head and with the
    anchors (``{seq: (hash, keyed_from)}`` from signed checkpoints)."""
    key = key if key is not None else session_key(session)
    anchors = anchors or {}
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    keyed_from = head.keyed_from if head.keyed_from is not None else 1
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
        digest = entry_hash(content, entry.prev_hash, key if entry.seq >= keyed_from else None)
        if not hmac.compare_digest(digest, entry.hash):
            problems.append(ChainProblem(entry.seq, "the entry was altered after it was written"))
        anchor = anchors.get(entry.seq)
        if anchor is not None and anchor[0] != entry.hash:
            problems.append(ChainProblem(entry.seq, "the entry differs from the signed "
                                                    "checkpoint: the chain was rewritten"))
        expected_seq, prev = entry.seq + 1, entry.hash
    if head.seq != expected_seq - 1 or head.hash != prev:
        problems.append(ChainProblem(
            head.seq, f"the trail ends at entry {expected_seq - 1} but the head records entry "
                      f"{head.seq}: entries at the end were deleted or the head was altered"))
    for seq, (_, anchored_keyed_from) in sorted(anchors.items()):
        if seq > expected_seq - 1:
            problems.append(ChainProblem(seq, f"a signed checkpoint records entry {seq} but "
                                              f"the trail ends at {expected_seq - 1}: entries "
                                              f"at the end were deleted"))
        if anchored_keyed_from != keyed_from:
            problems.append(ChainProblem(seq, f"the keyed chain starts at {keyed_from} but a "
                                              f"signed checkpoint says {anchored_keyed_from}"))
    return ChainReport(count, tuple(problems), len(anchors), head.seq, head.hash, keyed_from)


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
