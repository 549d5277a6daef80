"""Retention runs: what is due for erasure (the dry run), notices before erasure, and the
erasure of persons' files, keeping anonymous statistics (issue 17; the EES overlay of
Regulation (EU) 2017/2226 Art. 34, see ``docs/retention.md``).

The kinds of record with a retention period are a table, :data:`RECORD_KINDS`: each names
its policy parameter, how to find its anchor date per person, and the tables its records
live in. A new kind (refusals in their own table, say) is one more entry.

Erasure removes the person's whole file: every row that refers to the person, directly or
through another erased row, found by walking the schema's foreign keys
(:func:`personal_rows`), so a table added later is covered without being listed here:
names, documents, encounters, I-94s, registrations and their obligations, biometrics
(sealed templates and photographs), I-68 applications, screening hits, legal holds that
were released and notices. Before the rows go, their movements are added to
:class:`~nseers.registry.retention.AnonymousMovementCount`. The audit entry says which
rule erased the file and how many rows of each table went, and nothing else: no name, no
document number, no date of the person's movements.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final, Protocol

from sqlalchemy import ColumnElement, Select, Table, delete, func, or_, select
from sqlalchemy.orm import Session

from nseers.core.actors import Actor, Permission
from nseers.db.base import Base
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.people import Citizenship, Person
from nseers.registry.retention import AnonymousMovementCount, LegalHold, RetentionNotice
from nseers.rules.retention import Schedule, months_after, schedule_file
from nseers.services.biometric_retention import biometrics_due, purge_biometrics
from nseers.services.context import Registry

#: Finds a kind's anchor dates: person id -> date, for the persons named (all when None).
Anchors = Callable[[Session, Collection[int] | None], dict[int, date | None]]


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of record with a retention period."""

    name: str
    #: The policy parameter that holds its period (``retention.*``).
    parameter: str
    #: Person id -> anchor date; ``None`` when the record has no end yet (it keeps the file).
    anchors: Anchors
    #: Where its records live (what the dry run says will go; erasure sweeps every table).
    tables: tuple[str, ...]
    description: str


def _only(query: Select[Any], persons: Collection[int] | None) -> Select[Any]:
    return query if persons is None else query.where(Encounter.person_id.in_(sorted(persons)))


def _last_movements(session: Session, persons: Collection[int] | None
                    ) -> dict[int, tuple[str, str, date, date | None]]:
    """Each person's latest arrival or departure (refusals are their own kind): kind,
    outcome, day and admit-until."""
    latest: dict[int, tuple[str, str, date, date | None]] = {}
    rows = session.execute(_only(
        select(Encounter.person_id, Encounter.kind, Encounter.outcome, Encounter.occurred_on,
               Encounter.admit_until).where(Encounter.kind != "refusal")
        .order_by(Encounter.person_id, Encounter.occurred_at, Encounter.id), persons))
    for person, kind, outcome, day, until in rows:
        latest[person] = (kind, outcome, day, until)
    return latest


def _last_exits(session: Session, persons: Collection[int] | None) -> dict[int, date | None]:
    """Persons whose latest movement is an exit: the exit's date."""
    return {person: day for person, (kind, _, day, _) in
            _last_movements(session, persons).items() if kind == "departure"}


def _stays_without_exit(session: Session, persons: Collection[int] | None
                        ) -> dict[int, date | None]:
    """Persons whose latest movement is an arrival: the last day of the authorised stay
    (``None`` for an admission for the duration of status, or one not admitted, which has
    no such day and keeps the file)."""
    return {person: (until if outcome == "admitted" else None)
            for person, (kind, outcome, _, until) in _last_movements(session, persons).items()
            if kind == "arrival"}


def _last_refusals(session: Session, persons: Collection[int] | None
                   ) -> dict[int, date | None]:
    """Persons refused entry: the date of the last refusal."""
    rows = session.execute(_only(
        select(Encounter.person_id, func.max(Encounter.occurred_on))
        .where(Encounter.kind == "refusal").group_by(Encounter.person_id), persons))
    return {int(person): day for person, day in rows}


