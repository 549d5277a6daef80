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

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Final

from annotated_types import MaxLen, doc
from sqlalchemy import BindParameter, and_, bindparam, func, select, text, update

from nseers.core.actors import Actor, Permission
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from nseers.core.fields import (
    ClassCode,
    CountryCode,
    Email,
    Fin,
    IdempotencyKey,
    LongText,
    OneOf,
    PortCode,
    RecordId,
    Reference,
    StateCode,
)
from nseers.core.identifiers import format_fin, format_i94_number
from nseers.db.base import Base
from nseers.db.bulk import insert_rows
from nseers.db.sequences import POSTGRESQL_SEQUENCES, allocate
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.identities import current_fin, current_fins
from nseers.registry.people import Citizenship, Person, TravelDocument
from nseers.registry.registrations import Obligation, SpecialRegistration
from nseers.rules.case import parse_case
from nseers.rules.result import Reason, Result
from nseers.screening.model import PartialDate, ScreeningQuery
from nseers.services.cases import Registered, arrival_case, departure_case
from nseers.services.contacts import record_contacts
from nseers.services.context import Registry
from nseers.services.facts import (
    Circumstance,
    ClaimedStatus,
    DocumentFacts,
    Documents,
    Itinerary,
    Mode,
    PersonFacts,
    check_documents,
    check_person,
    check_plausible,
)
from nseers.services.gc_pause import paused_collection
from nseers.services.idempotency import first_answer
from nseers.services.people import document_key, identity_document
from nseers.services.refusal_history import prior_refusal_warning, prior_refusals
from nseers.services.rows import (
    citizenship_rows,
    document_row,
    encounter_row,
    i94_row,
    obligation_rows,
    person_name_rows,
    person_row,
    registration_row,
    violation_row,
)
from nseers.services.screening import screen_arrivals, subject_key

DECISIONS = frozenset({"admit", "refuse", "refer"})
ENCOUNTER_OUTCOME = {"admit": "admitted", "refuse": "refused", "refer": "referred"}


@dataclass(frozen=True, slots=True)
class SwornAnswers:
    """The registrant's answers under oath (8 CFR 264.1(f)(2))."""

    us_address: LongText
    purpose: LongText
    itinerary: LongText | None = None
    employer_or_school: LongText | None = None


@dataclass(frozen=True, slots=True)
class ArrivalInspection:
    """An officer's inspection of an arriving traveller and the decision taken."""

    port_code: PortCode
    occurred_at: datetime
    person: PersonFacts
    documents: Documents = ()
    claimed_status: ClaimedStatus = "nonimmigrant"
    admission_class: ClassCode | None = None
    decision: Annotated[str, OneOf(("admit", "refuse", "refer"))] = "admit"
    admit_until: date | None = None
    duration_of_status: bool = False
    refusal_reason: LongText | None = None
    mode: Mode | None = None
    state: StateCode | None = None
    circumstances: Annotated[tuple[Circumstance, ...], MaxLen(20)] = ()
    itinerary: Itinerary = field(default_factory=Itinerary)
    residence: CountryCode | None = None
    answers: SwornAnswers | None = None
    photograph_ref: Reference | None = None
    fingerprints_ref: Reference | None = None
    multiple_entry: bool = False
    idempotency_key: IdempotencyKey = None
    #: The traveller's e-mail address, optional, for one-time codes and reminders (issue 17).
    contact_email: Annotated[Email | None, doc("Optional: where one-time codes and "
                                               "reminders before the admit-until date go "
                                               "(issue 17).")] = None


@dataclass(frozen=True, slots=True)
class DepartureRecord:
    """A departure, with the registrant's in-person report where one was made; the person
    is named by ``person_id``, ``fin`` or a document the registry knows."""

    port_code: PortCode
    occurred_at: datetime
    person_id: RecordId | None = None
    fin: Fin | None = None
    documents: Documents = ()
    reported_at_port: Annotated[PortCode | None, doc("where the registrant reported in person")] \
        = None
    reported_on: date | None = None
    mode: Mode | None = None
    state: StateCode | None = None
    idempotency_key: IdempotencyKey = None


Movement = ArrivalInspection | DepartureRecord


def inspect_arrival(registry: Registry, actor: Actor,
                    command: ArrivalInspection) -> dict[str, Any]:
    """Evaluate, decide and record one arrival; register and issue the I-94 where due
    (once per idempotency key: :func:`nseers.services.idempotency.first_answer`)."""
    return first_answer(lambda: ingest(registry, actor, [command])[0], command.idempotency_key)


def record_departure(registry: Registry, actor: Actor, command: DepartureRecord) -> dict[str, Any]:
    """Record one departure; judge a registrant's departure report; record any violation
    (once per idempotency key: :func:`nseers.services.idempotency.first_answer`)."""
    return first_answer(lambda: ingest(registry, actor, [command])[0], command.idempotency_key)


