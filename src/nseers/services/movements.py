"""Arrivals and departures: inspect, decide, record; register and issue the I-94 where due.

One code path serves a single inspection at a counter and a batch of a thousand from a
port's feed: :func:`inspect_arrival` and :func:`record_departure` are batches of one.
Within a batch every command is checked, evaluated and recorded in order, in one
transaction, and a batch with one bad command records nothing: the error names the
command's index and the bad field.

The law applied is the rules engine's: the encounter keeps the determinations and the
policy version that produced them. A special registration gets a new FIN; its obligations
are stored with the windows the rules computed (8 CFR 264.1(f)(3)-(5)).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.core.identifiers import format_fin, format_i94_number
from nseers.db.sequences import allocate
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.people import Person
from nseers.registry.registrations import Obligation, SpecialRegistration, Violation
from nseers.rules.case import parse_case
from nseers.rules.obligations import registrant_obligations
from nseers.rules.result import Result
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts, check_documents, check_person
from nseers.services.people import (
    find_document,
    get_person,
    prefetch_documents,
    record_documents,
    resolve_person,
)

DECISIONS = frozenset({"admit", "refuse", "refer"})
ENCOUNTER_OUTCOME = {"admit": "admitted", "refuse": "refused", "refer": "referred"}
#: How far ahead the annual re-registration windows are generated at registration.
OBLIGATION_HORIZON = timedelta(days=3653)


@dataclass(frozen=True, slots=True)
class SwornAnswers:
    """The registrant's answers under oath (8 CFR 264.1(f)(2))."""

    us_address: str
    purpose: str
    itinerary: str | None = None
    employer_or_school: str | None = None


@dataclass(frozen=True, slots=True)
class ArrivalInspection:
    """An officer's inspection of an arriving traveller and the decision taken."""

    port_code: str
    occurred_at: datetime
    person: PersonFacts
    documents: tuple[DocumentFacts, ...] = ()
    claimed_status: str = "nonimmigrant"
    admission_class: str | None = None
    decision: str = "admit"
    admit_until: date | None = None
    duration_of_status: bool = False
    refusal_reason: str | None = None
    mode: str | None = None
    state: str | None = None
    circumstances: tuple[str, ...] = ()
    itinerary: dict[str, Any] = field(default_factory=dict)
    residence: str | None = None
    answers: SwornAnswers | None = None
    photograph_ref: str | None = None
    fingerprints_ref: str | None = None
    multiple_entry: bool = False
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class DepartureRecord:
    """A departure, with the registrant's in-person report where one was made."""

    port_code: str
    occurred_at: datetime
    person_id: int | None = None
    fin: str | None = None
    documents: tuple[DocumentFacts, ...] = ()
    reported_at_port: str | None = None
    reported_on: date | None = None
    mode: str | None = None
    state: str | None = None
    idempotency_key: str | None = None


Movement = ArrivalInspection | DepartureRecord


def inspect_arrival(registry: Registry, actor: Actor,
                    command: ArrivalInspection) -> dict[str, Any]:
    """Evaluate, decide and record one arrival; register and issue the I-94 where due."""
    return ingest(registry, actor, [command])[0]


def record_departure(registry: Registry, actor: Actor, command: DepartureRecord) -> dict[str, Any]:
    """Record one departure; judge a registrant's departure report; record any violation."""
    return ingest(registry, actor, [command])[0]