#: The kinds of record with a retention period (EES Art. 34).
RECORD_KINDS: Final[tuple[RecordKind, ...]] = (
    RecordKind("entry_exit", "retention.ees_entry_exit", _last_exits,
               ("encounters", "i94_records", "travel_documents"),
               "entry/exit records, counted from the last exit"),
    RecordKind("overstay", "retention.ees_overstay", _stays_without_exit,
               ("encounters", "i94_records", "travel_documents"),
               "an admission with no exit by the end of the authorised stay, counted from "
               "its last day"),
    RecordKind("refusal", "retention.ees_refusal", _last_refusals,
               ("encounters", "refusals", "refusal_grounds", "travel_documents"),
               "refusals of entry, counted from the last refusal"),
)


# ---------------------------------------------------------------- notices
class NoticeSender(Protocol):
    """Delivers a pre-erasure notice; returns the channel it used."""

    def send(self, notice: dict[str, Any]) -> str:
        """Deliver ``notice`` (after it is recorded) and name the channel."""
        ...


class RecordedOnly:
    """No delivery beyond the notice record itself (the default)."""

    def send(self, notice: dict[str, Any]) -> str:
        """Nothing to deliver: the record is the notice."""
        del notice
        return "record"


@dataclass
class FileOutbox:
    """One JSON file per notice in a directory that a mail or messaging job drains.

    The file names the person by registry id only: the job that delivers it looks the
    address up, so an outbox left behind holds no name.
    """

    directory: Path

    def send(self, notice: dict[str, Any]) -> str:
        """Write ``notice-<id>.json``."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"notice-{notice['notice_id']}.json"
        path.write_text(json.dumps(notice, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return "outbox"


# ---------------------------------------------------------------- the plan
@dataclass(frozen=True, slots=True)
class Entry:
    """One file's line in the plan."""

    person_id: int
    schedule: Schedule
    hold_references: tuple[str, ...] = ()
    notice_given_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the rule's explanation."""
        s = self.schedule
        kind = next((k for k in RECORD_KINDS if k.name == s.kind), None)
        return {"person_id": self.person_id, "status": s.status,
                "due_on": _iso(s.due_on), "notice_from": _iso(s.notice_from),
                "erase_on": _iso(s.erase_on), "notice_given_on": _iso(self.notice_given_on),
                "holds": list(self.hold_references),
                "tables": [] if kind is None else list(kind.tables),
                **s.explain()}