def ingest(registry: Registry, actor: Actor, commands: Sequence[Movement], *,
           also: Callable[[UnitOfWork, list[dict[str, Any]]], None] | None = None
           ) -> list[dict[str, Any]]:
    """Record a batch of arrivals and departures in order, in one transaction.

    A command whose idempotency key was already used returns its first answer and records
    nothing. Any invalid command refuses the whole batch, naming the command's index.
    ``also`` writes what a caller records with the batch (an offline forward, issue 17) in
    the same transaction, after the batch's rows and before the commit.
    """
    if not commands:
        return []
    needs = {Permission.INSPECT_ARRIVAL if isinstance(c, ArrivalInspection)
             else Permission.RECORD_DEPARTURE for c in commands}
    first, *others = sorted(needs)
    for permission in others:
        actor.require(permission)
    batch = len(commands) > 1
    # The collector would only walk the heap for the batch's objects, which live until the
    # commit and are then freed by reference counting (issue 18: a fifth of the ingest).
    with paused_collection(), registry.work(actor, first) as uow:
        movements = _Movements(registry, uow)
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
        record_contacts(uow, [(a["person_id"], c.contact_email, "inspection")
                              for c, a in zip(commands, answers, strict=True)
                              if isinstance(c, ArrivalInspection) and c.contact_email
                              and not a.get("replayed")])
        _screen_arrivals(uow, commands, answers)
        _warn_prior_refusals(registry, uow, commands, answers, movements.without_refusals())
        movements.remember()
        if also is not None:
            also(uow, answers)
        uow.commit()
        return answers


def _screen_arrivals(uow: UnitOfWork, commands: Sequence[Movement],
                     answers: list[dict[str, Any]]) -> None:
    """Every arriving traveller is screened against the watchlists (issue 14)."""
    travellers = []
    screened = []
    for command, answer in zip(commands, answers, strict=True):
        if not isinstance(command, ArrivalInspection) or answer.get("replayed") \
                or "screening" in answer:
            continue
        facts = command.person
        born = facts.date_of_birth
        dob = PartialDate(born.year, born.month, born.day) if born else None
        nationality = facts.citizenships[0] if facts.citizenships else None
        names = [f"{facts.given_names} {facts.surname}".strip()]
        original = " ".join(n for n in (facts.given_names_original, facts.surname_original)
                            if n)
        if original:
            names.append(original)
        queries = [ScreeningQuery(f"person:{answer['person_id']}", name, dob, nationality)
                   for name in names if name]
        identity = identity_document(command.documents)
        key = (subject_key(queries[0], f"{identity.issuer}:{identity.number}")
               if identity is not None and queries else f"person:{answer['person_id']}")
        travellers.append((queries, key, answer["person_id"], command.occurred_at.date()))
        screened.append(answer)
    for answer, referral in zip(screened, screen_arrivals(uow, travellers), strict=True):
        answer["screening"] = referral


def _warn_prior_refusals(registry: Registry, uow: UnitOfWork, commands: Sequence[Movement],
                         answers: list[dict[str, Any]], never_refused: set[int]) -> None:
    """An arriving person refused entry before is shown every earlier refusal (issue 17):
    date, port, grounds, procedure and disposition, in one query for the whole batch.

    ``never_refused`` are persons known to have no refusal (new in this batch and not
    refused in it): they are not looked up."""
    arrivals = [(command, answer) for command, answer in zip(commands, answers, strict=True)
                if isinstance(command, ArrivalInspection) and not answer.get("replayed")
                and "prior_refusals" not in answer]
    if not arrivals:
        return
    wanted = [answer["person_id"] for _, answer in arrivals
              if answer["person_id"] not in never_refused]
    found = prior_refusals(uow.session, wanted) if wanted else {}
    for command, answer in arrivals:
        earlier = [r for r in found.get(answer["person_id"], [])
                   if r["encounter_id"] != answer["encounter_id"]
                   and datetime.fromisoformat(r["occurred_at"]) <= command.occurred_at]
        answer["prior_refusals"] = prior_refusal_warning(registry, command.occurred_at.date(),
                                                         earlier)
        if earlier:
            uow.audit("refusal.prior_shown", "refusals", answer["person_id"],
                      refusals=[r["encounter_id"] for r in earlier],
                      encounter=answer["encounter_id"])


def _request(command: Movement) -> dict[str, Any] | None:
    """The request an idempotency key stands for (only built when a key was sent)."""
    if command.idempotency_key is None:
        return None
    request = asdict(command)
    request.pop("idempotency_key")
    return request


@dataclass(slots=True)
class _Who:
    """What the batch needs to know of a person."""

    id: int
    date_of_birth: date | None
    sex: str | None
    citizenships: tuple[str, ...]


@dataclass(slots=True)
class _Last:
    """A person's latest arrival or departure."""

    id: int
    kind: str
    outcome: str
    occurred_at: datetime
    admission_class: str | None


@dataclass(slots=True)
class _Registration:
    """A person's latest registration, as a departure is judged against it."""

    id: int
    fin: str | None
    basis: str
    registered_on: date
    departure_obligation_id: int | None


@dataclass(slots=True)
class _OpenI94:
    """An I-94 not yet surrendered; ``row`` is set when this batch issued it."""

    id: int
    number: str
    row: dict[str, Any] | None = None


