"""The registry's records in memory: :class:`nseers.services.repositories.RecordStore`
without a database (issue 15, fault 5).

:class:`MemoryRecords` holds the same frozen records the database answers with
(:mod:`nseers.registry.repositories`) in plain lists and answers each query by filtering
and sorting them, so a unit test can run a converted service (the timeline, the compliance
report, the casework lists) on facts it wrote down. :class:`MemoryRegistry` hands out units
of work over them: the actor's permission is checked first, and the audit entries of a
work are kept only when it commits, as the database's unit of work keeps them.

``tests/integration/test_repository_contract.py`` runs one scenario on this fake and on
SQLite and PostgreSQL and requires equal answers, so the fake cannot drift.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from nseers.core.actors import Actor, Permission
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
from nseers.registry.repositories import (
    CallInNoticeRecord,
    ChangeNoticeRecord,
    DocumentRecord,
    EncounterRecord,
    I68ApplicationRecord,
    I68MemberRecord,
    I94Entry,
    InterviewRecord,
    ObligationRecord,
    PermitRecord,
    PersonRecord,
    QueueEntry,
    ReferralListing,
    RefusalEncounterRecord,
    RefusalRecord,
    RegistrantName,
    RegistrationRecord,
    ViolationCase,
    ViolationRecord,
    WaiverCase,
    WaiverRecord,
)
from nseers.rules.engine import Engine
from nseers.rules.obligations import relieving_departure

R = TypeVar("R")


def _through(records: Iterable[R], day: Callable[[R], date], through: date | None) -> list[R]:
    return [r for r in records if through is None or day(r) <= through]


def _oldest_first(records: Iterable[R], *key: str) -> list[R]:
    return sorted(records, key=lambda r: tuple(getattr(r, k) for k in key))


@dataclass
class MemoryRecords:
    """Every record, in lists; the queries of :class:`~nseers.services.repositories.Records`."""

    persons: list[PersonRecord] = field(default_factory=list)
    encounters: list[EncounterRecord] = field(default_factory=list)
    registrations: list[RegistrationRecord] = field(default_factory=list)
    obligations: list[ObligationRecord] = field(default_factory=list)
    interviews: list[InterviewRecord] = field(default_factory=list)
    notices: list[CallInNoticeRecord] = field(default_factory=list)
    changes: list[ChangeNoticeRecord] = field(default_factory=list)
    waivers: list[WaiverRecord] = field(default_factory=list)
    violations: list[ViolationRecord] = field(default_factory=list)
    i94s: list[I94Entry] = field(default_factory=list)
    #: Each permit with the person ids of its application's members.
    permits: list[tuple[PermitRecord, tuple[int, ...]]] = field(default_factory=list)
    refusals: list[RefusalRecord] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)
    #: The coded grounds of each refusal: (refusal id, ground code).
    refusal_grounds: list[tuple[int, str]] = field(default_factory=list)
    #: The search keys of each name a person is known by: (person id, surname, given).
    names: list[tuple[int, str, str]] = field(default_factory=list)
    applications: list[I68ApplicationRecord] = field(default_factory=list)

    def person(self, person_id: int) -> PersonRecord | None:
        return next((p for p in self.persons if p.id == person_id), None)

    def encounters_of(self, person_id: int, *, through: date | None = None
                      ) -> list[EncounterRecord]:
        mine = (e for e in self.encounters if e.person_id == person_id)
        return _oldest_first(_through(mine, lambda e: e.occurred_on, through),
                             "occurred_at", "id")

    def registrations_of(self, person_id: int, *, through: date | None = None
                         ) -> list[RegistrationRecord]:
        mine = (r for r in self.registrations if r.person_id == person_id)
        return _oldest_first(_through(mine, lambda r: r.registered_on, through),
                             "registered_on", "id")

    def obligations_of(self, registration_id: int) -> list[ObligationRecord]:
        return _oldest_first((o for o in self.obligations
                              if o.registration_id == registration_id), "id")

    def interviews_of(self, registration_id: int, *, through: date) -> list[InterviewRecord]:
        mine = (i for i in self.interviews if i.registration_id == registration_id)
        return _oldest_first(_through(mine, lambda i: i.held_on, through), "held_on", "id")

    def call_in_notices_of(self, registration_id: int, *, through: date
                           ) -> list[CallInNoticeRecord]:
        mine = (n for n in self.notices if n.registration_id == registration_id)
        return _oldest_first(_through(mine, lambda n: n.issued_on, through), "issued_on", "id")

    def change_notices_of(self, registration_id: int, *, through: date
                          ) -> list[ChangeNoticeRecord]:
        mine = (c for c in self.changes if c.registration_id == registration_id)
        return _oldest_first(_through(mine, lambda c: c.filed_on, through), "filed_on", "id")

    def waivers_of(self, registration_id: int, *, through: date) -> list[WaiverRecord]:
        mine = (w for w in self.waivers if w.registration_id == registration_id)
        return _oldest_first(_through(mine, lambda w: w.requested_on, through),
                             "requested_on", "id")

    def violations_of(self, registration_id: int, *, through: date) -> list[ViolationRecord]:
        mine = (v for v in self.violations if v.registration_id == registration_id)
        return _oldest_first(_through(mine, lambda v: v.occurred_on, through),
                             "occurred_on", "id")

    def violations_of_person(self, person_id: int) -> list[ViolationRecord]:
        return _oldest_first((v for v in self.violations if v.person_id == person_id),
                             "occurred_on", "id")

    def i94s_of(self, person_id: int, *, through: date | None = None) -> list[I94Entry]:
        mine = (r for r in self.i94s if r.person_id == person_id)
        return _oldest_first(_through(mine, lambda r: r.admitted_on, through),
                             "admitted_on", "id")

    def permits_of(self, person_id: int) -> list[PermitRecord]:
        return _oldest_first((p for p, members in self.permits if person_id in members),
                             "issued_on", "number")

    def refusals_of(self, person_id: int) -> list[RefusalRecord]:
        return _oldest_first((r for r in self.refusals if r.person_id == person_id),
                             "occurred_at", "id")

    # ------------------------------------------------------------ casework (issue 17)
    def _registrant(self, registration_id: int, person_id: int) -> RegistrantName | None:
        """The FIN and name, or ``None`` where either record is missing (an inner join)."""
        registration = next((r for r in self.registrations if r.id == registration_id), None)
        person = self.person(person_id)
        if registration is None or person is None:
            return None
        return RegistrantName(registration.fin, person.surname, person.given_names)

    def _waiver_cases(self, status: str) -> list[WaiverCase]:
        cases = []
        for waiver in _oldest_first((w for w in self.waivers if w.status == status),
                                    "requested_on", "id"):
            obligation = next((o for o in self.obligations if o.id == waiver.obligation_id),
                              None)
            registrant = self._registrant(waiver.registration_id, waiver.person_id)
            if obligation is not None and registrant is not None:
                cases.append(WaiverCase(waiver, obligation, registrant))
        return cases

    def count_waiver_requests(self, status: str) -> int:
        return sum(1 for w in self.waivers if w.status == status)

    def waiver_requests(self, status: str, *, limit: int, offset: int) -> list[WaiverCase]:
        return self._waiver_cases(status)[offset:offset + limit]

    def count_violations(self, willfulness: str) -> int:
        return sum(1 for v in self.violations if v.willfulness == willfulness)

    def violations_assessed(self, willfulness: str, *, limit: int, offset: int
                            ) -> list[ViolationCase]:
        cases = []
        for violation in _oldest_first((v for v in self.violations
                                        if v.willfulness == willfulness),
                                       "occurred_on", "id"):
            registrant = self._registrant(violation.registration_id, violation.person_id)
            if registrant is not None:
                cases.append(ViolationCase(violation, registrant))
        return cases[offset:offset + limit]

    # ------------------------------------------------------------- referrals to secondary
    def encounter(self, encounter_id: int) -> EncounterRecord | None:
        return next((e for e in self.encounters if e.id == encounter_id), None)

    def has_encounter_after(self, person_id: int, after: datetime) -> bool:
        return any(e.person_id == person_id and e.occurred_at > after
                   for e in self.encounters)

    def documents_of(self, person_id: int) -> list[DocumentRecord]:
        return _oldest_first((d for d in self.documents if d.person_id == person_id), "id")

    def referrals_awaiting_secondary(self, *, port_code: str | None, limit: int
                                     ) -> list[ReferralListing]:
        waiting = [e for e in self.encounters
                   if e.kind == "arrival" and e.outcome == "referred"
                   and (not port_code or e.port_code == port_code)
                   and not self.has_encounter_after(e.person_id, e.occurred_at)]
        listed = []
        for e in sorted(waiting, key=lambda e: (e.occurred_at, e.id), reverse=True):
            person = self.person(e.person_id)
            if person is not None:
                listed.append(ReferralListing(e.id, e.port_code, e.occurred_at, e.officer,
                                              e.person_id, person.surname, person.given_names,
                                              person.date_of_birth))
        return listed[:limit]

    # ------------------------------------------------ aggregates: counts, never a name
    def _movements(self, start: date, end: date, port_code: str | None
                   ) -> list[EncounterRecord]:
        return [e for e in self.encounters if start <= e.occurred_on <= end
                and (not port_code or e.port_code == port_code)]

    def movements_by_day(self, start: date, end: date, *, port_code: str | None
                         ) -> list[tuple[str, date, str, int]]:
        counted = Counter((e.port_code, e.occurred_on, e.kind)
                          for e in self._movements(start, end, port_code))
        return [(*key, count) for key, count in counted.items()]

    def movements_by_month(self, start: date, end: date, *, port_code: str | None
                           ) -> list[tuple[str, int, int, str, int]]:
        counted = Counter((e.port_code, e.occurred_on.year, e.occurred_on.month, e.kind)
                          for e in self._movements(start, end, port_code))
        return [(*key, count) for key, count in counted.items()]

    def registrations_by_basis(self, start: date, end: date) -> list[tuple[str, str, int]]:
        counted = Counter((r.basis, r.route) for r in self.registrations
                          if start <= r.registered_on <= end)
        return [(*key, counted[key]) for key in sorted(counted)]

    def refusals_by_ground(self, start: date, end: date) -> list[tuple[str, str, int]]:
        ports = {r.id: r.port_code for r in self.refusals if start <= r.occurred_on <= end}
        counted = Counter((ground, ports[refusal_id])
                          for refusal_id, ground in self.refusal_grounds
                          if refusal_id in ports)
        return [(*key, counted[key]) for key in sorted(counted)]

    def registration_days(self, start: date, end: date) -> list[date]:
        return [r.registered_on for r in self.registrations
                if start <= r.registered_on <= end]

    def registrant_departures(self, start: date, end: date) -> list[tuple[date, bool]]:
        violated = {v.encounter_id for v in self.violations
                    if v.kind == "departure_report" and v.encounter_id is not None}
        return [(e.occurred_on, e.id in violated) for e in self.encounters
                if e.kind == "departure" and start <= e.occurred_on <= end
                and any(r.person_id == e.person_id and r.registered_on <= e.occurred_on
                        for r in self.registrations)]

    def expected_departures(self, start: date, end: date
                            ) -> list[tuple[date, date | None]]:
        return [(r.admit_until, r.surrendered_on) for r in self.i94s
                if r.admit_until is not None and start <= r.admit_until <= end]

    # ------------------------------------------------------------------ refusals, earlier
    def refusal_encounters_of(self, person_ids: Sequence[int], *,
                              before: datetime | None = None
                              ) -> list[RefusalEncounterRecord]:
        coded = {r.encounter_id: r for r in self.refusals}
        found = []
        for e in _oldest_first(self.encounters, "person_id", "occurred_at", "id"):
            if e.kind != "refusal" or e.person_id not in person_ids \
                    or (before is not None and e.occurred_at >= before):
                continue
            refusal = coded.get(e.id)
            found.append(RefusalEncounterRecord(
                e.id, e.person_id, e.occurred_on, e.occurred_at, e.port_code,
                e.refusal_reason, None if refusal is None else refusal.id,
                None if refusal is None else refusal.explanation))
        return found

    # ----------------------------------------------------------- the traveller's own I-94
    def identity_matches(self, *, surname: str, given_names: str, date_of_birth: date,
                         document_number: str, document_kinds: frozenset[str],
                         limit: int) -> list[int]:
        keys = (name_key(surname), name_key(given_names))
        named = {person_id for person_id, *known in self.names if tuple(known) == keys}
        holding = {d.person_id for d in self.documents
                   if d.number == document_number and d.kind in document_kinds}
        born = {p.id for p in self.persons if p.date_of_birth == date_of_birth}
        return sorted(named & holding & born)[:limit]

    def latest_i94(self, person_id: int) -> I94Entry | None:
        mine = self.i94s_of(person_id)
        return mine[-1] if mine else None

    def latest_movements(self, person_id: int, *, limit: int) -> list[EncounterRecord]:
        mine = [e for e in self.encounters_of(person_id) if e.kind in ("arrival", "departure")]
        return mine[::-1][:limit]

    # ------------------------------------------------------------- the compliance queue
    def _report_owed(self, o: ObligationRecord, registration: RegistrationRecord,
                     as_of: date, suspended: Sequence[str]) -> bool:
        """The report is owed on ``as_of``: judged with the rules function the compliance
        report uses (``relieving_departure``), so the contract test holds the database's
        SQL to it."""
        if o.window_start is None or o.window_end is None or o.window_start > as_of:
            return False
        if o.status == "suspended" and o.kind in suspended:
            return False
        start, end = o.window_start, o.window_end
        if any(i.kind == o.kind and i.outcome == "completed" and start <= i.held_on <= end
               for i in self.interviews if i.registration_id == o.registration_id):
            return False
        if any(w.obligation_id == o.id and w.status == "granted"
               and w.decided_on is not None and w.decided_on <= as_of for w in self.waivers):
            return False
        departures = (e.occurred_on for e in self.encounters_of(o.person_id, through=as_of)
                      if e.kind == "departure")
        return relieving_departure(o.kind, registration.registered_on, o.window_start,
                                   departures) is None

    def _owed(self, *, as_of: date, report_kinds: Sequence[str], notices: bool,
              suspended: Sequence[str], status: str | None, due_by: date | None,
              place: str | None) -> list[QueueEntry]:
        registrations = {r.id: r for r in self.registrations}
        # Each line: the person, registration, kind, sequence, obligation and notice ids,
        # the day it opens and its deadline.
        lines: list[tuple[int, RegistrationRecord, str, int, int | None, int | None,
                          date | None, date]] = []
        for o in self.obligations:
            registration = registrations.get(o.registration_id)
            if registration is not None and o.kind in report_kinds \
                    and self._report_owed(o, registration, as_of, suspended):
                assert o.window_end is not None
                lines.append((o.person_id, registration, o.kind, o.sequence, o.id, None,
                              o.window_start, o.window_end))
        answered = {i.notice_id for i in self.interviews}
        for n in self.notices if notices else ():
            registration = registrations.get(n.registration_id)
            if registration is None or n.issued_on > as_of or n.id in answered:
                continue
            standing = [o.id for o in self.obligations if o.kind == "call_in_interview"
                        and o.registration_id == n.registration_id] or [None]
            lines += [(n.person_id, registration, "call_in_interview", 0, obligation_id,
                       n.id, n.issued_on, n.appear_by) for obligation_id in standing]
        entries = []
        for (person_id, registration, kind, sequence, obligation_id, notice_id, opens,
             deadline) in lines:
            person = self.person(person_id)
            late = "overdue" if deadline < as_of else "due"
            if person is None or (place and registration.place != place) \
                    or (status is not None and status != late) \
                    or (due_by is not None and deadline > due_by):
                continue
            entries.append(QueueEntry(person.id, person.surname, person.given_names,
                                      registration.fin, registration.place, kind, sequence,
                                      obligation_id, notice_id, opens, deadline, late))
        return sorted(entries, key=lambda e: (e.deadline, e.person_id, e.kind, e.sequence,
                                              e.notice_id or 0, e.obligation_id or 0))

    def count_owed(self, **criteria: Any) -> int:
        return len(self._owed(**criteria))

    def owed(self, *, limit: int, offset: int, **criteria: Any) -> list[QueueEntry]:
        return self._owed(**criteria)[offset:offset + limit]

    # ---------------------------------------------------------------- I-68 adjudication
    def count_i68_applications(self, status: str) -> int:
        return sum(1 for a in self.applications if a.status == status)

    def i68_applications(self, status: str, *, limit: int, offset: int
                         ) -> list[I68ApplicationRecord]:
        return _oldest_first((a for a in self.applications if a.status == status),
                             "filed_on", "id")[offset:offset + limit]

    @classmethod
    def copied_from(cls, session: Session) -> MemoryRecords:
        """Every row of the database, whole tables read plainly (no query of
        :class:`~nseers.registry.repositories.SqlRecords`): the contract test's copy."""

        def rows(record: type[R], model: Any) -> list[R]:
            names = [f.name for f in fields(record)]  # type: ignore[arg-type]
            return [record(**{n: getattr(row, n) for n in names})
                    for row in session.execute(select(model)).scalars()]

        citizenships: dict[int, list[Citizenship]] = {}
        for c in session.execute(select(Citizenship)).scalars():
            citizenships.setdefault(c.person_id, []).append(c)
        persons = [PersonRecord(
            id=p.id, surname=p.surname, given_names=p.given_names,
            surname_original=p.surname_original, given_names_original=p.given_names_original,
            script=p.script, date_of_birth=p.date_of_birth, sex=p.sex,
            citizenships=tuple(c.country for c in sorted(citizenships.get(p.id, []),
                                                         key=lambda c: c.position)))
            for p in session.execute(select(Person)).scalars()]
        members: dict[int, list[I68Member]] = {}
        for m in session.execute(select(I68Member)).scalars():
            members.setdefault(m.application_id, []).append(m)
        by_application = {p.application_id: PermitRecord(p.number, p.issued_on, p.expires_on,
                                                          p.revoked_on)
                          for p in session.execute(select(BoatLandingPermit)).scalars()}
        permits = [(permit, tuple(m.person_id for m in members.get(application_id, ())))
                   for application_id, permit in by_application.items()]
        people = {p.id: p for p in persons}
        applications = [I68ApplicationRecord(
            a.id, a.port_code, a.filed_on, a.filed_by, a.fee_usd, a.evidence, a.status,
            a.decided_on, a.decided_by, a.decision_reasons,
            tuple(I68MemberRecord(m.person_id, people[m.person_id].surname,
                                  people[m.person_id].given_names,
                                  people[m.person_id].date_of_birth, m.relation, m.eligible,
                                  m.reason, m.needs_photo_id)
                  for m in sorted(members.get(a.id, []), key=lambda m: m.id)),
            by_application.get(a.id))
            for a in session.execute(select(I68Application)).scalars()]
        return cls(
            persons=persons, encounters=rows(EncounterRecord, Encounter),
            registrations=rows(RegistrationRecord, SpecialRegistration),
            obligations=rows(ObligationRecord, Obligation),
            interviews=rows(InterviewRecord, Interview),
            notices=rows(CallInNoticeRecord, CallInNotice),
            changes=rows(ChangeNoticeRecord, ChangeNotice),
            waivers=rows(WaiverRecord, WaiverRequest),
            violations=rows(ViolationRecord, Violation), i94s=rows(I94Entry, I94Record),
            permits=permits, refusals=rows(RefusalRecord, Refusal),
            documents=rows(DocumentRecord, TravelDocument),
            refusal_grounds=[(g.refusal_id, g.ground) for g in session.execute(
                select(RefusalGround)).scalars()],
            names=[(n.person_id, n.surname_key, n.given_names_key) for n in session.execute(
                select(PersonName)).scalars()],
            applications=applications)


