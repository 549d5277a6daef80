"""Reading and verifying the audit trail (auditors and privacy officers)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.db.anchor import (
    Checkpoint,
    CheckpointError,
    anchors,
    read_checkpoints,
    write_checkpoint,
)
from nseers.db.audit import AuditEntry, AuditHead, ChainProblem, ChainReport, verify_chain
from nseers.db.uow import UnitOfWork
from nseers.services.context import Registry


def audit_log(registry: Registry, actor: Actor, *, person_id: int | None = None,
              actor_name: str | None = None, action: str | None = None, after: int = 0,
              before: int | None = None, newest_first: bool = False,
              limit: int = 100) -> list[dict[str, Any]]:
    """Entries after ``after`` (and before ``before``), filtered, in sequence order or
    newest first (what an auditor opening the log wants to see); reading the trail is
    itself audited."""
    with registry.work(actor, Permission.READ_AUDIT) as uow:
        query = select(AuditEntry).where(AuditEntry.seq > after)
        if before is not None:
            query = query.where(AuditEntry.seq < before)
        if person_id is not None:
            query = query.where(AuditEntry.person_id == person_id)
        if actor_name is not None:
            query = query.where(AuditEntry.actor == actor_name)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        order = AuditEntry.seq.desc() if newest_first else AuditEntry.seq
        entries = uow.session.execute(query.order_by(order).limit(limit)).scalars()
        out = [_entry(e) for e in entries]
        uow.audit("audit.read", "audit_entries", person_id, returned=len(out))
        uow.commit()
        return out


#: Entries read from the database at a time by an export.
EXPORT_PAGE = 1000


def export_audit(registry: Registry, actor: Actor, *, action_prefix: str | None = None,
                 person_id: int | None = None, after: int = 0) -> Iterator[dict[str, Any]]:
    """Every entry after ``after`` in sequence order, whose action starts with
    ``action_prefix`` (``screening.``, ``watchlist.``) and that concerns ``person_id``,
    read a page at a time (an export may hold millions of entries).

    The export is itself audited, with its criteria, before the first entry is read: an
    auditor's copy of the trail is as attributable as any other read.
    """
    with registry.work(actor, Permission.READ_AUDIT) as uow:
        uow.audit("audit.export", "audit_entries", person_id, action_prefix=action_prefix,
                  after=after)
        uow.commit()
    last = after
    while True:
        with registry.sessions() as session:
            query = select(AuditEntry).where(AuditEntry.seq > last)
            if action_prefix:
                query = query.where(AuditEntry.action.startswith(action_prefix,
                                                                 autoescape=True))
            if person_id is not None:
                query = query.where(AuditEntry.person_id == person_id)
            entries = session.execute(query.order_by(AuditEntry.seq).limit(EXPORT_PAGE)
                                      ).scalars().all()
            page = [_entry(e) for e in entries]
        if not page:
            return
        yield from page
        last = page[-1]["seq"]


def _entry(e: AuditEntry) -> dict[str, Any]:
    return {"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "role": e.role,
            "purpose": e.purpose, "action": e.action, "subject": e.subject,
            "person_id": e.person_id, "detail": e.detail, "hash": e.hash}


def verify_audit(registry: Registry, actor: Actor) -> ChainReport:
    """Recompute the keyed chain and check it against the signed checkpoints outside the
    database; report every altered or deleted entry (a checkpoint file that does not verify
    is itself reported)."""
    actor.require(Permission.READ_AUDIT)
    problems: list[ChainProblem] = []
    found: list[Checkpoint] = []
    if registry.audit_checkpoints is not None:
        try:
            found = read_checkpoints(registry.audit_checkpoints, registry.audit_key)
        except CheckpointError as error:
            problems.append(ChainProblem(0, str(error)))
    with registry.sessions() as session:
        report = verify_chain(session, key=registry.audit_key, anchors=anchors(found))
    if problems:
        report = replace(report, problems=(*problems, *report.problems))
    return report


def checkpoint_audit(registry: Registry, actor: Actor) -> Checkpoint:
    """Write the chain's head to the checkpoint file (administrators, auditors, the
    system's timer); the checkpoint itself is audited."""
    if not (actor.may(Permission.READ_AUDIT) or actor.may(Permission.ADMINISTER)):
        actor.require(Permission.READ_AUDIT)
    if registry.audit_checkpoints is None:
        raise InvalidInputError([FieldProblem("audit_checkpoints",
                                              "no checkpoint file is configured")])
    with UnitOfWork(registry.sessions, actor, registry.clock) as uow:
        uow.audit("audit.checkpoint", "audit_head", None,
                  file=str(registry.audit_checkpoints))
        uow.commit()
    with registry.sessions() as session:
        return write_checkpoint(session, registry.audit_checkpoints, registry.audit_key,
                                registry.clock())


def head_seq(registry: Registry) -> int:
    """The sequence number of the chain's last entry."""
    with registry.sessions() as session:
        return int(session.execute(select(AuditHead.seq).where(AuditHead.id == 1)).scalar_one())
