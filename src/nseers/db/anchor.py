"""Signed checkpoints of the audit chain's head, kept outside the database.

A keyed chain stops an insider from recomputing links, but not from cutting the tail off
(and moving the head back) or from swapping in an older copy of the database. So the
head is written, from time to time and by ``nseers audit checkpoint``, to an append-only
file outside the database: one JSON line per checkpoint holding the sequence number, the
entry's hash, where the keyed chain starts, the time, and an HMAC-SHA256 of all of them
under a key derived from the audit key. ``nseers audit verify`` checks the chain against
every checkpoint: the entry at each checkpointed number must still carry its hash, and
the trail must reach the newest one.

What it does not do: a checkpoint protects only what it covers. Entries written since the
last checkpoint can be cut without trace, so checkpoints are written often (the server's
interval) and the file should live where database administrators cannot write (another
host, a write-once bucket, a log shipper); whoever holds the audit key can forge both.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from nseers.db.audit import AuditHead


class CheckpointError(Exception):
    """A checkpoint file that cannot be trusted: a line altered, or not ours."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The chain's head at one moment."""

    seq: int
    hash: str
    keyed_from: int
    at: str


def _mac(key: bytes, body: dict[str, Any]) -> str:
    signing_key = hmac.new(key, b"nseers audit checkpoint", hashlib.sha256).digest()
    return hmac.new(signing_key, orjson.dumps(body, option=orjson.OPT_SORT_KEYS),
                    hashlib.sha256).hexdigest()


def write_checkpoint(session: Session, path: Path, key: bytes, at: datetime) -> Checkpoint:
    """Append the current head to ``path`` (created with owner-only permissions)."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1)).scalar_one()
    checkpoint = Checkpoint(head.seq, head.hash,
                            head.keyed_from if head.keyed_from is not None else 1,
                            at.isoformat())
    body = {"seq": checkpoint.seq, "hash": checkpoint.hash,
            "keyed_from": checkpoint.keyed_from, "at": checkpoint.at}
    line = orjson.dumps(body | {"mac": _mac(key, body)}) + b"\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return checkpoint


def read_checkpoints(path: Path, key: bytes) -> list[Checkpoint]:
    """Every checkpoint in ``path`` (none if it does not exist); :class:`CheckpointError`
    names the first line whose signature does not hold."""
    if not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
            mac = record.pop("mac")
            checkpoint = Checkpoint(int(record["seq"]), str(record["hash"]),
                                    int(record["keyed_from"]), str(record["at"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
            raise CheckpointError(f"{path}: line {number} is not a checkpoint") from None
        if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(key, record)):
            raise CheckpointError(f"{path}: line {number}: the signature does not match "
                                  f"(altered, or written under another key)")
        found.append(checkpoint)
    return found


def anchors(checkpoints: list[Checkpoint]) -> dict[int, tuple[str, int]]:
    """The checkpoints as ``verify_chain`` takes them."""
    return {c.seq: (c.hash, c.keyed_from) for c in checkpoints if c.seq > 0}
