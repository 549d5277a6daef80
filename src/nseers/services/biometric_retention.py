"""Biometric records past their retention: listed by the retention run, purged with it.

``biometrics.retention_years`` (policy data; 75 years, the IDENT system of records notice,
72 FR 31080) keeps a biometric record that many years after the person's last encounter,
and at least that long after its capture (``retain_until``, set at enrolment). A record
past both is due, unless a legal hold stands on the person. A person's whole file erased by
the other retention rules takes its biometrics with it (``services/erasure.py``); this
purge is for the records that outlive their own period while the file is kept.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from nseers.core.actors import Actor, Permission
from nseers.registry.biometrics import BiometricRecord
from nseers.registry.encounters import Encounter
from nseers.registry.retention import LegalHold
from nseers.services.context import Registry

PARAMETER = "biometrics.retention_years"


def retention_span(years: int) -> timedelta:
    """``years`` of retention as days (a year of 365.25), alike at enrolment and purge."""
    return timedelta(days=round(365.25 * years))


def _due(registry: Registry, session: Session, as_of: date) -> tuple[list[int], int]:
    """The ids of the records due on ``as_of``, and the years the policy gave."""
    years = int(registry.rules.law(as_of).value(PARAMETER))
    cutoff = as_of - retention_span(years)
    last = (select(Encounter.person_id, func.max(Encounter.occurred_on).label("last"))
            .group_by(Encounter.person_id).subquery())
    held = select(LegalHold.person_id).where(LegalHold.released_at.is_(None))
    rows = session.execute(
        select(BiometricRecord.id)
        .outerjoin(last, last.c.person_id == BiometricRecord.person_id)
        .where(BiometricRecord.retain_until < as_of,
               (last.c.last.is_(None)) | (last.c.last < cutoff),
               BiometricRecord.person_id.not_in(held))
        .order_by(BiometricRecord.id)).scalars().all()
    return list(rows), years


def biometrics_due(registry: Registry, actor: Actor, as_of: date) -> dict[str, Any]:
    """The dry run's part: how many biometric records are due, under which rule."""
    with registry.work(actor, Permission.RUN_RETENTION) as uow:
        due, years = _due(registry, uow.session, as_of)
        uow.audit("biometric.retention_review", "biometric_records", None,
                  as_of=as_of.isoformat(), due=len(due))
        uow.commit()
    return {"rule": PARAMETER, "years": years, "due": len(due)}


def purge_biometrics(registry: Registry, actor: Actor, as_of: date) -> dict[str, Any]:
    """Delete the biometric records due on ``as_of`` (their sealed templates and images),
    in one unit of work; audited with the rule and the count, never the persons."""
    with registry.work(actor, Permission.RUN_RETENTION) as uow:
        due, years = _due(registry, uow.session, as_of)
        if due:
            uow.session.execute(delete(BiometricRecord).where(BiometricRecord.id.in_(due)))
        uow.audit("biometric.purge", "biometric_records", None, as_of=as_of.isoformat(),
                  rule=PARAMETER, years=years, purged=len(due))
        uow.commit()
    return {"rule": PARAMETER, "years": years, "purged": len(due)}
