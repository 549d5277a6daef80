"""The registry's records as the read paths see them, read from the database (issue 15).

:mod:`nseers.services.repositories` names what the services ask of the registry (a
person's registrations, the obligations of a registration, the interviews held by a
date...) as small protocols; :class:`SqlRecords` answers them with SQLAlchemy, and a test
answers them from memory (``tests/fakes``). The answers are frozen dataclasses, not ORM
objects: a read path cannot change a record by accident, cannot trigger a lazy load, and
an in-memory store can build the same values. Each query selects only the columns its
record holds, by an index on ``person_id`` or ``registration_id``.

This module imports nothing from the services: the protocols are structural, so
:class:`SqlRecords` satisfies them by its shape (mypy checks it where the services'
registry hands it over, :mod:`nseers.services.context`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    case,
    exists,
    extract,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from nseers.registry.encounters import Encounter
from nseers.registry.i68 import BoatLandingPermit, I68Application, I68Member
from nseers.registry.i94 import I94Record
from nseers.registry.people import Citizenship, Person, PersonName, TravelDocument, name_key
from nseers.registry.refusals import Refusal, RefusalGround
from nseers.registry.registrations import (
    CallInNotice,
    ChangeNotice,
    Interview,
    Obligation,
    SpecialRegistration,
    Violation,
    WaiverRequest,
)
from nseers.rules.obligations import PRESENCE_BOUND_REPORTS


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person's identifying facts, with the citizenships in the order given."""

    id: int
    surname: str
    given_names: str
    surname_original: str | None
    given_names_original: str | None
    script: str | None
    date_of_birth: date | None
    sex: str | None
    citizenships: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EncounterRecord:
    """An arrival, departure or refusal, with the determinations made at the time."""

    id: int
    person_id: int
    kind: str
    outcome: str
    port_code: str
    mode: str | None
    occurred_at: datetime
    occurred_on: date
    admission_class: str | None
    admit_until: date | None
    duration_of_status: bool
    officer: str
    policy_version: str
    determinations: dict[str, Any]
    document_id: int | None
    #: The officer's free-text reason of an inspection's ``refuse`` decision.
    refusal_reason: str | None


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A travel document the registry holds for a person."""

    id: int
    person_id: int
    kind: str
    number: str
    issuing_state: str
    admission_class: str | None
    passport_type: str | None
    expires_on: date | None


@dataclass(frozen=True, slots=True)
class ReferralListing:
    """A referred arrival awaiting secondary inspection, and whom it is about."""

    id: int
    port_code: str
    occurred_at: datetime
    officer: str
    person_id: int
    surname: str
    given_names: str
    date_of_birth: date | None


@dataclass(frozen=True, slots=True)
class RegistrationRecord:
    """A special registration event (8 CFR 264.1(f))."""

    id: int
    person_id: int
    fin: str | None
    route: str
    basis: str
    grounds: list[str]
    registered_on: date
    place: str
    call_in_group: int | None
    timeliness: str | None


@dataclass(frozen=True, slots=True)
class ObligationRecord:
    """A registrant's duty with its window, as the rules computed it at registration."""

    id: int
    registration_id: int
    kind: str
    sequence: int
    status: str
    window_start: date | None
    window_end: date | None
    reasons: list[dict[str, Any]]
    person_id: int


@dataclass(frozen=True, slots=True)
class InterviewRecord:
    """A registrant's appearance: a 30-day or annual report, or a call-in interview."""

    id: int
    registration_id: int
    notice_id: int | None
    kind: str
    held_on: date
    place: str
    outcome: str


@dataclass(frozen=True, slots=True)
class CallInNoticeRecord:
    """A notice to appear for an interview."""

    id: int
    registration_id: int
    channel: str
    issued_on: date
    appear_by: date
    person_id: int


@dataclass(frozen=True, slots=True)
class ChangeNoticeRecord:
    """A change of address, employer or school filed (Form AR-11 SR)."""

    id: int
    registration_id: int
    kind: str
    changed_on: date
    filed_on: date
    form: str
    on_time: bool