@dataclass
class Plan:
    """What a run finds on its as-of date, by status."""

    as_of: date
    entries: list[Entry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: counts per status, and the entries grouped by rule."""
        rules: dict[str, list[dict[str, Any]]] = {}
        for entry in self.entries:
            rules.setdefault(entry.schedule.rule or "", []).append(entry.to_dict())
        counts = Counter(e.schedule.status for e in self.entries)
        return {"as_of": self.as_of.isoformat(),
                "counts": {s: counts[s] for s in ("due", "notice", "notified", "held")},
                "rules": [{"rule": rule, "entries": entries}
                          for rule, entries in sorted(rules.items())]}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


#: The statuses a plan lists (a file merely kept, or open, is not news).
LISTED: Final = frozenset({"due", "notice", "notified", "held"})


def _plan(registry: Registry, session: Session, as_of: date,
          only: Iterable[int] | None = None) -> Plan:
    policy = registry.rules.policy
    rules = {kind.name: policy.parameter(kind.parameter, as_of) for kind in RECORD_KINDS}
    wanted = None if only is None else set(only)
    anchors: dict[int, dict[str, date | None]] = {}
    for kind in RECORD_KINDS:
        for person, anchor in kind.anchors(session, wanted).items():
            anchors.setdefault(person, {})[kind.name] = anchor
    hold_query = select(LegalHold.person_id, LegalHold.reference).where(
        LegalHold.released_at.is_(None)).order_by(LegalHold.id)
    notice_query = select(RetentionNotice.person_id, RetentionNotice.rule,
                          RetentionNotice.due_on, RetentionNotice.given_on)
    if wanted is not None:
        hold_query = hold_query.where(LegalHold.person_id.in_(sorted(wanted)))
        notice_query = notice_query.where(RetentionNotice.person_id.in_(sorted(wanted)))
    holds: dict[int, list[str]] = {}
    for person, reference in session.execute(hold_query):
        holds.setdefault(person, []).append(reference)
    notices = {(person, rule, due): given
               for person, rule, due, given in session.execute(notice_query)}
    plan = Plan(as_of)
    for person in sorted(anchors):
        first = schedule_file(anchors[person], rules, as_of=as_of)
        given = notices.get((person, first.rule or "", first.due_on or as_of))
        schedule = schedule_file(anchors[person], rules, as_of=as_of, notice_given_on=given,
                                 held=person in holds)
        if schedule.status in LISTED:
            plan.entries.append(Entry(person, schedule, tuple(holds.get(person, ())), given))
    return plan


def retention_plan(registry: Registry, actor: Actor, as_of: date) -> dict[str, Any]:
    """The dry run: every file due, in its notice window, notified, or held, by rule.

    Lists registry ids and dates, never names; the read is audited with the ids returned.
    """
    with registry.work(actor, Permission.RUN_RETENTION) as uow:
        plan = _plan(registry, uow.session, as_of)
        uow.audit("retention.review", "persons", None, as_of=as_of,
                  returned=[e.person_id for e in plan.entries])
        uow.commit()
    return plan.to_dict()


# ---------------------------------------------------------------- the run
def run_retention(registry: Registry, actor: Actor, as_of: date, *, apply: bool = False,
                  sender: NoticeSender | None = None) -> dict[str, Any]:
    """List what is due on ``as_of`` and, with ``apply``, give the notices and erase.

    Each notice and each erasure is its own unit of work that looks at the file again
    first (a hold placed since the plan was made is respected), so a run that stops half-
    way leaves every file either whole or erased, and a second run on the same date finds
    nothing more to do.
    """
    plan = retention_plan(registry, actor, as_of) | {
        "biometrics": biometrics_due(registry, actor, as_of)}
    if not apply:
        return plan | {"applied": False}
    sender = sender or RecordedOnly()
    noticed: list[int] = []
    erased: list[int] = []
    for group in plan["rules"]:
        for entry in group["entries"]:
            if entry["status"] == "notice":
                if _give_notice(registry, actor, as_of, entry["person_id"], sender):
                    noticed.append(entry["person_id"])
            elif entry["status"] == "due" and _erase(registry, actor, as_of,
                                                     entry["person_id"]):
                erased.append(entry["person_id"])
    purged = purge_biometrics(registry, actor, as_of)
    with registry.work(actor, Permission.RUN_RETENTION) as uow:
        uow.audit("retention.run", "persons", None, as_of=as_of, noticed=len(noticed),
                  erased=len(erased), biometrics_purged=purged["purged"])
        uow.commit()
    return plan | {"applied": True, "noticed": noticed, "erased": erased,
                   "biometrics": purged}


def _recheck(registry: Registry, uow: UnitOfWork, as_of: date, person_id: int,
             status: str) -> Schedule | None:
    """The file's schedule now, inside this transaction, if it still has ``status``.

    The person's row is locked first (``FOR UPDATE`` on PostgreSQL; SQLite's write lock is
    already held), so two runs at once cannot both notice or both erase one file: the
    second waits, then finds the notice given or the file gone.
    """
    locked = uow.session.execute(select(Person.id).where(Person.id == person_id)
                                 .with_for_update()).scalar_one_or_none()
    if locked is None:
        return None
    plan = _plan(registry, uow.session, as_of, only=[person_id])
    if not plan.entries or plan.entries[0].schedule.status != status:
        return None
    return plan.entries[0].schedule


def _give_notice(registry: Registry, actor: Actor, as_of: date, person_id: int,
                 sender: NoticeSender) -> bool:
    with registry.work(actor, Permission.RUN_RETENTION) as uow:
        schedule = _recheck(registry, uow, as_of, person_id, "notice")
        if schedule is None or schedule.record is None or schedule.due_on is None:
            return False
        notify = list(schedule.record.value.notify)
        notice = RetentionNotice(
            person_id=person_id, rule=schedule.rule, due_on=schedule.due_on, given_on=as_of,
            recipients=notify, channel="pending", given_at=uow.now,
            given_by=actor.username, detail=schedule.explain())
        uow.session.add(notice)
        uow.session.flush()
        message = {
            "notice_id": notice.id, "person_id": person_id, "recipients": notify,
            "rule": schedule.rule, "citation": schedule.record.citation,
            "scheduled_erasure": _iso(max(schedule.due_on, _erase_after(schedule, as_of))),
            "text": (f"The records held on this person are scheduled for erasure under "
                     f"{schedule.record.citation} ({schedule.rule}). Any action that needs "
                     f"them kept (a legal hold, a correction request) must be taken before "
                     f"that date.")}
        notice.channel = sender.send(message)
        uow.audit("retention.notice", notice, person_id, rule=schedule.rule,
                  recipients=notify, channel=notice.channel)
        uow.commit()
        return True


def _erase_after(schedule: Schedule, given_on: date) -> date:
    """The earliest erasure a notice given on ``given_on`` allows."""
    months = schedule.record.value.notice_months if schedule.record is not None else None
    return given_on if months is None else months_after(given_on, months)


def _erase(registry: Registry, actor: Actor, as_of: date, person_id: int) -> bool:
    with registry.work(actor, Permission.RUN_RETENTION) as uow:
        schedule = _recheck(registry, uow, as_of, person_id, "due")
        if schedule is None:
            return False
        kept = keep_statistics(uow.session, person_id)
        erased = erase_person(uow.session, person_id)
        uow.audit("retention.erase", f"person:{person_id}", person_id, rule=schedule.rule,
                  citation=None if schedule.record is None else schedule.record.citation,
                  as_of=as_of, erased=erased, statistics_kept=kept)
        uow.commit()
        return True


# ---------------------------------------------------------------- statistics and erasure
def keep_statistics(session: Session, person_id: int) -> int:
    """Add the person's movements to the anonymous counts; how many movements."""
    nationality = session.execute(
        select(Citizenship.country).where(Citizenship.person_id == person_id)
        .order_by(Citizenship.position).limit(1)).scalar_one_or_none() or ""
    counts: Counter[tuple[str, str, str, str]] = Counter()
    for day, port, kind, admission_class in session.execute(
            select(Encounter.occurred_on, Encounter.port_code, Encounter.kind,
                   Encounter.admission_class).where(Encounter.person_id == person_id)):
        counts[(f"{day.year:04d}-{day.month:02d}", port, kind, admission_class or "")] += 1
    for (month, port, kind, admission_class), number in sorted(counts.items()):
        row = session.execute(select(AnonymousMovementCount).where(
            AnonymousMovementCount.month == month, AnonymousMovementCount.port_code == port,
            AnonymousMovementCount.kind == kind,
            AnonymousMovementCount.admission_class == admission_class,
            AnonymousMovementCount.nationality == nationality)).scalar_one_or_none()
        if row is None:
            session.add(AnonymousMovementCount(
                month=month, port_code=port, kind=kind, admission_class=admission_class,
                nationality=nationality, count=number))
        else:
            row.count += number
    session.flush()
    return sum(counts.values())


