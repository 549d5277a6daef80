"""Work queues: registrants' reports due and overdue, and I-68 applications to decide.

The compliance queue answers a compliance officer's morning question: which registrants
owe a report or an interview, and which are late? It reads the obligations the rules
stored at registration and the evidence recorded since:

* a 30-day or annual report whose window has opened is *due* until its window closes and
  *overdue* after, unless a completed interview of that kind was held within the window
  or a waiver of that obligation was granted by the date asked; suspended obligations
  (annual reports after 2003-12-02) owe nothing;
* a registrant who departed before a report's window opened owes that report no more
  (8 CFR 264.1(f)(3), (f)(5); ``rules.obligations.relieving_departure``);
* a call-in notice is *due* until its appear-by date and *overdue* after, unless the
  interview on that notice was recorded.

The database filters the queue in SQL, for speed (``owed`` in
:mod:`nseers.registry.repositories.worklists`); the in-memory records of the unit tests
judge each report with the rules function instead, and
``tests/integration/test_repository_contract.py`` proves the two agree on generated
registrants. Each answer is a page of rows; every read names the
persons it returned in the audit trail, like any other read of personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.rules.obligations import suspension_in_force
from nseers.rules.policy.store import Policy
from nseers.services.repositories import QueueEntry, RecordStore

REPORT_KINDS: Final = ("thirty_day_report", "annual_report")
QUEUE_KINDS: Final = (*REPORT_KINDS, "call_in_interview")
QUEUE_STATUSES: Final = ("due", "overdue")
MAX_PER_PAGE: Final = 500
#: The most rows an export writes (a whole district's queue fits many times over).
MAX_EXPORT: Final = 50_000
APPLICATION_STATUSES: Final = ("pending", "approved", "denied")


@dataclass(frozen=True, slots=True)
class QueueQuery:
    """Which obligations to list: as of a date, by kind, status, deadline and place."""

    as_of: date
    kinds: tuple[str, ...] = ()
    status: str | None = None
    due_by: date | None = None
    place: str | None = None
    page: int = 1
    per_page: int = 25

    def check(self) -> None:
        """Refuse unknown kinds and statuses and impossible pages."""
        problems = [FieldProblem("kinds", f"unknown kind {kind!r}; one of "
                                          f"{', '.join(QUEUE_KINDS)}")
                    for kind in self.kinds if kind not in QUEUE_KINDS]
        if self.status is not None and self.status not in QUEUE_STATUSES:
            problems.append(FieldProblem("status", "must be due or overdue"))
        if self.page < 1:
            problems.append(FieldProblem("page", "must be 1 or more"))
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            problems.append(FieldProblem("per_page", f"must be 1 to {MAX_PER_PAGE}"))
        if problems:
            raise InvalidInputError(problems)


def _criteria_of(query: QueueQuery, policy: Policy) -> dict[str, Any]:
    """The repository's queue criteria for ``query``: which reports and whether notices
    are listed, and the report kinds whose suspension is in force on the as-of date
    (``rules.obligations.suspension_in_force``: a report stored as suspended owes nothing
    only once its suspension has taken effect)."""
    reports = ([k for k in query.kinds if k in REPORT_KINDS] or list(REPORT_KINDS)) \
        if not query.kinds or set(query.kinds) & set(REPORT_KINDS) else []
    return {"as_of": query.as_of, "report_kinds": reports,
            "notices": not query.kinds or "call_in_interview" in query.kinds,
            "suspended": [kind for kind in REPORT_KINDS
                          if suspension_in_force(policy, kind, query.as_of)],
            "status": query.status, "due_by": query.due_by, "place": query.place or None}


def _row(row: QueueEntry, as_of: date) -> dict[str, Any]:
    days_late = (as_of - row.deadline).days if row.deadline < as_of else 0
    return {"person_id": row.person_id, "surname": row.surname, "given_names": row.given_names,
            "fin": row.fin, "place": row.place, "kind": row.kind, "sequence": row.sequence,
            "obligation_id": row.obligation_id, "notice_id": row.notice_id,
            "opens_on": row.opens_on.isoformat() if row.opens_on else None,
            "deadline": row.deadline.isoformat(), "status": row.status,
            "days_overdue": days_late}


def obligations_due(registry: RecordStore, actor: Actor, query: QueueQuery
                    ) -> dict[str, Any]:
    """One page of the compliance queue, oldest deadline first (audited)."""
    query.check()
    with registry.records_work(actor, Permission.MANAGE_COMPLIANCE) as work:
        criteria = _criteria_of(query, registry.rules.policy)
        total = work.records.count_owed(**criteria)
        rows = work.records.owed(**criteria, limit=query.per_page,
                                 offset=(query.page - 1) * query.per_page)
        items = [_row(row, query.as_of) for row in rows]
        work.audit("compliance.queue_read", "obligations", None, **_criteria(query),
                   returned=sorted({item["person_id"] for item in items}))
        work.commit()
    pages = max(1, -(-total // query.per_page))
    return {"as_of": query.as_of.isoformat(), "page": query.page, "per_page": query.per_page,
            "pages": pages, "total": total, "items": items}


def export_obligations_due(registry: RecordStore, actor: Actor,
                           query: QueueQuery) -> list[dict[str, Any]]:
    """The whole queue the query selects (up to :data:`MAX_EXPORT` rows), for a CSV file;
    audited as an export, with every person it names."""
    query.check()
    with registry.records_work(actor, Permission.MANAGE_COMPLIANCE) as work:
        rows = work.records.owed(**_criteria_of(query, registry.rules.policy),
                                 limit=MAX_EXPORT, offset=0)
        items = [_row(row, query.as_of) for row in rows]
        work.audit("compliance.queue_export", "obligations", None, **_criteria(query),
                   returned=sorted({item["person_id"] for item in items}))
        work.commit()
        return items


def _criteria(query: QueueQuery) -> dict[str, Any]:
    return {"as_of": query.as_of, "kinds": list(query.kinds), "status": query.status,
            "due_by": query.due_by, "place": query.place, "page": query.page}


# ------------------------------------------------------------------- I-68 adjudication
def i68_applications(registry: RecordStore, actor: Actor, *, status: str = "pending",
                     page: int = 1, per_page: int = 20) -> dict[str, Any]:
    """One page of I-68 applications in a status, oldest filing first, with each member
    (district directors; audited with the persons named)."""
    if status not in APPLICATION_STATUSES:
        raise InvalidInputError([FieldProblem("status", "must be pending, approved or "
                                                        "denied")])
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInputError([FieldProblem("page", "out of range")])
    with registry.records_work(actor, Permission.DECIDE_I68) as work:
        total = work.records.count_i68_applications(status)
        applications = work.records.i68_applications(status, limit=per_page,
                                                     offset=(page - 1) * per_page)
        items = []
        named: set[int] = set()
        for application in applications:
            members = []
            for member in application.members:
                named.add(member.person_id)
                members.append({
                    "person_id": member.person_id, "surname": member.surname,
                    "given_names": member.given_names,
                    "date_of_birth": (member.date_of_birth.isoformat()
                                      if member.date_of_birth else None),
                    "relationship": member.relation, "eligible": member.eligible,
                    "reason": member.reason, "needs_photo_id": member.needs_photo_id})
            permit = application.permit
            items.append({
                "application_id": application.id, "port": application.port_code,
                "filed_on": application.filed_on.isoformat(),
                "filed_by": application.filed_by, "fee_usd": application.fee_usd,
                "evidence": [e.get("reference") for e in application.evidence],
                "status": application.status,
                "decided_on": (application.decided_on.isoformat()
                               if application.decided_on else None),
                "decided_by": application.decided_by,
                "decision_reasons": application.decision_reasons, "members": members,
                "permit": None if permit is None else {
                    "number": permit.number, "issued_on": permit.issued_on.isoformat(),
                    "expires_on": permit.expires_on.isoformat(),
                    "revoked_on": (permit.revoked_on.isoformat()
                                   if permit.revoked_on else None)}})
        work.audit("i68.queue_read", "i68_applications", None, status=status, page=page,
                   returned=sorted(named))
        work.commit()
    return {"status": status, "page": page, "per_page": per_page, "total": total,
            "pages": max(1, -(-total // per_page)), "items": items}