#: Tables in the order their rows are written (each refers only to earlier ones).
WRITE_ORDER = ("persons", "person_names", "person_citizenships", "travel_documents",
               "encounters", "special_registrations", "obligations", "i94_records",
               "violations")


def _lookups() -> dict[str, Any]:
    """The batch's read queries, built once: a statement built per call spent more time in
    SQLAlchemy constructing and keying it than the database spent answering, which made a
    lone inspection (a batch of one) cost fifteen times its share of a batch."""
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    documents = TravelDocument.__table__.c
    persons = Person.__table__.c
    citizenships = Citizenship.__table__.c
    encounters = Encounter.__table__.c
    registrations = SpecialRegistration.__table__.c
    obligations = Obligation.__table__.c
    i94 = I94Record.__table__.c
    latest = (select(encounters.person_id, func.max(encounters.occurred_at).label("at"))
              .where(encounters.person_id.in_(ids), encounters.kind != "refusal")
              .group_by(encounters.person_id).subquery())
    newest = (select(registrations.person_id, func.max(registrations.id).label("id"))
              .where(registrations.person_id.in_(ids))
              .group_by(registrations.person_id).subquery())
    return {
        # By number alone, which is indexed: a row-value IN over (kind, state, number)
        # makes SQLite scan the whole index.
        "documents": select(documents.kind, documents.issuing_state, documents.number,
                            documents.id, documents.person_id)
        .where(documents.number.in_(bindparam("numbers", expanding=True))),
        # A FIN names one person, whose every registration carries it: any row will do.
        "fin": select(registrations.person_id).where(registrations.fin == bindparam("fin"))
        .limit(1),
        "citizenships": select(citizenships.person_id, citizenships.country)
        .where(citizenships.person_id.in_(ids))
        .order_by(citizenships.person_id, citizenships.position),
        "persons": select(persons.id, persons.date_of_birth, persons.sex)
        .where(persons.id.in_(ids)),
        "last": select(encounters.id, encounters.person_id, encounters.kind,
                       encounters.outcome, encounters.occurred_at, encounters.admission_class)
        .join(latest, and_(encounters.person_id == latest.c.person_id,
                           encounters.occurred_at == latest.c.at)),
        "registration": select(registrations.id, registrations.person_id, registrations.fin,
                               registrations.basis, registrations.registered_on,
                               obligations.id.label("obligation_id"))
        .join(newest, registrations.id == newest.c.id)
        .outerjoin(Obligation.__table__,
                   and_(obligations.registration_id == registrations.id,
                        obligations.kind == "departure_report")),
        "open_i94": select(i94.id, i94.person_id, i94.number)
        .where(i94.person_id.in_(ids), i94.surrendered_on.is_(None))
        .order_by(i94.admitted_on),
    }


LOOKUP = _lookups()
#: A block of ids from a table's sequence, for reserving ids on PostgreSQL. The sequence is
#: named in a scalar subquery, which the server evaluates once per statement: called on
#: every row, ``pg_get_serial_sequence`` (a catalog search) and the text-to-regclass lookup
#: made each ``nextval`` cost about ten times its own work (issue 18: a thousand ids took
#: 6.5 ms instead of 0.7 ms).
NEXT_IDS = text("SELECT nextval((SELECT pg_get_serial_sequence(:t, 'id')::regclass)) "
                "FROM generate_series(1, :n)")
#: The tables whose ids, and the sequences whose numbers, a batch of arrivals reserves up
#: front on PostgreSQL: one round trip instead of one per table (the rarer tables'
#: registrations, obligations and violations are reserved when first needed).
RESERVED_UP_FRONT = ("persons", "person_names", "travel_documents", "encounters",
                     "i94_records")
_RESERVED = [
    *(f"ARRAY(SELECT nextval((SELECT pg_get_serial_sequence('{name}', 'id')::regclass)) "  # noqa: S608 - fixed names
      f"FROM generate_series(1, :{name})) AS {name}" for name in RESERVED_UP_FRONT),
    (f"ARRAY(SELECT nextval('{POSTGRESQL_SEQUENCES['i94']}') "  # noqa: S608 - fixed names
     f"FROM generate_series(1, :i94_numbers)) AS i94_numbers")]
RESERVE = text(f"SELECT {', '.join(_RESERVED)}")
#: ``SELECT max(id)`` per table, for reserving ids on SQLite.
HIGHEST_ID = {name: text(f"SELECT max(id) FROM {name}")  # noqa: S608 - fixed table names
              for name in WRITE_ORDER}


