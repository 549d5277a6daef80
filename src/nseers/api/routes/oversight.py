"""Oversight: the audit trail (auditors) and aggregate statistics (analysts, officers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BeforeValidator

from nseers.api.access import registry_of
from nseers.api.routes.common import PROTECTED, AggregateReader, Auditor, problems
from nseers.api.schemas import (
    EARLIEST,
    LATEST,
    MAX_ID,
    AuditEntryView,
    AuditVerification,
    MovementCount,
    RegistrationCount,
    iso_day,
)
from nseers.services.audit import audit_log, verify_audit
from nseers.services.statistics import movements_by_port_and_day, registrations_by_basis

router = APIRouter(tags=["oversight"])
From = Annotated[date, BeforeValidator(iso_day), Query(alias="from", ge=EARLIEST, le=LATEST,
                             description="First day, YYYY-MM-DD")]
To = Annotated[date, BeforeValidator(iso_day), Query(alias="to", ge=EARLIEST, le=LATEST,
                           description="Last day (inclusive), YYYY-MM-DD; at most 367 days "
                                       "after from")]


@router.get("/audit", response_model=list[AuditEntryView], responses=problems(*PROTECTED))
def audit(request: Request, actor: Auditor,
          person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
          user: Annotated[str | None, Query(min_length=1, max_length=120,
                                            description="entries by this user")] = None,
          action: Annotated[str | None, Query(min_length=1, max_length=80)] = None,
          after: Annotated[int, Query(ge=0, le=2**62,
                                      description="entries after this sequence number")] = 0,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    """Audit entries in sequence order, filtered; page with ``after``. Reading the trail is
    itself audited."""
    return audit_log(registry_of(request), actor, person_id=person_id, actor_name=user,
                     action=action, after=after, limit=limit)


@router.get("/audit/verify", response_model=AuditVerification, responses=problems(*PROTECTED))
def audit_verify(request: Request, actor: Auditor) -> dict[str, Any]:
    """Recompute the hash chain: every altered entry, gap and deleted tail is named."""
    report = verify_audit(registry_of(request), actor)
    return {"entries": report.entries, "intact": report.intact,
            "problems": [{"seq": p.seq, "message": p.message} for p in report.problems]}


@router.get("/statistics/movements", response_model=list[MovementCount],
            responses=problems(*PROTECTED))
def movement_statistics(request: Request, actor: AggregateReader, start: From, end: To,
                        port: Annotated[str | None, Query(min_length=1,
                                                          max_length=40)] = None,
                        ) -> list[dict[str, Any]]:
    """Arrivals, departures and refusals per port and day (counts only, no names)."""
    return movements_by_port_and_day(registry_of(request), actor, start, end, port)


@router.get("/statistics/registrations", response_model=list[RegistrationCount],
            responses=problems(*PROTECTED))
def registration_statistics(request: Request, actor: AggregateReader, start: From,
                            end: To) -> list[dict[str, Any]]:
    """Special registrations per basis and route (counts only, no names)."""
    return registrations_by_basis(registry_of(request), actor, start, end)