def ingest(registry: Registry, actor: Actor,
           commands: Sequence[Movement]) -> list[dict[str, Any]]:
    """Record a batch of arrivals and departures in order, in one transaction.

    A command whose idempotency key was already used returns its first answer and records
    nothing. Any invalid command refuses the whole batch, naming the command's index.
    """
    if not commands:
        return []
    needs = {Permission.INSPECT_ARRIVAL if isinstance(c, ArrivalInspection)
             else Permission.RECORD_DEPARTURE for c in commands}
    first, *others = sorted(needs)
    for permission in others:
        actor.require(permission)
    batch = len(commands) > 1
    with registry.work(actor, first) as uow:
        movements = _Movements(registry, uow)
        if batch:
            movements.prefetch(commands)
        answers: list[dict[str, Any]] = []
        for index, command in enumerate(commands):
            try:
                answers.append(movements.apply(command))
            except InvalidInputError as error:
                if not batch:
                    raise
                raise InvalidInputError([FieldProblem(
                    f"[{index}].{p.path}" if p.path else f"[{index}]", p.message)
                    for p in error.problems]) from None
            except ConflictError as error:
                if batch:
                    raise ConflictError(error.code, f"command {index}: {error}") from None
                raise
        movements.finish()
        uow.commit()
        return answers


def _request(command: Movement) -> dict[str, Any] | None:
    """The request an idempotency key stands for (only built when a key was sent)."""
    if command.idempotency_key is None:
        return None
    request = asdict(command)
    request.pop("idempotency_key")
    return request


