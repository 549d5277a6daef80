"""Reading and verifying the audit trail (auditors and privacy officers)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from nseers.core.actors import Actor, Permission
from nseers.db.audit import AuditEntry, ChainReport, verify_chain
from nseers.services.context import Registry


def audit_log(registry: Registry, actor: Actor, *, person_id: int | None = None,
              actor_name: str | None = None, action: str | None = None, after: int = 0,
              limit: int = 100) -> list[dict[str, Any]]:
    """Entries in sequence order, filtered; reading the trail is itself audited."""
    with registry.work(actor, Permission.READ_AUDIT) as uow:
        query = select(AuditEntry).where(AuditEntry.seq > after)
        if person_id is not None:
            query = query.where(AuditEntry.person_id == person_id)
        if actor_name is not None:
            query = query.where(AuditEntry.actor == actor_name)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        entries = uow.session.execute(query.order_by(AuditEntry.seq).limit(limit)).scalars()
        out = [{"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "role": e.role,
                "purpose": e.purpose, "action": e.action, "subject": e.subject,
                "person_id": e.person_id, "detail": e.detail, "hash": e.hash} for e in entries]
        uow.audit("audit.read", "audit_entries", person_id, returned=len(out))
        uow.commit()
        return out


def verify_audit(registry: Registry, actor: Actor) -> ChainReport:
    """Recompute the hash chain; report every altered or deleted entry."""
    actor.require(Permission.READ_AUDIT)
    with registry.sessions() as session:
        return verify_chain(session)