class _Movements:
    """The state of one batch: what it read and what it will write.

    Rows are built as plain dictionaries with their ids assigned up front and written
    table by table with one multi-row INSERT each when the batch finishes, which is what
    makes a port's feed of a thousand inspections one short transaction.
    """

    def __init__(self, registry: Registry, uow: UnitOfWork) -> None:
        self.registry = registry
        self.uow = uow
        self.session = uow.session
        self.postgres = registry.dialect == "postgresql"
        self.people: dict[int, _Who] = {}
        self.documents: dict[tuple[str, str, str], tuple[int, int]] = {}
        self.last: dict[int, _Last | None] = {}
        self.registration: dict[int, _Registration | None] = {}
        self.open_i94: dict[int, _OpenI94 | None] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in WRITE_ORDER}
        self.surrenders: list[dict[str, Any]] = []
        self.ids: dict[str, list[int]] = {}
        self.numbers: dict[str, list[int]] = {}
        self.block = 1
        #: The last block reserved, per table's ids and per number sequence.
        self.blocks: dict[str, int] = {}
        self.pending: list[tuple[dict[str, Any], tuple[str, str | None, Any]]] = []
        self.fins: dict[str, int] = {}

    # ---------------------------------------------------------------- identifiers
    def _id(self, table: str) -> int:
        """A primary key for a new row of ``table``, reserved for this batch."""
        pool = self.ids.get(table)
        if not pool:
            pool = self.ids[table] = self._reserve_ids(
                table, self._next_block(f"id:{table}", max(self.block * 4, 16)))
        return pool.pop()

    def _next_block(self, name: str, most: int) -> int:
        """How many ids or numbers of ``name`` to reserve now: 16 (or ``most``, if fewer)
        the first time in the batch, then twice the last block, up to ``most``.

        A batch of a thousand arrivals may register forty of them: reserving the most it
        could need at once took a thousand ``nextval`` calls for each rarer table (about
        8 ms apiece on PostgreSQL) and left as many numbers unused. Doubling needs a few
        more round trips and reserves at most about twice what is used.
        """
        size = min(most, max(16, 2 * self.blocks.get(name, 0)))
        self.blocks[name] = size
        return size

    def _reserve_ids(self, table: str, count: int) -> list[int]:
        if self.postgres:
            ids = list(self.session.execute(NEXT_IDS, {"t": table, "n": count}).scalars())
        else:
            # The transaction holds SQLite's write lock (BEGIN IMMEDIATE): nobody else
            # can take these ids before the batch commits.
            taken = max((row["id"] for row in self.rows[table]), default=0)
            highest = self.session.execute(HIGHEST_ID[table]).scalar_one() or 0
            first = max(taken, int(highest)) + 1
            ids = list(range(first, first + count))
        ids.reverse()
        return ids

    def _number(self, sequence: str) -> int:
        """The next FIN or I-94 number, from a block reserved for the batch."""
        pool = self.numbers.get(sequence)
        if not pool:
            pool = self.numbers[sequence] = allocate(
                self.session, sequence, self._next_block(f"number:{sequence}", self.block))
            pool.reverse()
        return pool.pop()

    def _add(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        row["id"] = self._id(table)
        self.rows[table].append(row)
        return row

    # ------------------------------------------------------------------ reading
    def prefetch(self, commands: Sequence[Movement]) -> None:
        """Look up, in a few queries, what the batch's commands will ask about."""
        arrivals = sum(isinstance(c, ArrivalInspection) for c in commands)
        # Identifiers are reserved for the batch at once; unused FIN and I-94 numbers leave
        # gaps, as a database sequence's do.
        self.block = max(1, arrivals // 2, len(commands) // 4)
        self.uow.prefetch_keys([c.idempotency_key for c in commands if c.idempotency_key])
        if self.postgres:
            self._reserve_up_front(commands)
        keys = {document_key(d) for c in commands for d in c.documents if d.number}
        numbers = sorted({number for _, _, number in keys})
        for start in range(0, len(numbers), 500):
            for row in self.session.execute(LOOKUP["documents"],
                                            {"numbers": numbers[start:start + 500]}):
                key = (row.kind, row.issuing_state, row.number)
                if key in keys:
                    self.documents[key] = (row.id, row.person_id)
        wanted = {person_id for _, person_id in self.documents.values()}
        wanted |= {c.person.person_id for c in commands
                   if isinstance(c, ArrivalInspection) and c.person.person_id is not None}
        wanted |= {c.person_id for c in commands
                   if isinstance(c, DepartureRecord) and c.person_id is not None}
        fins = current_fins(self.session, {c.fin for c in commands
                                           if isinstance(c, DepartureRecord) and c.fin})
        for fin, held in fins.items():
            found = self.session.execute(LOOKUP["fin"], {"fin": held}).scalar_one_or_none()
            if found is not None:
                wanted.add(found)
                self.fins[fin] = found
        ids = sorted(wanted)
        for start in range(0, len(ids), 500):
            self._load_people(ids[start:start + 500])

    def _reserve_up_front(self, commands: Sequence[Movement]) -> None:
        """Ids and I-94 numbers for what the batch's arrivals may write, at most, in one
        statement (what goes unused leaves gaps, as any sequence's rolled-back values do)."""
        arrivals = [c for c in commands if isinstance(c, ArrivalInspection)]
        if not arrivals:
            return
        new_people = sum(c.person.person_id is None for c in arrivals)
        counts = {
            "persons": new_people, "person_names": 2 * new_people,
            "travel_documents": sum(1 for c in arrivals for d in c.documents if d.number),
            "encounters": len(commands), "i94_records": len(arrivals),
            "i94_numbers": sum(c.decision == "admit" for c in arrivals)}
        row = self.session.execute(RESERVE, counts).one()._mapping
        for name in RESERVED_UP_FRONT:
            self.ids[name] = list(reversed(row[name]))
        self.numbers["i94"] = list(reversed(row["i94_numbers"]))

    def _load_people(self, person_ids: list[int]) -> None:
        execute, ids = self.session.execute, {"ids": person_ids}
        citizenships: dict[int, list[str]] = {}
        for row in execute(LOOKUP["citizenships"], ids):
            citizenships.setdefault(row.person_id, []).append(row.country)
        for row in execute(LOOKUP["persons"], ids):
            self.people[row.id] = _Who(row.id, row.date_of_birth, row.sex,
                                       tuple(citizenships.get(row.id, ())))
        for row in execute(LOOKUP["last"], ids):
            self.last[row.person_id] = _Last(row.id, row.kind, row.outcome, row.occurred_at,
                                             row.admission_class)
        for row in execute(LOOKUP["registration"], ids):
            self.registration[row.person_id] = _Registration(
                row.id, row.fin, row.basis, row.registered_on, row.obligation_id)
        for row in execute(LOOKUP["open_i94"], ids):
            self.open_i94[row.person_id] = _OpenI94(row.id, row.number)
        for person_id in person_ids:
            self.last.setdefault(person_id, None)
            self.registration.setdefault(person_id, None)
            self.open_i94.setdefault(person_id, None)

    def _person(self, person_id: int) -> _Who:
        if person_id not in self.people:
            self._load_people([person_id])
        if person_id not in self.people:
            raise NotFoundError("person", person_id)
        return self.people[person_id]

    # --------------------------------------------------------------- the batch
    def apply(self, command: Movement) -> dict[str, Any]:
        operation = "arrival" if isinstance(command, ArrivalInspection) else "departure"
        request = _request(command)
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
        """Write the batch's rows, table by table."""
        connection = self.session.connection()
        for name in WRITE_ORDER:
            insert_rows(connection, Base.metadata.tables[name], self.rows[name])
        if self.surrenders:
            i94 = Base.metadata.tables["i94_records"]
            connection.execute(
                update(i94).where(i94.c.id == bindparam("i94_id")).values(
                    surrendered_on=bindparam("on"),
                    surrender_encounter_id=bindparam("encounter")),
                self.surrenders)

    def without_refusals(self) -> set[int]:
        """The persons this batch created and refused no entry to: they have no refusal
        on record."""
        refused = {row["person_id"] for row in self.rows["encounters"]
                   if row["kind"] == "refusal"}
        return {row["id"] for row in self.rows["persons"]} - refused

    def remember(self) -> None:
        """Store each answer under its idempotency key (after screening has completed it)."""
        for answer, (operation, key, request) in self.pending:
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
        else:
            problems += self._impossible(command)
        if problems:
            raise InvalidInputError(problems)
        person = self._arriving_person(command)
        on = command.occurred_at.date()
        result = self._evaluate(self._arrival_case(command, person, on))
        determinations = {name: d.to_dict() for name, d in result.determinations.items()}
        admitted = command.decision == "admit"
        registration_required = result.determinations["special_registration"].outcome == \
            "required"
        i94_required = result.determinations["i94"].outcome == "required"
        self._check_admission(command, on, admitted, registration_required, i94_required)
        self._check_no_open_arrival(person, command)
        document_id = self._record_documents(person, command.documents)
        outcome = ENCOUNTER_OUTCOME[command.decision]
        kind = "refusal" if command.decision == "refuse" else "arrival"
        encounter = self._add("encounters", encounter_row(
            kind=kind, outcome=outcome, port_code=command.port_code, mode=result.port.mode,
            occurred_at=command.occurred_at, officer=self.uow.actor.username,
            admission_class=command.admission_class, admit_until=command.admit_until,
            duration_of_status=command.duration_of_status,
            refusal_reason=command.refusal_reason, policy_version=result.policy_version,
            determinations=determinations) | {"person_id": person.id,
                                              "document_id": document_id})
        if kind == "arrival":
            self.last[person.id] = _Last(encounter["id"], kind, outcome, command.occurred_at,
                                         command.admission_class)
        answer: dict[str, Any] = {"encounter_id": encounter["id"], "person_id": person.id,
                                  "outcome": outcome, "fin": None, "i94_number": None,
                                  "as_of": on.isoformat(),
                                  "policy_version": result.policy_version,
                                  "determinations": determinations}
        if admitted and registration_required:
            answer["fin"] = self._register(command, person, encounter["id"], result, on)
        if admitted and i94_required:
            answer["i94_number"] = self._issue_i94(command, person, encounter["id"], result,
                                                   on)
        # One entry per inspection names everything it wrote: the encounter, and the
        # registration (FIN) and I-94 it created, if any.
        self.uow.audit("arrival.inspect", f"encounter:{encounter['id']}", person.id,
                       outcome=outcome, port=command.port_code, fin=answer["fin"],
                       i94=answer["i94_number"])
        return answer

    def _arriving_person(self, command: ArrivalInspection) -> _Who:
        facts = command.person
        if facts.person_id is not None:
            return self._person(facts.person_id)
        identity = identity_document(command.documents)
        if identity is not None and document_key(identity) in self.documents:
            return self._person(self.documents[document_key(identity)][1])
        return self._new_person(facts)

    def _new_person(self, facts: PersonFacts) -> _Who:
        person = self._add("persons", person_row(facts, created_at=self.uow.now))
        citizenships = citizenship_rows(facts.citizenships)
        for citizenship in citizenships:
            self.rows["person_citizenships"].append(citizenship | {"person_id": person["id"]})
        for name in person_name_rows(facts):
            self._add("person_names", name | {"person_id": person["id"]})
        who = _Who(person["id"], facts.date_of_birth, facts.sex,
                   tuple(c["country"] for c in citizenships))
        self.people[who.id] = who
        self.last[who.id] = None
        self.registration[who.id] = None
        self.open_i94[who.id] = None
        return who

    def _record_documents(self, person: _Who, documents: tuple[DocumentFacts, ...]
                          ) -> int | None:
        identity = identity_document(documents)
        identity_id = None
        for document in documents:
            if not document.number:
                continue
            key = document_key(document)
            known = self.documents.get(key)
            if known is None:
                row = self._add("travel_documents", document_row(key, document)
                                | {"person_id": person.id})
                known = self.documents[key] = (row["id"], person.id)
            elif known[1] != person.id:
                raise InvalidInputError([FieldProblem(
                    "documents", f"{document.kind} {document.issuer} {document.number} "
                                 f"belongs to another person in the registry")])
            if document is identity:
                identity_id = known[0]
        return identity_id

    def _arrival_case(self, command: ArrivalInspection, person: _Who, on: date
                      ) -> dict[str, Any]:
        facts = command.person
        citizenships = facts.citizenships if facts.person_id is None else person.citizenships
        return arrival_case(
            on, command.port_code, mode=command.mode, state=command.state,
            claimed_status=command.claimed_status, citizenships=citizenships,
            date_of_birth=person.date_of_birth, sex=person.sex, residence=command.residence,
            admission_class=command.admission_class, documents=command.documents,
            circumstances=command.circumstances, itinerary=command.itinerary)

    def _evaluate(self, raw: dict[str, Any]) -> Result:
        """The rules' answer to the case built from a command; a problem the rules find is
        named by the command's own field (``mode``, not the case's ``port.mode``)."""
        try:
            return self.registry.rules.evaluate(parse_case(raw))
        except InvalidInputError as error:
            raise InvalidInputError([FieldProblem(command_path(p.path), p.message)
                                     for p in error.problems]) from None

    def _impossible(self, command: ArrivalInspection) -> list[FieldProblem]:
        """Facts that cannot be true: born after the arrival; a class of admission the law
        in force does not have (8 CFR 214.1(a)(2), policy ``i94.admission_classes``)."""
        on = command.occurred_at.date()
        problems = check_plausible(command.person, on)
        known = self.registry.rules.law(on).value("i94.admission_classes", None)
        classes = [command.admission_class, *(d.admission_class for d in command.documents)]
        paths = ["admission_class", *(f"documents[{i}].admission_class"
                                      for i in range(len(command.documents)))]
        for path, code in zip(paths, classes, strict=True):
            if code and known is not None and code.replace("-", "").upper() not in known:
                problems.append(FieldProblem(path, f"not a class of admission in force on "
                                                   f"{on.isoformat()}: {code!r}"))
        return problems

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

    def _check_no_open_arrival(self, person: _Who, command: ArrivalInspection) -> None:
        if command.decision != "admit":
            return
        last = self.last.get(person.id)
        if last is not None and last.kind == "arrival" and last.outcome == "admitted" \
                and last.occurred_at >= command.occurred_at:
            raise ConflictError("out_of_order", "the person's last recorded arrival is later "
                                                "than this one")

    def _register(self, command: ArrivalInspection, person: _Who, encounter_id: int,
                  result: Result, on: date) -> str:
        determination = result.determinations["special_registration"]
        grounds = list(determination.details.get("basis", []))
        basis = "designated_nationality" if "designated_nationality" in grounds else "individual"
        answers = command.answers
        assert answers is not None  # noqa: S101 - _check_admission refused the command otherwise
        exemption_reasons = _capture_gate(command, result, self.registry.rules.law(on).value(
            "special_registration.capture_modalities", ["photograph", "fingerprints"]))
        # A FIN identifies the person, not one registration: a registrant registered again
        # on a later arrival keeps the number (IDENT's FIN is per person).
        previous = self.registration.get(person.id)
        fin = previous.fin if previous is not None and previous.fin else \
            format_fin(self._number("fin"))
        registration = self._add("special_registrations", registration_row(
            fin=fin, route="port_of_entry", basis=basis, grounds=grounds, registered_on=on,
            place=command.port_code, timeliness="on_time",
            admission_class=command.admission_class, answers=answers,
            photograph_ref=command.photograph_ref, fingerprints_ref=command.fingerprints_ref,
            officer=self.uow.actor.username, policy_version=result.policy_version,
            reasons=[r.to_dict() for r in (*determination.reasons, *exemption_reasons)],
            created_at=self.uow.now) | {"person_id": person.id, "encounter_id": encounter_id})
        departure_obligation = None
        for obligation in obligation_rows(self.registry, basis=basis, route="port_of_entry",
                                          start=on, admission_class=command.admission_class):
            row = self._add("obligations", obligation | {
                "registration_id": registration["id"], "person_id": person.id})
            if obligation["kind"] == "departure_report":
                departure_obligation = row["id"]
        self.registration[person.id] = _Registration(registration["id"], fin, basis, on,
                                                     departure_obligation)
        return fin

    def _issue_i94(self, command: ArrivalInspection, person: _Who, encounter_id: int,
                   result: Result, on: date) -> str:
        number = format_i94_number(self._number("i94"))
        row = self._add("i94_records", i94_row(
            number=number, admission_class=command.admission_class,
            port_code=command.port_code, admitted_on=on, admit_until=command.admit_until,
            duration_of_status=command.duration_of_status,
            multiple_entry=command.multiple_entry,
            land_border_fee_usd=result.determinations["i94"].details.get("fee_usd"),
            parole="paroled" in command.circumstances) | {
            "person_id": person.id, "encounter_id": encounter_id,
            "surrender_encounter_id": None})
        self.open_i94[person.id] = _OpenI94(row["id"], number, row)
        return number

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
        last = self.last.get(person.id)
        if last is None or last.kind != "arrival" or last.outcome != "admitted":
            raise ConflictError("no_open_arrival",
                                f"person {person.id} has no admission to depart from: the "
                                f"last recorded movement is "
                                f"{'none' if last is None else last.kind}")
        if last.occurred_at > command.occurred_at:
            raise ConflictError("out_of_order", "the departure precedes the person's last "
                                                "arrival")
        registration = self.registration.get(person.id)
        raw = departure_case(
            on, command.port_code, mode=command.mode, state=command.state,
            citizenships=person.citizenships, date_of_birth=person.date_of_birth,
            sex=person.sex, admission_class=last.admission_class,
            registration=None if registration is None else Registered(
                registration.basis, registration.registered_on, registration.fin),
            reported_at_port=command.reported_at_port, reported_on=command.reported_on)
        result = self._evaluate(raw)
        determinations = {name: d.to_dict() for name, d in result.determinations.items()}
        encounter = self._add("encounters", encounter_row(
            kind="departure", outcome="departed", port_code=command.port_code,
            mode=result.port.mode, occurred_at=command.occurred_at,
            officer=self.uow.actor.username, admission_class=last.admission_class,
            policy_version=result.policy_version, determinations=determinations) | {
            "person_id": person.id, "document_id": None})
        self.last[person.id] = _Last(encounter["id"], "departure", "departed",
                                     command.occurred_at, last.admission_class)
        compliance = result.determinations["departure_registration"]
        answer: dict[str, Any] = {"encounter_id": encounter["id"], "person_id": person.id,
                                  "compliance": compliance.outcome,
                                  "fin": registration.fin if registration else None,
                                  "violation_id": None, "i94_surrendered": None,
                                  "as_of": on.isoformat(),
                                  "policy_version": result.policy_version,
                                  "determinations": determinations}
        i94 = self.open_i94.get(person.id)
        if i94 is not None:
            if i94.row is not None:
                i94.row["surrendered_on"] = on
                i94.row["surrender_encounter_id"] = encounter["id"]
            else:
                self.surrenders.append({"i94_id": i94.id, "on": on,
                                        "encounter": encounter["id"]})
            answer["i94_surrendered"] = i94.number
            self.open_i94[person.id] = None
        if compliance.outcome == "non_compliant" and registration is not None:
            violation = self._add("violations", violation_row(
                kind="departure_report", occurred_on=on,
                description=compliance.reasons[-1].text if compliance.reasons else
                "departure not reported as required",
                reasons=[r.to_dict() for r in compliance.reasons]) | {
                "person_id": person.id, "registration_id": registration.id,
                "obligation_id": registration.departure_obligation_id,
                "encounter_id": encounter["id"]})
            answer["violation_id"] = violation["id"]
        self.uow.audit("departure.record", f"encounter:{encounter['id']}", person.id,
                       compliance=compliance.outcome, port=command.port_code,
                       i94_surrendered=answer["i94_surrendered"],
                       violation=answer["violation_id"])
        return answer

    def _departing_person(self, command: DepartureRecord) -> _Who:
        if command.person_id is not None:
            return self._person(command.person_id)
        if command.fin:
            fin = command.fin.replace("-", "").strip()
            if fin not in self.fins:
                found = self.session.execute(LOOKUP["fin"], {
                    "fin": current_fin(self.session, fin)}).scalar_one_or_none()
                if found is None:
                    raise NotFoundError("registration with FIN", command.fin)
                self.fins[fin] = found
            return self._person(self.fins[fin])
        for document in command.documents:
            if document.number and document_key(document) in self.documents:
                return self._person(self.documents[document_key(document)][1])
        raise InvalidInputError([FieldProblem(
            "person_id", "name the departing person by person_id, fin or a document the "
                         "registry knows")])


def _capture_gate(command: ArrivalInspection, result: Result,
                  modalities: list[str]) -> tuple[Reason, ...]:
    """No FIN without a photograph and fingerprints, unless a cited exemption applies.

    Special registration is fingerprinting and photographing (8 CFR 264.1(f), 67 FR
    52584; ``special_registration.capture_modalities``). The exemptions are those of the
    biometrics determination on the same date (age, admission class, joint or individual
    determinations of 8 CFR 235.1(f)); its reasons are returned to be kept on the
    registration, so the exemption used is on the record with its citation.
    """
    biometrics = result.determinations["biometrics"]
    required = set(modalities)
    reasons: tuple[Reason, ...] = ()
    if biometrics.details.get("exemption"):
        collected = set(biometrics.details.get("modalities", []))
        required &= collected
        reasons = biometrics.reasons
    problems = missing_captures(required, photograph_ref=command.photograph_ref,
                                fingerprints_ref=command.fingerprints_ref)
    if problems:
        raise InvalidInputError(problems)
    return reasons


def missing_captures(required: set[str] | list[str], *, photograph_ref: str | None,
                     fingerprints_ref: str | None) -> list[FieldProblem]:
    """The captures a FIN waits for: each required modality without a reference (the
    one check for registration at a port and at a call-in office)."""
    provided = {"photograph": photograph_ref, "fingerprints": fingerprints_ref}
    return [FieldProblem(f"{modality}_ref",
                         f"a FIN is issued only with the registrant's {modality} "
                         f"(8 CFR 264.1(f)) and no exemption applies; capture it first")
            for modality in ("photograph", "fingerprints")
            if modality in required and not (provided[modality] or "").strip()]


def add_obligations(registry: Registry, uow: UnitOfWork, registration: SpecialRegistration,
                    person: Person, *, route: str, start: date) -> list[Obligation]:
    """Store the registrant's obligations with the windows the rules give on ``start``."""
    rows = [Obligation(registration=registration, person=person, **row)
            for row in obligation_rows(registry, basis=registration.basis, route=route,
                                       start=start,
                                       admission_class=registration.admission_class)]
    uow.session.add_all(rows)
    return rows


#: Where each field of the evaluation contract's case comes from in a movement command.
CASE_TO_COMMAND: Final = {
    "date": "occurred_at", "port.code": "port_code", "port.mode": "mode",
    "port.state": "state", "port": "port_code", "traveler.claimed_status": "claimed_status",
    "traveler.residence": "residence", "traveler.date_of_birth": "person.date_of_birth",
    "traveler.sex": "person.sex", "traveler.citizenships": "person.citizenships",
    "traveler": "person", "departure_report.port_code": "reported_at_port",
    "departure_report.date": "reported_on", "departure_report": "reported_at_port",
}
#: The case's names for a document's fields, and the command's.
DOCUMENT_FIELDS: Final = {"class": "admission_class", "type": "passport_type",
                          "date_of_expiry": "expires_on"}


def command_path(case_path: str) -> str:
    """The command field behind a path of the case built from it (``port.mode`` ->
    ``mode``, ``traveler.citizenships[1]`` -> ``person.citizenships[1]``,
    ``documents[0].class`` -> ``documents[0].admission_class``)."""
    head, _, index = case_path.partition("[")
    if head in CASE_TO_COMMAND:
        return CASE_TO_COMMAND[head] + (f"[{index}" if index else "")
    if head == "documents" and index:
        position, _, field = index.partition("].")
        return f"documents[{position}]" + (f".{DOCUMENT_FIELDS.get(field, field)}"
                                           if field else "")
    return case_path


# ------------------------------------------------------------ amendments (issue 17)
#: The fields of an admission (an arrival encounter and its Form I-94) an amendment may
#: change.
ADMISSION_FIELDS: Final = ("admit_until", "admission_class", "port_code")


def amend_admission(uow: UnitOfWork, encounter: Encounter, field: str, value: Any,
                    **cause: Any) -> I94Record | None:
    """Change the admit-until date, the class or the port of an admission, on the
    encounter and on the I-94 issued at it alike, so that the timeline, the self-service
    standing and the compliance report (which read one or the other) agree. Audited as
    ``encounter.amended`` (and ``i94.amended``) with the values before and after and the
    ``cause``. Returns the I-94, if one was issued."""
    if field not in ADMISSION_FIELDS:
        raise InvalidInputError([FieldProblem("field",
                                              f"not a field of an admission: {field}")])
    record = uow.session.execute(select(I94Record).where(
        I94Record.encounter_id == encounter.id)).scalar_one_or_none()
    before = getattr(encounter, field)
    setattr(encounter, field, value)
    if field == "admit_until" and value is not None:
        encounter.duration_of_status = False
    uow.audit("encounter.amended", encounter, encounter.person_id, field=field,
              before=before, after=value, **cause)
    if record is not None:
        i94_before = getattr(record, field)
        setattr(record, field, value)
        if field == "admit_until" and value is not None:
            record.duration_of_status = False
        uow.audit("i94.amended", record, record.person_id, field=field, before=i94_before,
                  after=value, i94=record.number, **cause)
    return record