@dataclass(frozen=True, slots=True)
class WaiverRecord:
    """A request to waive one obligation and its decision."""

    id: int
    person_id: int
    registration_id: int
    obligation_id: int
    grounds: str
    status: str
    requested_on: date
    requested_by: str
    decided_on: date | None
    decided_by: str | None
    decision_reasons: str | None


@dataclass(frozen=True, slots=True)
class ViolationRecord:
    """A failure to comply and its willfulness assessment."""

    id: int
    person_id: int
    registration_id: int
    kind: str
    occurred_on: date
    description: str
    reasons: list[dict[str, Any]]
    willfulness: str
    assessment: str | None
    assessed_by: str | None
    assessed_on: date | None
    #: The departure a departure-report violation was found at, if any.
    encounter_id: int | None


@dataclass(frozen=True, slots=True)
class I94Entry:
    """A Form I-94 record: admission, class, stay and any surrender."""

    id: int
    number: str
    person_id: int
    admission_class: str | None
    port_code: str
    admitted_on: date
    admit_until: date | None
    duration_of_status: bool
    multiple_entry: bool
    land_border_fee_usd: int | None
    parole: bool
    surrendered_on: date | None


@dataclass(frozen=True, slots=True)
class PermitRecord:
    """A boat landing permit (I-68) on which the person is a member."""

    number: str
    issued_on: date
    expires_on: date
    revoked_on: date | None


@dataclass(frozen=True, slots=True)
class RefusalRecord:
    """A coded refusal of entry (issue 17), with the grounds and procedure explained."""

    id: int
    person_id: int
    encounter_id: int
    port_code: str
    occurred_at: datetime
    occurred_on: date
    officer: str
    procedure: str
    disposition: str
    explanation: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RefusalEncounterRecord:
    """A ``refusal`` encounter with its coded refusal where one was recorded (issue 17);
    one recorded as an inspection's ``refuse`` decision has only a free-text reason."""

    id: int
    person_id: int
    occurred_on: date
    occurred_at: datetime
    port_code: str
    refusal_reason: str | None
    refusal_id: int | None
    explanation: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class RegistrantName:
    """Whom a case is about: the FIN and the name, as a work list shows them."""

    fin: str | None
    surname: str
    given_names: str


@dataclass(frozen=True, slots=True)
class WaiverCase:
    """A waiver request with the obligation it would waive and the registrant."""

    waiver: WaiverRecord
    obligation: ObligationRecord
    registrant: RegistrantName


@dataclass(frozen=True, slots=True)
class ViolationCase:
    """A violation with the registrant it was recorded against."""

    violation: ViolationRecord
    registrant: RegistrantName


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One line of the compliance queue: a report owed or a call-in notice unanswered."""

    person_id: int
    surname: str
    given_names: str
    fin: str | None
    place: str
    kind: str
    sequence: int
    obligation_id: int | None
    notice_id: int | None
    opens_on: date | None
    deadline: date
    status: str


@dataclass(frozen=True, slots=True)
class I68MemberRecord:
    """One person named on an I-68 application, with the eligibility found."""

    person_id: int
    surname: str
    given_names: str
    date_of_birth: date | None
    relation: str
    eligible: bool
    reason: str
    needs_photo_id: bool


@dataclass(frozen=True, slots=True)
class I68ApplicationRecord:
    """A family's Form I-68 application, its members and the permit it was granted."""

    id: int
    port_code: str
    filed_on: date
    filed_by: str
    fee_usd: int
    evidence: list[dict[str, Any]]
    status: str
    decided_on: date | None
    decided_by: str | None
    decision_reasons: str | None
    members: tuple[I68MemberRecord, ...]
    permit: PermitRecord | None


R = TypeVar("R")


def _labelled(record: type[Any], table: FromClause, prefix: str) -> list[Any]:
    """The columns of ``table`` that ``record``'s fields name, labelled ``prefix_name``."""
    return [table.c[f.name].label(f"{prefix}_{f.name}") for f in fields(record)]


def _unlabelled(record: type[R], row: Any, prefix: str) -> R:
    mapping = row._mapping
    return record(**{f.name: mapping[f"{prefix}_{f.name}"]
                     for f in fields(record)})  # type: ignore[arg-type]


