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

Each answer is a page of rows; every read names the persons it returned in the audit
trail, like any other read of personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import Select, and_, case, exists, func, literal, null, select, union_all
from sqlalchemy.orm import aliased

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.registry.encounters import Encounter
from nseers.registry.i68 import BoatLandingPermit, I68Application
from nseers.registry.people import Person
from nseers.registry.registrations import (
    CallInNotice,
    Interview,
    Obligation,
    SpecialRegistration,
    WaiverRequest,
)
from nseers.rules.obligations import PRESENCE_BOUND_REPORTS, suspension_in_force
from nseers.rules.policy.store import Policy
from nseers.services.context import Registry

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


def _queue(query: QueueQuery, policy: Policy) -> Select[Any]:
    """Every queue row as one union: reports owed, then call-in notices unanswered."""
    # A report stored as suspended owes nothing only once its suspension has taken effect
    # by the as-of date (rules.obligations.suspension_in_force).
    suspended = [kind for kind in REPORT_KINDS
                 if suspension_in_force(policy, kind, query.as_of)]
    o, r = Obligation.__table__.c, SpecialRegistration.__table__.c
    met = exists().where(Interview.registration_id == o.registration_id,
                         Interview.kind == o.kind, Interview.outcome == "completed",
                         Interview.held_on >= o.window_start,
                         Interview.held_on <= o.window_end)
    # rules.obligations.relieving_departure, in SQL: a registrant who left before the
    # window opened owes no presence-bound report (tests/integration/test_queue_agrees.py).
    relieved = exists().where(Encounter.person_id == o.person_id,
                              Encounter.kind == "departure",
                              Encounter.occurred_on >= r.registered_on,
                              Encounter.occurred_on < o.window_start,
                              Encounter.occurred_on <= query.as_of,
                              o.kind.in_(tuple(PRESENCE_BOUND_REPORTS)))
    waived = exists().where(WaiverRequest.obligation_id == o.id,
                            WaiverRequest.status == "granted",
                            WaiverRequest.decided_on <= query.as_of)
    reports = (select(o.person_id.label("person_id"), r.fin.label("fin"),
                      r.place.label("place"), o.kind.label("kind"),
                      o.sequence.label("sequence"), o.id.label("obligation_id"),
                      null().label("notice_id"), o.window_start.label("opens_on"),
                      o.window_end.label("deadline"))
               .join(SpecialRegistration.__table__, r.id == o.registration_id)
               .where(o.kind.in_(REPORT_KINDS),
                      ~and_(o.status == "suspended", o.kind.in_(suspended)),
                      o.window_start <= query.as_of, ~met, ~waived, ~relieved))
    n = CallInNotice.__table__.c
    standing = aliased(Obligation)
    answered = exists().where(Interview.notice_id == n.id)
    notices = (select(n.person_id.label("person_id"), r.fin.label("fin"),
                      r.place.label("place"), literal("call_in_interview").label("kind"),
                      literal(0).label("sequence"), standing.id.label("obligation_id"),
                      n.id.label("notice_id"), n.issued_on.label("opens_on"),
                      n.appear_by.label("deadline"))
               .join(SpecialRegistration.__table__, r.id == n.registration_id)
               .outerjoin(standing, and_(standing.registration_id == n.registration_id,
                                         standing.kind == "call_in_interview"))
               .where(n.issued_on <= query.as_of, ~answered))
    parts = []
    if not query.kinds or set(query.kinds) & set(REPORT_KINDS):
        kinds = [k for k in query.kinds if k in REPORT_KINDS] or list(REPORT_KINDS)
        parts.append(reports.where(o.kind.in_(kinds)))
    if not query.kinds or "call_in_interview" in query.kinds:
        parts.append(notices)
    if not parts:  # pragma: no cover - check() refuses unknown kinds
        parts.append(reports.where(literal(False)))
    if query.place:
        parts = [part.where(r.place == query.place) for part in parts]
    rows = union_all(*parts).subquery("queue")
    status = case((rows.c.deadline < query.as_of, "overdue"), else_="due").label("status")
    listing = select(rows, status, Person.surname, Person.given_names).join(
        Person, Person.id == rows.c.person_id)
    if query.status == "overdue":
        listing = listing.where(rows.c.deadline < query.as_of)
    elif query.status == "due":
        listing = listing.where(rows.c.deadline >= query.as_of)
    if query.due_by is not None:
        listing = listing.where(rows.c.deadline <= query.due_by)
    return listing