def personal_rows(session: Session, person_id: int) -> list[tuple[Table, ColumnElement[bool]]]:
    """Every table's rows that belong to the person, parents before children.

    Follows the foreign keys of the whole schema from ``persons``: a row is the person's
    when one of its foreign keys points at a row that is (their encounters, then the I-94s
    of those encounters, and so on).
    """
    tables = Base.metadata.sorted_tables
    referenced = {(fk.column.table.name, fk.column.name)
                  for table in tables for fk in table.foreign_keys}
    persons = Base.metadata.tables["persons"]
    keys: dict[tuple[str, str], set[Any]] = {("persons", "id"): {person_id}}
    found: list[tuple[Table, ColumnElement[bool]]] = []
    for table in tables:
        if table is persons:
            # The records merged into this person (issue 13) are the same person's file.
            condition: ColumnElement[bool] = or_(persons.c.id == person_id,
                                                 persons.c.merged_into == person_id)
        else:
            clauses = [fk.parent.in_(sorted(keys[(fk.column.table.name, fk.column.name)]))
                       for fk in table.foreign_keys
                       if keys.get((fk.column.table.name, fk.column.name))]
            if not clauses:
                continue
            condition = or_(*clauses)
        found.append((table, condition))
        for table_name, column in referenced:
            if table_name == table.name:
                keys[(table_name, column)] = set(session.execute(
                    select(table.c[column]).where(condition)).scalars())
    return found