class SqlRecords:
    """The read side of the registry over one SQLAlchemy session (a unit of work's)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _read(self, record: type[R], table: FromClause, *where: ColumnElement[bool],
              order: Sequence[str]) -> list[R]:
        """``record`` for each row of ``table`` that ``where`` selects: the columns named
        by the record's fields, ordered by the columns ``order`` names."""
        names = [f.name for f in fields(record)]  # type: ignore[arg-type]
        query = select(*(table.c[name] for name in names)).where(*where).order_by(
            *(table.c[name] for name in order))
        return [record(**row._mapping) for row in self._session.execute(query)]

    def person(self, person_id: int) -> PersonRecord | None:
        """The person ``person_id``, or ``None``; one indexed query (a row per citizenship)."""
        p, c = Person.__table__.c, Citizenship.__table__.c
        rows = self._session.execute(
            select(p.id, p.surname, p.given_names, p.surname_original, p.given_names_original,
                   p.script, p.date_of_birth, p.sex, c.country)
            .outerjoin(Citizenship.__table__, c.person_id == p.id)
            .where(p.id == person_id).order_by(c.position)).all()
        if not rows:
            return None
        first = rows[0]
        return PersonRecord(
            id=first.id, surname=first.surname, given_names=first.given_names,
            surname_original=first.surname_original,
            given_names_original=first.given_names_original, script=first.script,
            date_of_birth=first.date_of_birth, sex=first.sex,
            citizenships=tuple(r.country for r in rows if r.country is not None))

    def encounters_of(self, person_id: int, *, through: date | None = None
                      ) -> list[EncounterRecord]:
        """The person's encounters (on or before ``through``), oldest first."""
        e = Encounter.__table__
        where = [e.c.person_id == person_id]
        if through is not None:
            where.append(e.c.occurred_on <= through)
        return self._read(EncounterRecord, e, *where, order=("occurred_at", "id"))

    def registrations_of(self, person_id: int, *, through: date | None = None
                         ) -> list[RegistrationRecord]:
        """The person's special registrations (made on or before ``through``), oldest
        first."""
        r = SpecialRegistration.__table__
        where = [r.c.person_id == person_id]
        if through is not None:
            where.append(r.c.registered_on <= through)
        return self._read(RegistrationRecord, r, *where, order=("registered_on", "id"))

    def obligations_of(self, registration_id: int) -> list[ObligationRecord]:
        """The registration's obligations, in the order the rules stored them."""
        o = Obligation.__table__
        return self._read(ObligationRecord, o, o.c.registration_id == registration_id,
                          order=("id",))

    def interviews_of(self, registration_id: int, *, through: date) -> list[InterviewRecord]:
        """The registration's interviews held on or before ``through``, oldest first."""
        i = Interview.__table__
        return self._read(InterviewRecord, i, i.c.registration_id == registration_id,
                          i.c.held_on <= through, order=("held_on", "id"))

    def call_in_notices_of(self, registration_id: int, *, through: date
                           ) -> list[CallInNoticeRecord]:
        """The call-in notices issued on or before ``through``, oldest first."""
        n = CallInNotice.__table__
        return self._read(CallInNoticeRecord, n, n.c.registration_id == registration_id,
                          n.c.issued_on <= through, order=("issued_on", "id"))

    def change_notices_of(self, registration_id: int, *, through: date
                          ) -> list[ChangeNoticeRecord]:
        """The change notices filed on or before ``through``, oldest first."""
        c = ChangeNotice.__table__
        return self._read(ChangeNoticeRecord, c, c.c.registration_id == registration_id,
                          c.c.filed_on <= through, order=("filed_on", "id"))

    def waivers_of(self, registration_id: int, *, through: date) -> list[WaiverRecord]:
        """The waiver requests made on or before ``through``, oldest first."""
        w = WaiverRequest.__table__
        return self._read(WaiverRecord, w, w.c.registration_id == registration_id,
                          w.c.requested_on <= through, order=("requested_on", "id"))

    def violations_of(self, registration_id: int, *, through: date) -> list[ViolationRecord]:
        """The registration's violations that occurred on or before ``through``."""
        v = Violation.__table__
        return self._read(ViolationRecord, v, v.c.registration_id == registration_id,
                          v.c.occurred_on <= through, order=("occurred_on", "id"))

    def violations_of_person(self, person_id: int) -> list[ViolationRecord]:
        """Every violation recorded against the person, oldest first."""
        v = Violation.__table__
        return self._read(ViolationRecord, v, v.c.person_id == person_id,
                          order=("occurred_on", "id"))

    def i94s_of(self, person_id: int, *, through: date | None = None) -> list[I94Entry]:
        """The person's I-94 records (admitted on or before ``through``), oldest first."""
        t = I94Record.__table__
        where = [t.c.person_id == person_id]
        if through is not None:
            where.append(t.c.admitted_on <= through)
        return self._read(I94Entry, t, *where, order=("admitted_on", "id"))

    def permits_of(self, person_id: int) -> list[PermitRecord]:
        """The boat landing permits of the applications the person is a member of."""
        b, m = BoatLandingPermit.__table__.c, I68Member.__table__.c
        rows = self._session.execute(
            select(b.number, b.issued_on, b.expires_on, b.revoked_on)
            .join(I68Member.__table__, m.application_id == b.application_id)
            .where(m.person_id == person_id).order_by(b.issued_on, b.number))
        return [PermitRecord(**row._mapping) for row in rows]

    def refusals_of(self, person_id: int) -> list[RefusalRecord]:
        """The person's coded refusals of entry, oldest first."""
        t = Refusal.__table__
        return self._read(RefusalRecord, t, t.c.person_id == person_id,
                          order=("occurred_at", "id"))

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
        query = (select(*_labelled(WaiverRecord, w, "w"), *_labelled(ObligationRecord, o, "o"),
                        r.c.fin, p.c.surname, p.c.given_names)
                 .join(r, r.c.id == w.c.registration_id).join(p, p.c.id == w.c.person_id)
                 .join(o, o.c.id == w.c.obligation_id).where(w.c.status == status)
                 .order_by(w.c.requested_on, w.c.id).limit(limit).offset(offset))
        return [WaiverCase(_unlabelled(WaiverRecord, row, "w"),
                           _unlabelled(ObligationRecord, row, "o"),
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
        query = (select(*_labelled(ViolationRecord, v, "v"), r.c.fin, p.c.surname,
                        p.c.given_names)
                 .join(r, r.c.id == v.c.registration_id).join(p, p.c.id == v.c.person_id)
                 .where(v.c.willfulness == willfulness)
                 .order_by(v.c.occurred_on, v.c.id).limit(limit).offset(offset))
        return [ViolationCase(_unlabelled(ViolationRecord, row, "v"),
                              RegistrantName(row.fin, row.surname, row.given_names))
                for row in self._session.execute(query)]

    # ------------------------------------------------------------- referrals to secondary
    def encounter(self, encounter_id: int) -> EncounterRecord | None:
        """The encounter ``encounter_id``, or ``None``."""
        e = Encounter.__table__
        found = self._read(EncounterRecord, e, e.c.id == encounter_id, order=())
        return found[0] if found else None

    def has_encounter_after(self, person_id: int, after: datetime) -> bool:
        """Whether the person has an encounter later than ``after``."""
        e = Encounter.__table__.c
        return self._session.execute(select(e.id).where(
            e.person_id == person_id, e.occurred_at > after).limit(1)).first() is not None

    def documents_of(self, person_id: int) -> list[DocumentRecord]:
        """The person's travel documents, in the order they were recorded."""
        d = TravelDocument.__table__
        return self._read(DocumentRecord, d, d.c.person_id == person_id, order=("id",))

    def referrals_awaiting_secondary(self, *, port_code: str | None, limit: int
                                     ) -> list[ReferralListing]:
        """The referred arrivals (at ``port_code``) that no later encounter of the same
        person has answered, newest first."""
        e, p = Encounter.__table__, Person.__table__
        later = Encounter.__table__.alias("later")
        unanswered = ~exists().where(and_(later.c.person_id == e.c.person_id,
                                          later.c.occurred_at > e.c.occurred_at))
        query = (select(e.c.id, e.c.port_code, e.c.occurred_at, e.c.officer, e.c.person_id,
                        p.c.surname, p.c.given_names, p.c.date_of_birth)
                 .join(p, p.c.id == e.c.person_id)
                 .where(e.c.kind == "arrival", e.c.outcome == "referred", unanswered)
                 .order_by(e.c.occurred_at.desc(), e.c.id.desc()).limit(limit))
        if port_code:
            query = query.where(e.c.port_code == port_code)
        return [ReferralListing(**row._mapping) for row in self._session.execute(query)]

    # ------------------------------------------------ aggregates: counts, never a name
    def movements_by_day(self, start: date, end: date, *, port_code: str | None
                         ) -> list[tuple[str, date, str, int]]:
        """(port, day, kind, encounters) for each port, day and kind, ``start`` to
        ``end`` inclusive, counted by the database."""
        e = Encounter.__table__.c
        query = (select(e.port_code, e.occurred_on, e.kind, func.count())
                 .where(e.occurred_on >= start, e.occurred_on <= end)
                 .group_by(e.port_code, e.occurred_on, e.kind))
        if port_code:
            query = query.where(e.port_code == port_code)
        return [(port, day, kind, int(count))
                for port, day, kind, count in self._session.execute(query)]

    def movements_by_month(self, start: date, end: date, *, port_code: str | None
                           ) -> list[tuple[str, int, int, str, int]]:
        """(port, year, month, kind, encounters), ``start`` to ``end`` inclusive."""
        e = Encounter.__table__.c
        year, month = extract("year", e.occurred_on), extract("month", e.occurred_on)
        query = (select(e.port_code, year, month, e.kind, func.count())
                 .where(e.occurred_on >= start, e.occurred_on <= end)
                 .group_by(e.port_code, year, month, e.kind))
        if port_code:
            query = query.where(e.port_code == port_code)
        return [(port, int(y), int(m), kind, int(count))
                for port, y, m, kind, count in self._session.execute(query)]

    def registrations_by_basis(self, start: date, end: date) -> list[tuple[str, str, int]]:
        """(basis, route, registrations) made ``start`` to ``end``, by basis and route."""
        r = SpecialRegistration.__table__.c
        query = (select(r.basis, r.route, func.count())
                 .where(r.registered_on >= start, r.registered_on <= end)
                 .group_by(r.basis, r.route).order_by(r.basis, r.route))
        return [(basis, route, int(count))
                for basis, route, count in self._session.execute(query)]

    def refusals_by_ground(self, start: date, end: date) -> list[tuple[str, str, int]]:
        """(ground, port, refusals) of the coded refusals ``start`` to ``end``; a refusal
        on two grounds counts under each."""
        g, f = RefusalGround.__table__, Refusal.__table__
        query = (select(g.c.ground, f.c.port_code, func.count())
                 .join(f, f.c.id == g.c.refusal_id)
                 .where(f.c.occurred_on >= start, f.c.occurred_on <= end)
                 .group_by(g.c.ground, f.c.port_code).order_by(g.c.ground, f.c.port_code))
        return [(ground, port, int(count))
                for ground, port, count in self._session.execute(query)]

    def registration_days(self, start: date, end: date) -> list[date]:
        """The day of each special registration made ``start`` to ``end``."""
        r = SpecialRegistration.__table__.c
        return list(self._session.execute(select(r.registered_on).where(
            r.registered_on >= start, r.registered_on <= end)).scalars())

    def registrant_departures(self, start: date, end: date) -> list[tuple[date, bool]]:
        """(day, whether a departure-report violation was recorded against it) for each
        departure ``start`` to ``end`` of a person registered on or before that day."""
        e = Encounter.__table__.c
        r, v = SpecialRegistration.__table__.c, Violation.__table__.c
        registered = exists().where(r.person_id == e.person_id,
                                    r.registered_on <= e.occurred_on)
        violated = exists().where(and_(v.encounter_id == e.id,
                                       v.kind == "departure_report"))
        query = select(e.occurred_on, violated.label("violated")).where(
            e.kind == "departure", e.occurred_on >= start, e.occurred_on <= end, registered)
        return [(day, bool(was)) for day, was in self._session.execute(query)]

    def expected_departures(self, start: date, end: date
                            ) -> list[tuple[date, date | None]]:
        """(admit-until, surrendered-on) of each I-94 whose admit-until date falls
        ``start`` to ``end`` (those admitted for the duration of status have none)."""
        t = I94Record.__table__.c
        query = select(t.admit_until, t.surrendered_on).where(
            t.admit_until.is_not(None), t.admit_until >= start, t.admit_until <= end)
        return [(until, surrendered) for until, surrendered in self._session.execute(query)]

    # ------------------------------------------------------------------ refusals, earlier
    def refusal_encounters_of(self, person_ids: Sequence[int], *,
                              before: datetime | None = None
                              ) -> list[RefusalEncounterRecord]:
        """Every refusal encounter of the persons (before ``before``), by person, oldest
        first: a query per 500 persons."""
        wanted = sorted(set(person_ids))
        e, r = Encounter.__table__, Refusal.__table__
        found = []
        for start in range(0, len(wanted), 500):
            query = (select(e.c.id, e.c.person_id, e.c.occurred_on, e.c.occurred_at,
                            e.c.port_code, e.c.refusal_reason, r.c.id.label("refusal_id"),
                            r.c.explanation)
                     .outerjoin(r, r.c.encounter_id == e.c.id)
                     .where(e.c.kind == "refusal",
                            e.c.person_id.in_(wanted[start:start + 500]))
                     .order_by(e.c.person_id, e.c.occurred_at, e.c.id))
            if before is not None:
                query = query.where(e.c.occurred_at < before)
            found += [RefusalEncounterRecord(**row._mapping)
                      for row in self._session.execute(query)]
        return found

    # ----------------------------------------------------------- the traveller's own I-94
    def identity_matches(self, *, surname: str, given_names: str, date_of_birth: date,
                         document_number: str, document_kinds: frozenset[str],
                         limit: int) -> list[int]:
        """The ids of the persons (at most ``limit``) born on ``date_of_birth``, holding a
        document of one of ``document_kinds`` numbered ``document_number``, and known by
        the name (compared as search keys: case and accents folded, in any script)."""
        p, d, n = Person.__table__.c, TravelDocument.__table__.c, PersonName.__table__.c
        query = (select(p.id).distinct()
                 .join(TravelDocument.__table__, d.person_id == p.id)
                 .join(PersonName.__table__, n.person_id == p.id)
                 .where(d.number == document_number, d.kind.in_(sorted(document_kinds)),
                        p.date_of_birth == date_of_birth,
                        n.surname_key == name_key(surname),
                        n.given_names_key == name_key(given_names))
                 .order_by(p.id).limit(limit))
        return list(self._session.execute(query).scalars())

    def latest_i94(self, person_id: int) -> I94Entry | None:
        """The person's most recent I-94 (by admission, then by record), or ``None``."""
        t = I94Record.__table__
        query = (select(*(t.c[f.name] for f in fields(I94Entry)))
                 .where(t.c.person_id == person_id)
                 .order_by(t.c.admitted_on.desc(), t.c.id.desc()).limit(1))
        row = self._session.execute(query).first()
        return None if row is None else I94Entry(**row._mapping)

    def latest_movements(self, person_id: int, *, limit: int) -> list[EncounterRecord]:
        """The person's latest arrivals and departures, newest first, at most ``limit``."""
        e = Encounter.__table__
        query = (select(*(e.c[f.name] for f in fields(EncounterRecord)))
                 .where(e.c.person_id == person_id, e.c.kind.in_(("arrival", "departure")))
                 .order_by(e.c.occurred_at.desc(), e.c.id.desc()).limit(limit))
        return [EncounterRecord(**row._mapping) for row in self._session.execute(query)]

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
