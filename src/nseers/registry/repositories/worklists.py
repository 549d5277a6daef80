"""The work lists: waiver requests, violations to assess, the compliance queue, I-68
applications; a page at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, null, select, union_all
from sqlalchemy.orm import aliased

from nseers.core.records import (
    I68ApplicationRecord,
    I68MemberRecord,
    ObligationRecord,
    PermitRecord,
    QueueEntry,
    RegistrantName,
    ViolationCase,
    ViolationRecord,
    WaiverCase,
    WaiverRecord,
)
from nseers.registry.encounters import Encounter
from nseers.registry.i68 import BoatLandingPermit, I68Application, I68Member
from nseers.registry.people import Person
from nseers.registry.registrations import (
    CallInNotice,
    Interview,
    Obligation,
    SpecialRegistration,
    Violation,
    WaiverRequest,
)
from nseers.registry.repositories.base import Queries, labelled, unlabelled
from nseers.rules.obligations import PRESENCE_BOUND_REPORTS


class WorkListQueries(Queries):
    """The casework lists and the queues."""

    # ------------------------------------------------------------ casework (issue 17)
    def count_waiver_requests(self, status: str) -> int:
        """How many waiver requests are in ``status``."""
        w = WaiverRequest.__table__.c
        return int(self._session.execute(select(func.count()).select_from(
            WaiverRequest.__table__).where(w.status == status)).scalar_one())

    def waiver_requests(self, status: str, *, limit: int, offset: int) -> list[WaiverCase]:
        """A page of the waiver requests in ``status``, oldest request first."""
        w, o = WaiverRequest.__table__, Obligation.__table__
        r, p = SpecialRegistration.__table__, Person.__table__
        query = (select(*labelled(WaiverRecord, w, "w"), *labelled(ObligationRecord, o, "o"),
                        r.c.fin, p.c.surname, p.c.given_names)
                 .join(r, r.c.id == w.c.registration_id).join(p, p.c.id == w.c.person_id)
                 .join(o, o.c.id == w.c.obligation_id).where(w.c.status == status)
                 .order_by(w.c.requested_on, w.c.id).limit(limit).offset(offset))
        return [WaiverCase(unlabelled(WaiverRecord, row, "w"),
                           unlabelled(ObligationRecord, row, "o"),
                           RegistrantName(row.fin, row.surname, row.given_names))
                for row in self._session.execute(query)]

    def count_violations(self, willfulness: str) -> int:
        """How many violations have the willfulness assessment ``willfulness``."""
        v = Violation.__table__.c
        return int(self._session.execute(select(func.count()).select_from(
            Violation.__table__).where(v.willfulness == willfulness)).scalar_one())

    def violations_assessed(self, willfulness: str, *, limit: int, offset: int
                            ) -> list[ViolationCase]:
        """A page of the violations assessed ``willfulness``, oldest first."""
        v, r, p = Violation.__table__, SpecialRegistration.__table__, Person.__table__
        query = (select(*labelled(ViolationRecord, v, "v"), r.c.fin, p.c.surname,
                        p.c.given_names)
                 .join(r, r.c.id == v.c.registration_id).join(p, p.c.id == v.c.person_id)
                 .where(v.c.willfulness == willfulness)
                 .order_by(v.c.occurred_on, v.c.id).limit(limit).offset(offset))
        return [ViolationCase(unlabelled(ViolationRecord, row, "v"),
                              RegistrantName(row.fin, row.surname, row.given_names))
                for row in self._session.execute(query)]

    # ------------------------------------------------------------- the compliance queue
    def _owed(self, *, as_of: date, report_kinds: Sequence[str], notices: bool,
              suspended: Sequence[str], status: str | None, due_by: date | None,
              place: str | None) -> Select[Any]:
        """Every queue line as one union: reports owed, then call-in notices unanswered.

        A report is owed once its window has opened, unless an interview of its kind was
        completed within the window, a waiver of it was granted by ``as_of``, it is stored
        as suspended and its kind is ``suspended`` by then, or the registrant left before
        the window opened (``rules.obligations.relieving_departure``, in SQL: the contract
        test holds it to the rules function on generated data). A notice is owed from its
        issue until the interview on it is recorded.
        """
        o, r = Obligation.__table__.c, SpecialRegistration.__table__.c
        i, w = Interview.__table__.c, WaiverRequest.__table__.c
        e, n = Encounter.__table__.c, CallInNotice.__table__.c
        met = exists().where(i.registration_id == o.registration_id, i.kind == o.kind,
                             i.outcome == "completed", i.held_on >= o.window_start,
                             i.held_on <= o.window_end)
        relieved = exists().where(e.person_id == o.person_id, e.kind == "departure",
                                  e.occurred_on >= r.registered_on,
                                  e.occurred_on < o.window_start, e.occurred_on <= as_of,
                                  o.kind.in_(sorted(PRESENCE_BOUND_REPORTS)))
        waived = exists().where(w.obligation_id == o.id, w.status == "granted",
                                w.decided_on <= as_of)
        reports = (select(o.person_id.label("person_id"), r.fin.label("fin"),
                          r.place.label("place"), o.kind.label("kind"),
                          o.sequence.label("sequence"), o.id.label("obligation_id"),
                          null().label("notice_id"), o.window_start.label("opens_on"),
                          o.window_end.label("deadline"))
                   .join(SpecialRegistration.__table__, r.id == o.registration_id)
                   .where(o.kind.in_(list(report_kinds)),
                          ~and_(o.status == "suspended", o.kind.in_(list(suspended))),
                          o.window_start <= as_of, ~met, ~waived, ~relieved))
        standing = aliased(Obligation)
        answered = exists().where(i.notice_id == n.id)
        unanswered = (select(n.person_id.label("person_id"), r.fin.label("fin"),
                             r.place.label("place"),
                             literal("call_in_interview").label("kind"),
                             literal(0).label("sequence"), standing.id.label("obligation_id"),
                             n.id.label("notice_id"), n.issued_on.label("opens_on"),
                             n.appear_by.label("deadline"))
                      .join(SpecialRegistration.__table__, r.id == n.registration_id)
                      .outerjoin(standing, and_(standing.registration_id == n.registration_id,
                                                standing.kind == "call_in_interview"))
                      .where(n.issued_on <= as_of, ~answered))
        parts = []
        if report_kinds:
            parts.append(reports)
        if notices:
            parts.append(unanswered)
        if not parts:
            parts.append(reports.where(literal(False)))
        if place:
            parts = [part.where(r.place == place) for part in parts]
        rows = union_all(*parts).subquery("queue")
        overdue = case((rows.c.deadline < as_of, "overdue"), else_="due").label("status")
        p = Person.__table__.c
        listing = select(rows, overdue, p.surname, p.given_names).join(
            Person.__table__, p.id == rows.c.person_id)
        if status == "overdue":
            listing = listing.where(rows.c.deadline < as_of)
        elif status == "due":
            listing = listing.where(rows.c.deadline >= as_of)
        if due_by is not None:
            listing = listing.where(rows.c.deadline <= due_by)
        return listing

    def count_owed(self, *, as_of: date, report_kinds: Sequence[str], notices: bool,
                   suspended: Sequence[str], status: str | None, due_by: date | None,
                   place: str | None) -> int:
        """How many lines the compliance queue holds for these criteria."""
        listing = self._owed(as_of=as_of, report_kinds=report_kinds, notices=notices,
                             suspended=suspended, status=status, due_by=due_by,
                             place=place).subquery("listing")
        return int(self._session.execute(select(func.count()).select_from(listing))
                   .scalar_one())

    def owed(self, *, as_of: date, report_kinds: Sequence[str], notices: bool,
             suspended: Sequence[str], status: str | None, due_by: date | None,
             place: str | None, limit: int, offset: int) -> list[QueueEntry]:
        """A page of the compliance queue, oldest deadline first (then by person, kind,
        sequence, notice and obligation, so a page is the same on every database)."""
        listing = self._owed(as_of=as_of, report_kinds=report_kinds, notices=notices,
                             suspended=suspended, status=status, due_by=due_by,
                             place=place).subquery("listing")
        c = listing.c
        query = (select(*(c[f.name] for f in fields(QueueEntry)))
                 .order_by(c.deadline, c.person_id, c.kind, c.sequence, c.notice_id,
                           c.obligation_id)
                 .limit(limit).offset(offset))
        return [QueueEntry(**row._mapping) for row in self._session.execute(query)]

    # ---------------------------------------------------------------- I-68 adjudication
    def count_i68_applications(self, status: str) -> int:
        """How many I-68 applications are in ``status``."""
        a = I68Application.__table__.c
        return int(self._session.execute(select(func.count()).select_from(
            I68Application.__table__).where(a.status == status)).scalar_one())

    def i68_applications(self, status: str, *, limit: int, offset: int
                         ) -> list[I68ApplicationRecord]:
        """A page of the I-68 applications in ``status``, oldest filing first, each with
        its members (in the order named) and its permit."""
        a = I68Application.__table__
        names = ("id", "port_code", "filed_on", "filed_by", "fee_usd", "evidence", "status",
                 "decided_on", "decided_by", "decision_reasons")
        applications = self._session.execute(
            select(*(a.c[name] for name in names)).where(a.c.status == status)
            .order_by(a.c.filed_on, a.c.id).limit(limit).offset(offset)).all()
        wanted = [row.id for row in applications]
        if not wanted:
            return []
        m, p, b = I68Member.__table__.c, Person.__table__.c, BoatLandingPermit.__table__.c
        members: dict[int, list[I68MemberRecord]] = {}
        for row in self._session.execute(
                select(m.application_id, m.person_id, p.surname, p.given_names,
                       p.date_of_birth, m.relationship, m.eligible, m.reason,
                       m.needs_photo_id)
                .join(Person.__table__, p.id == m.person_id)
                .where(m.application_id.in_(wanted)).order_by(m.id)):
            members.setdefault(row.application_id, []).append(I68MemberRecord(
                row.person_id, row.surname, row.given_names, row.date_of_birth,
                row.relationship, row.eligible, row.reason, row.needs_photo_id))
        permits = {row.application_id: PermitRecord(row.number, row.issued_on,
                                                    row.expires_on, row.revoked_on)
                   for row in self._session.execute(
                       select(b.application_id, b.number, b.issued_on, b.expires_on,
                              b.revoked_on).where(b.application_id.in_(wanted)))}
        return [I68ApplicationRecord(**{name: getattr(row, name) for name in names},
                                     members=tuple(members.get(row.id, ())),
                                     permit=permits.get(row.id))
                for row in applications]
