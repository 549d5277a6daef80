"""How long idempotency keys are kept, and their purge (issue 16).

A key exists so that a client retrying a write within minutes or hours gets the first
answer back; kept for ever, the table grows without bound and holds copies of answers
(with personal data) long after any retry. Keys older than the retention period (30 days
by default: longer than any client's retry loop, including a device offline for a long
weekend) are deleted by ``nseers db purge-idempotency``, run from cron or a systemd
timer. The purge is audited; a retry after it is recorded as a new request.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from sqlalchemy import delete

from nseers.core.actors import Actor, Permission
from nseers.db.idempotency import IdempotencyKey
from nseers.services.context import Registry

DEFAULT_RETENTION: Final = timedelta(days=30)


def purge_idempotency_keys(registry: Registry, actor: Actor,
                           retention: timedelta = DEFAULT_RETENTION) -> int:
    """Delete the keys older than ``retention``; the number deleted."""
    with registry.work(actor, Permission.ADMINISTER) as uow:
        cutoff = uow.now - retention
        result = uow.session.execute(delete(IdempotencyKey).where(
            IdempotencyKey.created_at < cutoff))
        deleted = int(getattr(result, "rowcount", 0) or 0)
        uow.audit("idempotency.purge", "idempotency_keys", None, older_than=cutoff,
                  deleted=deleted)
        uow.commit()
        return deleted
