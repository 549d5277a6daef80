"""A person's records: the timeline, the compliance report, a referral's facts, the
traveller's own I-94 and earlier refusals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import date, datetime

from sqlalchemy import and_, exists, select

from nseers.core.records import (
    CallInNoticeRecord,
    ChangeNoticeRecord,
    DocumentRecord,
    EncounterRecord,
    I94Entry,
    InterviewRecord,
    ObligationRecord,
    PermitRecord,
    PersonRecord,
    ReferralListing,
    RefusalEncounterRecord,
    RefusalRecord,
    RegistrationRecord,
    ViolationRecord,
    WaiverRecord,
)
from nseers.registry.encounters import Encounter
from nseers.registry.i68 import BoatLandingPermit, I68Member
from nseers.registry.i94 import I94Record
from nseers.registry.people import Citizenship, Person, PersonName, TravelDocument, name_key
from nseers.registry.refusals import Refusal
from nseers.registry.registrations import (
    CallInNotice,
    ChangeNotice,
    Interview,
    Obligation,
    SpecialRegistration,
    Violation,
    WaiverRequest,
)
from nseers.registry.repositories.base import Queries


class PersonQueries(Queries):
    """What is recorded about one person (or one registration), oldest first."""

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