@dataclass(frozen=True)
class AuditedAction:
    """One audit entry a committed work left: who did what to whom."""

    actor: str
    action: str
    subject: str
    person_id: int | None
    detail: dict[str, Any]


class MemoryWork:
    """A unit of work over :class:`MemoryRecords`: audit entries pending until commit."""

    def __init__(self, records: MemoryRecords, actor: Actor, now: datetime,
                 trail: list[AuditedAction]) -> None:
        self.records = records
        self.now = now
        self._actor = actor
        self._trail = trail
        self._pending: list[AuditedAction] = []

    def audit(self, action: str, subject: object, person: object = None,
              **detail: Any) -> None:
        person_id = person if isinstance(person, int) or person is None \
            else getattr(person, "id", None)
        self._pending.append(AuditedAction(self._actor.username, action, str(subject),
                                           person_id, detail))

    def commit(self) -> None:
        self._trail.extend(self._pending)
        self._pending.clear()


def _fixed_now() -> datetime:
    return datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@dataclass
class MemoryRegistry:
    """The converted services' registry, in memory: records, rules, clock and trail."""

    rules: Engine
    records: MemoryRecords = field(default_factory=MemoryRecords)
    clock: Callable[[], datetime] = _fixed_now
    #: The audit entries of every committed work, in order.
    trail: list[AuditedAction] = field(default_factory=list)

    @contextmanager
    def records_work(self, actor: Actor, permission: Permission) -> Iterator[MemoryWork]:
        actor.require(permission)
        yield MemoryWork(self.records, actor, self.clock(), self.trail)

    def actions(self) -> Sequence[str]:
        """The audited actions, oldest first."""
        return [entry.action for entry in self.trail]
