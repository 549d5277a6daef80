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

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.services.repositories import RecordStore

WAIVER_STATUSES: Final = ("pending", "granted", "denied")
WILLFULNESS: Final = ("unassessed", "willful", "not_willful")
MAX_PER_PAGE: Final = 100


def _page(page: int, per_page: int) -> None:
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInputError([FieldProblem("page", "out of range")])


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def waiver_requests(registry: RecordStore, actor: Actor, *, status: str = "pending",
                    page: int = 1, per_page: int = 25) -> dict[str, Any]:
    """One page of waiver requests in ``status``, oldest request first, with the
    obligation each would waive and its deadline."""
    if status not in WAIVER_STATUSES:
        raise InvalidInputError([FieldProblem("status", f"must be one of "
                                                        f"{', '.join(WAIVER_STATUSES)}")])
    _page(page, per_page)
    with registry.records_work(actor, Permission.REQUEST_WAIVER) as work:
        total = work.records.count_waiver_requests(status)
        cases = work.records.waiver_requests(status, limit=per_page,
                                             offset=(page - 1) * per_page)
        items = [{
            "waiver_id": case.waiver.id, "fin": case.registrant.fin,
            "person_id": case.waiver.person_id, "surname": case.registrant.surname,
            "given_names": case.registrant.given_names,
            "obligation_kind": case.obligation.kind,
            "obligation_sequence": case.obligation.sequence,
            "deadline": _day(case.obligation.window_end), "grounds": case.waiver.grounds,
            "requested_on": _day(case.waiver.requested_on),
            "requested_by": case.waiver.requested_by, "status": case.waiver.status,
            "decided_on": _day(case.waiver.decided_on), "decided_by": case.waiver.decided_by,
            "decision_reasons": case.waiver.decision_reasons}
            for case in cases]
        work.audit("waiver.queue_read", "waiver_requests", None, status=status, page=page,
                   returned=sorted({item["person_id"] for item in items}))
        work.commit()
    return {"status": status, "page": page, "per_page": per_page, "total": total,
            "pages": max(1, -(-total // per_page)), "items": items}


def violations(registry: RecordStore, actor: Actor, *, willfulness: str = "unassessed",
               page: int = 1, per_page: int = 25) -> dict[str, Any]:
    """One page of violations by their willfulness assessment, oldest first."""
    if willfulness not in WILLFULNESS:
        raise InvalidInputError([FieldProblem("willfulness", f"must be one of "
                                                             f"{', '.join(WILLFULNESS)}")])
    _page(page, per_page)
    with registry.records_work(actor, Permission.ASSESS_VIOLATION) as work:
        total = work.records.count_violations(willfulness)
        cases = work.records.violations_assessed(willfulness, limit=per_page,
                                                 offset=(page - 1) * per_page)
        items = [{
            "violation_id": case.violation.id, "fin": case.registrant.fin,
            "person_id": case.violation.person_id, "surname": case.registrant.surname,
            "given_names": case.registrant.given_names, "kind": case.violation.kind,
            "occurred_on": _day(case.violation.occurred_on),
            "description": case.violation.description,
            "willfulness": case.violation.willfulness,
            "assessment": case.violation.assessment,
            "assessed_by": case.violation.assessed_by,
            "assessed_on": _day(case.violation.assessed_on),
            "reasons": case.violation.reasons}
            for case in cases]
        work.audit("violation.queue_read", "violations", None, willfulness=willfulness,
                   page=page, returned=sorted({item["person_id"] for item in items}))
        work.commit()
    return {"willfulness": willfulness, "page": page, "per_page": per_page,
            "total": total, "pages": max(1, -(-total // per_page)), "items": items}