class _Movements:
    """The state of one batch: what it created, for the commands after it to see."""

    def __init__(self, registry: Registry, uow: UnitOfWork) -> None:
        self.registry = registry
        self.uow = uow
        self.session = uow.session
        self.last_encounter: dict[int, Encounter | None] = {}
        self.registration: dict[int, SpecialRegistration | None] = {}
        self.open_i94: dict[int, I94Record | None] = {}
        self.pending: list[tuple[dict[str, Any], Any]] = []
        self.numbers: dict[str, list[int]] = {}
        self.block = 1

    def _number(self, sequence: str) -> int:
        """The next number of ``sequence``, from a block reserved for the batch."""
        pool = self.numbers.get(sequence)
        if not pool:
            pool = self.numbers[sequence] = allocate(self.session, sequence, self.block)
            pool.reverse()
        return pool.pop()

    def prefetch(self, commands: Sequence[Movement]) -> None:
        """Look up, in a few queries, what the batch's commands will ask about."""
        # Reserve identifiers for every arrival at once; unused numbers leave gaps, as a
        # database sequence's do.
        self.block = max(1, sum(isinstance(c, ArrivalInspection) for c in commands) // 2)
        self.uow.prefetch_keys([c.idempotency_key for c in commands if c.idempotency_key])
        prefetch_documents(self.uow, [d for c in commands for d in c.documents])
        people = {key[1:]: record.person_id for key, record in self.uow.memo.items()
                  if key[0] == "document" and record is not None}
        ids_ = list(set(people.values()))
        for start in range(0, len(ids_), 500):
            self._prefetch_people(ids_[start:start + 500])

    def _prefetch_people(self, person_ids: list[int]) -> None:
        latest = (select(Encounter.person_id, func.max(Encounter.occurred_at).label("at"))
                  .where(Encounter.person_id.in_(person_ids), Encounter.kind != "refusal")
                  .group_by(Encounter.person_id).subquery())
        last = {e.person_id: e for e in self.session.execute(select(Encounter).join(
            latest, and_(Encounter.person_id == latest.c.person_id,
                         Encounter.occurred_at == latest.c.at))).scalars()}
        newest = (select(SpecialRegistration.person_id,
                         func.max(SpecialRegistration.id).label("id"))
                  .where(SpecialRegistration.person_id.in_(person_ids))
                  .group_by(SpecialRegistration.person_id).subquery())
        registrations = {r.person_id: r for r in self.session.execute(
            select(SpecialRegistration).join(newest, SpecialRegistration.id == newest.c.id)
        ).scalars()}
        open_i94 = {r.person_id: r for r in self.session.execute(select(I94Record).where(
            I94Record.person_id.in_(person_ids), I94Record.surrendered_on.is_(None))
            .order_by(I94Record.admitted_on)).scalars()}
        for person_id in person_ids:
            self.last_encounter[person_id] = last.get(person_id)
            self.registration[person_id] = registrations.get(person_id)
            self.open_i94[person_id] = open_i94.get(person_id)

    def apply(self, command: Movement) -> dict[str, Any]:
        operation = "arrival" if isinstance(command, ArrivalInspection) else "departure"
        request = _request(command)
        with self.session.no_autoflush:
            stored = self.uow.replay(operation, command.idempotency_key, request)
            if stored is not None:
                return stored | {"replayed": True}
            if isinstance(command, ArrivalInspection):
                answer = self._arrive(command)
            else:
                answer = self._depart(command)
        self.pending.append((answer, (operation, command.idempotency_key, request)))
        return answer

    def finish(self) -> None:
        """Write the batch, then fill in the ids the answers carry."""
        self.session.flush()
        for answer, (operation, key, request) in self.pending:
            for name, value in list(answer.items()):
                if name.startswith("_"):
                    answer[name[1:]] = value.id
                    del answer[name]
            self.uow.remember(operation, key, request, answer)

    # ------------------------------------------------------------------ arrivals
    def _arrive(self, command: ArrivalInspection) -> dict[str, Any]:
        problems = check_person(command.person) + check_documents(command.documents)
        if command.decision not in DECISIONS:
            problems.append(FieldProblem("decision", f"must be admit, refuse or refer, not "
                                                     f"{command.decision!r}"))
        if command.decision == "refuse" and not (command.refusal_reason or "").strip():
            problems.append(FieldProblem("refusal_reason", "required when the decision is refuse"))
        if command.occurred_at.tzinfo is None:
            problems.append(FieldProblem("occurred_at", "must carry a time zone offset"))
        if problems:
            raise InvalidInputError(problems)
        person = self._arriving_person(command)
        on = command.occurred_at.date()
        result = self._evaluate(self._arrival_case(command, person, on))
        determinations = result.to_dict()["determinations"]
        admitted = command.decision == "admit"
        registration_required = result.determinations["special_registration"].outcome == \
            "required"
        i94_required = result.determinations["i94"].outcome == "required"
        self._check_admission(command, on, admitted, registration_required, i94_required)
        self._check_no_open_arrival(person, command)
        document = record_documents(self.uow, person, command.documents)
        encounter = Encounter(
            person=person, kind="refusal" if command.decision == "refuse" else "arrival",
            outcome=ENCOUNTER_OUTCOME[command.decision], port_code=command.port_code,
            mode=result.port.mode, occurred_at=command.occurred_at, occurred_on=on,
            officer=self.uow.actor.username, admission_class=command.admission_class,
            admit_until=command.admit_until, duration_of_status=command.duration_of_status,
            refusal_reason=command.refusal_reason, document=document,
            policy_version=result.policy_version, determinations=determinations)
        self.session.add(encounter)
        answer: dict[str, Any] = {"_encounter_id": encounter, "_person_id": person,
                                  "outcome": encounter.outcome, "fin": None,
                                  "i94_number": None, "as_of": on.isoformat(),
                                  "policy_version": result.policy_version,
                                  "determinations": determinations}
        self._remember_encounter(person, encounter)
        if admitted and registration_required:
            registration = self._register(command, person, encounter, result, on)
            answer["fin"] = registration.fin
        if admitted and i94_required:
            answer["i94_number"] = self._issue_i94(command, person, encounter, result, on)
        self.uow.audit("arrival.inspect", encounter, person,
                       outcome=encounter.outcome, port=command.port_code, fin=answer["fin"])
        return answer

    def _arrival_case(self, command: ArrivalInspection, person: Person, on: date
                      ) -> dict[str, Any]:
        facts = command.person
        citizenships = list(facts.citizenships) if facts.person_id is None else \
            [c.country for c in person.citizenships]
        return {
            "event": "arrival", "date": on.isoformat(),
            "port": {"code": command.port_code, "mode": command.mode, "state": command.state},
            "traveler": {
                "claimed_status": command.claimed_status, "citizenships": citizenships,
                "date_of_birth": (person.date_of_birth.isoformat()
                                  if person.date_of_birth else None),
                "sex": person.sex, "residence": command.residence},
            "admission_class": command.admission_class,
            "documents": [_case_document(d) for d in command.documents],
            "circumstances": dict.fromkeys(command.circumstances, True),
            "itinerary": command.itinerary,
        }

    def _evaluate(self, raw: dict[str, Any]) -> Result:
        case = parse_case(raw)
        return self.registry.rules.evaluate(case)

    def _check_admission(self, command: ArrivalInspection, on: date, admitted: bool,
                         registration_required: bool, i94_required: bool) -> None:
        if not admitted:
            return
        problems = []
        if i94_required:
            if not command.admission_class:
                problems.append(FieldProblem("admission_class",
                                             "required to admit: an I-94 is issued"))
            if command.admit_until is None and not command.duration_of_status:
                problems.append(FieldProblem(
                    "admit_until", "required to admit (or duration_of_status): an I-94 is "
                                   "issued"))
        if command.admit_until is not None and command.admit_until <= on:
            problems.append(FieldProblem("admit_until", "must be after the date of arrival"))
        if registration_required and command.answers is None:
            problems.append(FieldProblem(
                "answers", "special registration is required: the sworn-interview answers "
                           "(us_address, purpose) are needed to admit"))
        elif registration_required and command.answers is not None:
            for name in ("us_address", "purpose"):
                if not getattr(command.answers, name).strip():
                    problems.append(FieldProblem(f"answers.{name}", "required"))
        if problems:
            raise InvalidInputError(problems)
        if registration_required and not self.uow.actor.may(Permission.REGISTER):
            raise ConflictError("secondary_inspection_required",
                                "special registration is required: refer the traveller to "
                                "secondary inspection, where the registration is taken")

    def _check_no_open_arrival(self, person: Person, command: ArrivalInspection) -> None:
        if command.decision != "admit" or person.id is None:
            return
        last = self._last_encounter(person)
        if last is not None and last.outcome == "admitted" and last.kind == "arrival" \
                and last.occurred_at >= command.occurred_at:
            raise ConflictError("out_of_order", "the person's last recorded arrival is later "
                                                "than this one")

    def _register(self, command: ArrivalInspection, person: Person, encounter: Encounter,
                  result: Result, on: date) -> SpecialRegistration:
        determination = result.determinations["special_registration"]
        grounds = list(determination.details.get("basis", []))
        basis = "designated_nationality" if "designated_nationality" in grounds else "individual"
        answers = command.answers
        assert answers is not None  # noqa: S101 - _check_admission refused the command otherwise
        registration = SpecialRegistration(
            fin=format_fin(self._number("fin")), person=person,
            route="port_of_entry", basis=basis, grounds=grounds, registered_on=on,
            place=command.port_code, encounter=encounter, call_in_group=None,
            timeliness="on_time", admission_class=command.admission_class,
            photograph_ref=command.photograph_ref, fingerprints_ref=command.fingerprints_ref,
            us_address=answers.us_address, purpose=answers.purpose,
            itinerary=answers.itinerary, employer_or_school=answers.employer_or_school,
            officer=self.uow.actor.username, policy_version=result.policy_version,
            reasons=[r.to_dict() for r in determination.reasons], created_at=self.uow.now)
        self.session.add(registration)
        add_obligations(self.registry, self.uow, registration, person,
                        route="port_of_entry", start=on)
        self.registration[_key(person)] = registration
        self.uow.audit("registration.create", registration, person, fin=registration.fin,
                       route="port_of_entry")
        return registration

    def _issue_i94(self, command: ArrivalInspection, person: Person, encounter: Encounter,
                   result: Result, on: date) -> str:
        determination = result.determinations["i94"]
        record = I94Record(
            number=format_i94_number(self._number("i94")), person=person,
            encounter=encounter, admission_class=command.admission_class,
            port_code=command.port_code, admitted_on=on, admit_until=command.admit_until,
            duration_of_status=command.duration_of_status,
            multiple_entry=command.multiple_entry,
            land_border_fee_usd=determination.details.get("fee_usd"),
            parole="paroled" in command.circumstances)
        self.session.add(record)
        self.open_i94[_key(person)] = record
        self.uow.audit("i94.issue", record, person, number=record.number)
        return record.number

    # ---------------------------------------------------------------- departures
    def _depart(self, command: DepartureRecord) -> dict[str, Any]:
        problems = check_documents(command.documents)
        if command.occurred_at.tzinfo is None:
            problems.append(FieldProblem("occurred_at", "must carry a time zone offset"))
        if command.reported_at_port is not None and command.reported_on is None:
            problems.append(FieldProblem("reported_on", "required with reported_at_port"))
        if problems:
            raise InvalidInputError(problems)
        person = self._departing_person(command)
        on = command.occurred_at.date()
        last = self._last_encounter(person)
        if last is None or last.kind != "arrival" or last.outcome != "admitted":
            raise ConflictError("no_open_arrival",
                                f"person {person.id} has no admission to depart from: the "
                                f"last recorded movement is "
                                f"{'none' if last is None else last.kind}")
        if last.occurred_at > command.occurred_at:
            raise ConflictError("out_of_order", "the departure precedes the person's last "
                                                "arrival")
        registration = self._registration(person)
        raw = {
            "event": "departure", "date": on.isoformat(),
            "port": {"code": command.port_code, "mode": command.mode, "state": command.state},
            "traveler": {"claimed_status": "nonimmigrant",
                         "citizenships": [c.country for c in person.citizenships],
                         "date_of_birth": (person.date_of_birth.isoformat()
                                           if person.date_of_birth else None),
                         "sex": person.sex},
            "admission_class": last.admission_class,
            "registration": None if registration is None else {
                "basis": registration.basis, "date": registration.registered_on.isoformat(),
                "fin": registration.fin},
            "departure_report": None if command.reported_at_port is None else {
                "port_code": command.reported_at_port,
                "date": command.reported_on.isoformat() if command.reported_on else None},
        }
        result = self._evaluate(raw)
        determinations = result.to_dict()["determinations"]
        encounter = Encounter(
            person=person, kind="departure", outcome="departed", port_code=command.port_code,
            mode=result.port.mode, occurred_at=command.occurred_at, occurred_on=on,
            officer=self.uow.actor.username, admission_class=last.admission_class,
            policy_version=result.policy_version, determinations=determinations)
        self.session.add(encounter)
        self._remember_encounter(person, encounter)
        compliance = result.determinations["departure_registration"]
        answer: dict[str, Any] = {"_encounter_id": encounter, "_person_id": person,
                                  "compliance": compliance.outcome,
                                  "fin": registration.fin if registration else None,
                                  "violation_id": None, "i94_surrendered": None,
                                  "as_of": on.isoformat(),
                                  "policy_version": result.policy_version,
                                  "determinations": determinations}
        i94 = self._open_i94(person)
        if i94 is not None:
            i94.surrendered_on = on
            i94.surrender_encounter = encounter
            answer["i94_surrendered"] = i94.number
            self.open_i94[_key(person)] = None
        if compliance.outcome == "non_compliant" and registration is not None:
            violation = Violation(
                person=person, registration=registration,
                obligation=self._obligation(registration, "departure_report"),
                encounter=encounter, kind="departure_report", occurred_on=on,
                description=compliance.reasons[-1].text if compliance.reasons else
                "departure not reported as required",
                reasons=[r.to_dict() for r in compliance.reasons], willfulness="unassessed")
            self.session.add(violation)
            answer["_violation_id"] = violation
            self.uow.audit("violation.record", violation, person, kind="departure_report")
        self.uow.audit("departure.record", encounter, person, compliance=compliance.outcome,
                       port=command.port_code)
        return answer

    def _arriving_person(self, command: ArrivalInspection) -> Person:
        return resolve_person(self.uow, command.person, command.documents)

    def _departing_person(self, command: DepartureRecord) -> Person:
        if command.person_id is not None:
            return get_person(self.session, command.person_id)
        if command.fin:
            registration = self.session.execute(select(SpecialRegistration).where(
                SpecialRegistration.fin == command.fin.replace("-", "").strip())
            ).scalar_one_or_none()
            if registration is None:
                raise NotFoundError("registration with FIN", command.fin)
            return get_person(self.session, registration.person_id)
        for document in command.documents:
            if document.number:
                found = find_document(self.uow, document)
                if found is not None:
                    return found.person
        raise InvalidInputError([FieldProblem(
            "person_id", "name the departing person by person_id, fin or a document the "
                         "registry knows")])

    # ------------------------------------------------------------------ lookups
    def _remember_encounter(self, person: Person, encounter: Encounter) -> None:
        self.last_encounter[_key(person)] = encounter

    def _last_encounter(self, person: Person) -> Encounter | None:
        key = _key(person)
        if key not in self.last_encounter:
            self.last_encounter[key] = None if person.id is None else self.session.execute(
                select(Encounter).where(Encounter.person_id == person.id,
                                        Encounter.kind != "refusal")
                .order_by(Encounter.occurred_at.desc(), Encounter.id.desc()).limit(1)
            ).scalar_one_or_none()
        return self.last_encounter[key]

    def _registration(self, person: Person) -> SpecialRegistration | None:
        key = _key(person)
        if key not in self.registration:
            self.registration[key] = None if person.id is None else self.session.execute(
                select(SpecialRegistration).where(SpecialRegistration.person_id == person.id)
                .order_by(SpecialRegistration.registered_on.desc(),
                          SpecialRegistration.id.desc()).limit(1)).scalar_one_or_none()
        return self.registration[key]

    def _open_i94(self, person: Person) -> I94Record | None:
        key = _key(person)
        if key not in self.open_i94:
            self.open_i94[key] = None if person.id is None else self.session.execute(
                select(I94Record).where(I94Record.person_id == person.id,
                                        I94Record.surrendered_on.is_(None))
                .order_by(I94Record.admitted_on.desc()).limit(1)).scalar_one_or_none()
        return self.open_i94[key]

    def _obligation(self, registration: SpecialRegistration, kind: str) -> Obligation | None:
        if registration.id is None:
            return next((o for o in self.session.new
                         if isinstance(o, Obligation) and o.registration is registration
                         and o.kind == kind), None)
        return self.session.execute(select(Obligation).where(
            Obligation.registration_id == registration.id, Obligation.kind == kind)
        ).scalars().first()


def add_obligations(registry: Registry, uow: UnitOfWork, registration: SpecialRegistration,
                    person: Person, *, route: str, start: date) -> list[Obligation]:
    """Store the registrant's obligations with the windows the rules give on ``start``."""
    computed = registrant_obligations(
        registry.rules.policy, basis=registration.basis,
        route="port_of_entry" if route == "port_of_entry" else "call_in", start=start,
        until=start + OBLIGATION_HORIZON, admission_class=registration.admission_class)
    rows = [Obligation(registration=registration, person=person, kind=o.kind,
                       sequence=o.sequence or 0, status=o.status, window_start=o.window_start,
                       window_end=o.window_end, reasons=[r.to_dict() for r in o.reasons])
            for o in computed]
    uow.session.add_all(rows)
    return rows


def _key(person: Person) -> int:
    return id(person) if person.id is None else person.id


def _case_document(document: DocumentFacts) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": document.kind}
    if document.issuer:
        out["issuer"] = document.issuer
    if document.admission_class:
        out["class"] = document.admission_class
    if document.passport_type:
        out["type"] = document.passport_type
    return out