def _row(row: Any, as_of: date) -> dict[str, Any]:
    days_late = (as_of - row.deadline).days if row.deadline < as_of else 0
    return {"person_id": row.person_id, "surname": row.surname, "given_names": row.given_names,
            "fin": row.fin, "place": row.place, "kind": row.kind, "sequence": row.sequence,
            "obligation_id": row.obligation_id, "notice_id": row.notice_id,
            "opens_on": row.opens_on.isoformat() if row.opens_on else None,
            "deadline": row.deadline.isoformat(), "status": row.status,
            "days_overdue": days_late}


def obligations_due(registry: Registry, actor: Actor, query: QueueQuery) -> dict[str, Any]:
    """One page of the compliance queue, oldest deadline first (audited)."""
    query.check()
    with registry.work(actor, Permission.MANAGE_COMPLIANCE) as uow:
        listing = _queue(query, registry.rules.policy).subquery("listing")
        total = uow.session.execute(select(func.count()).select_from(listing)).scalar_one()
        rows = uow.session.execute(
            select(listing).order_by(listing.c.deadline, listing.c.person_id,
                                     listing.c.kind, listing.c.sequence)
            .limit(query.per_page).offset((query.page - 1) * query.per_page)).all()
        items = [_row(row, query.as_of) for row in rows]
        uow.audit("compliance.queue_read", "obligations", None, **_criteria(query),
                  returned=sorted({item["person_id"] for item in items}))
        uow.commit()
    pages = max(1, -(-int(total) // query.per_page))
    return {"as_of": query.as_of.isoformat(), "page": query.page, "per_page": query.per_page,
            "pages": pages, "total": int(total), "items": items}


def export_obligations_due(registry: Registry, actor: Actor,
                           query: QueueQuery) -> list[dict[str, Any]]:
    """The whole queue the query selects (up to :data:`MAX_EXPORT` rows), for a CSV file;
    audited as an export, with every person it names."""
    query.check()
    with registry.work(actor, Permission.MANAGE_COMPLIANCE) as uow:
        listing = _queue(query, registry.rules.policy).subquery("listing")
        rows = uow.session.execute(
            select(listing).order_by(listing.c.deadline, listing.c.person_id,
                                     listing.c.kind, listing.c.sequence)
            .limit(MAX_EXPORT)).all()
        items = [_row(row, query.as_of) for row in rows]
        uow.audit("compliance.queue_export", "obligations", None, **_criteria(query),
                  returned=sorted({item["person_id"] for item in items}))
        uow.commit()
        return items


def _criteria(query: QueueQuery) -> dict[str, Any]:
    return {"as_of": query.as_of, "kinds": list(query.kinds), "status": query.status,
            "due_by": query.due_by, "place": query.place, "page": query.page}


# ------------------------------------------------------------------- I-68 adjudication
def i68_applications(registry: Registry, actor: Actor, *, status: str = "pending",
                     page: int = 1, per_page: int = 20) -> dict[str, Any]:
    """One page of I-68 applications in a status, oldest filing first, with each member
    (district directors; audited with the persons named)."""
    if status not in APPLICATION_STATUSES:
        raise InvalidInputError([FieldProblem("status", "must be pending, approved or "
                                                        "denied")])
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInputError([FieldProblem("page", "out of range")])
    with registry.work(actor, Permission.DECIDE_I68) as uow:
        session = uow.session
        total = session.execute(select(func.count()).select_from(I68Application).where(
            I68Application.status == status)).scalar_one()
        applications = session.execute(
            select(I68Application).where(I68Application.status == status)
            .order_by(I68Application.filed_on, I68Application.id)
            .limit(per_page).offset((page - 1) * per_page)).scalars().all()
        permits = {p.application_id: p for p in session.execute(
            select(BoatLandingPermit).where(BoatLandingPermit.application_id.in_(
                [a.id for a in applications]))).scalars()} if applications else {}
        items = []
        named: set[int] = set()
        for application in applications:
            members = []
            for member in application.members:
                named.add(member.person_id)
                person = member.person
                members.append({
                    "person_id": member.person_id, "surname": person.surname,
                    "given_names": person.given_names,
                    "date_of_birth": (person.date_of_birth.isoformat()
                                      if person.date_of_birth else None),
                    "relationship": member.relation, "eligible": member.eligible,
                    "reason": member.reason, "needs_photo_id": member.needs_photo_id})
            permit = permits.get(application.id)
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
        uow.audit("i68.queue_read", "i68_applications", None, status=status, page=page,
                  returned=sorted(named))
        uow.commit()
    return {"status": status, "page": page, "per_page": per_page, "total": int(total),
            "pages": max(1, -(-int(total) // per_page)), "items": items}
