"""The compliance officer's and district director's work lists: waiver requests and
violations to assess (issue 17: the console pages of 8 CFR 264.1(f) casework).

:mod:`nseers.services.registrants` records a waiver request, its decision and a
violation's willfulness assessment; these functions list what is waiting for them, a page
at a time, oldest first, each read audited with the persons it showed (as every read of
personal data is). A waiver is requested and read by compliance officers and district
directors (``request_waiver``); violations are assessed, and so read, by compliance
officers (``assess_violation``: the DHS guidance of 16 April 2012 asks the officer to find
whether a failure was willful).
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import func, select

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.registry.people import Person
from nseers.registry.registrations import Obligation, SpecialRegistration, Violation, WaiverRequest
from nseers.services.context import Registry

WAIVER_STATUSES: Final = ("pending", "granted", "denied")
WILLFULNESS: Final = ("unassessed", "willful", "not_willful")
MAX_PER_PAGE: Final = 100


def _page(page: int, per_page: int) -> None:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInputError([FieldProblem("page", "out of range")])


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def waiver_requests(registry: Registry, actor: Actor, *, status: str = "pending",
                    page: int = 1, per_page: int = 25) -> dict[str, Any]:
    """One page of waiver requests in ``status``, oldest request first, with the
    obligation each would waive and its deadline."""
    if status not in WAIVER_STATUSES:
        raise InvalidInputError([FieldProblem("status", f"must be one of "
                                                        f"{', '.join(WAIVER_STATUSES)}")])
    _page(page, per_page)
    with registry.work(actor, Permission.REQUEST_WAIVER) as uow:
        session = uow.session
        total = session.execute(select(func.count()).select_from(WaiverRequest).where(
            WaiverRequest.status == status)).scalar_one()
        rows = session.execute(
            select(WaiverRequest, SpecialRegistration.fin, Person.surname, Person.given_names,
                   Obligation.kind, Obligation.sequence, Obligation.window_end)
            .join(SpecialRegistration, SpecialRegistration.id == WaiverRequest.registration_id)
            .join(Person, Person.id == WaiverRequest.person_id)
            .join(Obligation, Obligation.id == WaiverRequest.obligation_id)
            .where(WaiverRequest.status == status)
            .order_by(WaiverRequest.requested_on, WaiverRequest.id)
            .limit(per_page).offset((page - 1) * per_page)).tuples().all()
        items = [{
            "waiver_id": waiver.id, "fin": fin, "person_id": waiver.person_id,
            "surname": surname, "given_names": given_names, "obligation_kind": kind,
            "obligation_sequence": sequence, "deadline": _day(deadline),
            "grounds": waiver.grounds, "requested_on": _day(waiver.requested_on),
            "requested_by": waiver.requested_by, "status": waiver.status,
            "decided_on": _day(waiver.decided_on), "decided_by": waiver.decided_by,
            "decision_reasons": waiver.decision_reasons}
            for waiver, fin, surname, given_names, kind, sequence, deadline in rows]
        uow.audit("waiver.queue_read", "waiver_requests", None, status=status, page=page,
                  returned=sorted({item["person_id"] for item in items}))
        uow.commit()
    return {"status": status, "page": page, "per_page": per_page, "total": int(total),
            "pages": max(1, -(-int(total) // per_page)), "items": items}


def violations(registry: Registry, actor: Actor, *, willfulness: str = "unassessed",
               page: int = 1, per_page: int = 25) -> dict[str, Any]:
    """One page of violations by their willfulness assessment, oldest first."""
    if willfulness not in WILLFULNESS:
        raise InvalidInputError([FieldProblem("willfulness", f"must be one of "
                                                             f"{', '.join(WILLFULNESS)}")])
    _page(page, per_page)
    with registry.work(actor, Permission.ASSESS_VIOLATION) as uow:
        session = uow.session
        total = session.execute(select(func.count()).select_from(Violation).where(
            Violation.willfulness == willfulness)).scalar_one()
        rows = session.execute(
            select(Violation, SpecialRegistration.fin, Person.surname, Person.given_names)
            .join(SpecialRegistration, SpecialRegistration.id == Violation.registration_id)
            .join(Person, Person.id == Violation.person_id)
            .where(Violation.willfulness == willfulness)
            .order_by(Violation.occurred_on, Violation.id)
            .limit(per_page).offset((page - 1) * per_page)).tuples().all()
        items = [{
            "violation_id": violation.id, "fin": fin, "person_id": violation.person_id,
            "surname": surname, "given_names": given_names, "kind": violation.kind,
            "occurred_on": _day(violation.occurred_on), "description": violation.description,
            "willfulness": violation.willfulness, "assessment": violation.assessment,
            "assessed_by": violation.assessed_by, "assessed_on": _day(violation.assessed_on),
            "reasons": violation.reasons}
            for violation, fin, surname, given_names in rows]
        uow.audit("violation.queue_read", "violations", None, willfulness=willfulness,
                  page=page, returned=sorted({item["person_id"] for item in items}))
        uow.commit()
    return {"willfulness": willfulness, "page": page, "per_page": per_page,
            "total": int(total), "pages": max(1, -(-int(total) // per_page)), "items": items}