def erase_person(session: Session, person_id: int) -> dict[str, int]:
    """Delete every row of the person's file, children first; rows deleted per table."""
    erased: dict[str, int] = {}
    for table, condition in reversed(personal_rows(session, person_id)):
        result = session.execute(delete(table).where(condition))
        count = int(getattr(result, "rowcount", 0) or 0)
        if count:
            erased[table.name] = count
    return erased


def anonymous_movements(registry: Registry, actor: Actor) -> list[dict[str, Any]]:
    """The anonymous counts kept from erased files (counts only, no one is named)."""
    with registry.work(actor, Permission.READ_AGGREGATES) as uow:
        rows = uow.session.execute(select(AnonymousMovementCount).order_by(
            AnonymousMovementCount.month, AnonymousMovementCount.port_code,
            AnonymousMovementCount.kind, AnonymousMovementCount.admission_class,
            AnonymousMovementCount.nationality)).scalars().all()
        out = [{"month": r.month, "port": r.port_code, "kind": r.kind,
                "admission_class": r.admission_class or None,
                "nationality": r.nationality or None, "count": r.count} for r in rows]
        uow.audit("statistics.read", "anonymous_movement_counts", None,
                  report="erased_movements", returned=len(out))
        uow.commit()
    return out


def erased_movements_by_month(registry: Registry, actor: Actor, start: date, end: date,
                              port: str | None = None) -> list[dict[str, Any]]:
    """The erased files' movements in the months wholly inside ``start`` to ``end``, in the
    shape of :func:`nseers.services.statistics.movements_by_port_and_day` (one row per port
    and month, dated the month's first day), so a monthly chart adds them and its totals do
    not drop when files are erased. A month cut by the period is left out: the counts are
    kept by month only, and a part of a month cannot be told from them."""
    first = start if start.day == 1 else months_after(start.replace(day=1), 1)
    end_is_last_day = (end + timedelta(days=1)).day == 1
    last = end if end_is_last_day else months_after(end.replace(day=1), -1)
    low, high = f"{first.year:04d}-{first.month:02d}", f"{last.year:04d}-{last.month:02d}"
    with registry.work(actor, Permission.READ_AGGREGATES) as uow:
        query = select(AnonymousMovementCount).where(AnonymousMovementCount.month >= low,
                                                     AnonymousMovementCount.month <= high)
        if port:
            query = query.where(AnonymousMovementCount.port_code == port.strip().upper())
        table: dict[tuple[str, str], dict[str, Any]] = {}
        for row in uow.session.execute(query).scalars():
            out = table.setdefault((row.port_code, row.month), {
                "port": row.port_code, "day": f"{row.month}-01", "arrivals": 0,
                "departures": 0, "refusals": 0})
            column = {"arrival": "arrivals", "departure": "departures",
                      "refusal": "refusals"}.get(row.kind)
            if column is not None:
                out[column] += row.count
        uow.audit("statistics.read", "anonymous_movement_counts", None,
                  report="erased_movements_by_month", start=start, end=end, port=port)
        uow.commit()
    return [table[key] for key in sorted(table)]
