"""The registry's own arrivals, departures and status changes, as the overstay report's
input feeds (issue 12: "without the file options it reads the registry").

``nseers entry-exit report`` reads feeds with fixed columns (``ARRIVAL_COLUMNS``,
``DEPARTURE_COLUMNS``, ``STATUS_CHANGE_COLUMNS`` of :mod:`nseers.entry_exit.definitions`;
docs/entry-exit.md, "Inputs"). This module writes the registry's records in those columns
so the one pipeline counts them, with every definition unchanged:

- an **arrival** row per admitted arrival encounter known on the as-of date, with the
  person's romanised names, date of birth, sex and first citizenship, the document
  presented, and the class and admit-until of the I-94 issued at it (``D/S`` for duration
  of status; the registry records no program end dates, so a D/S admission has no EDD and
  the report leaves it out, as the definitions say);
- a **departure** row per departure encounter, with source ``officer`` (every registry
  departure is recorded by a user at the port). A departure is recorded on the person's
  own record, so its row carries the same identity and the document of the person's
  latest admission before it: the report's document tier links it, as the registry did;
- **status changes**: none, because the registry records no extensions or changes of
  status (the feed has only its header).

A row the report's checks refuse (an arrival with no class or no mode recorded) is
written as it is and reported as a bad row by the report, never dropped here. The whole
export is one read by one analyst (permission ``read_aggregates``), audited once as
``entry_exit.registry_read`` with the counts; the names leave this process only into the
temporary feed files the report reads.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from nseers.core.actors import Actor, Permission
from nseers.core.states import IDENTITY_DOCUMENTS
from nseers.entry_exit.definitions import (
    ARRIVAL_COLUMNS,
    DEPARTURE_COLUMNS,
    DURATION_OF_STATUS_WORDS,
    STATUS_CHANGE_COLUMNS,
)
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.people import Citizenship, Person, TravelDocument
from nseers.services.context import Registry
from nseers.services.stays import REGISTRY_DEPARTURE_SOURCE


@dataclass(frozen=True, slots=True)
class RegistryFeeds:
    """The three feed files written, and how many rows each holds."""

    arrivals: Path
    departures: Path
    status_changes: Path
    counts: dict[str, int]


def arrival_record_id(encounter_id: int) -> str:
    """The feed's record id of an arrival encounter (zero-padded, so that the report's
    ordering by record id is the registry's order)."""
    return f"A{encounter_id:012d}"


def departure_record_id(encounter_id: int) -> str:
    """The feed's record id of a departure encounter."""
    return f"D{encounter_id:012d}"


def write_registry_feeds(registry: Registry, actor: Actor, directory: Path,
                         as_of: date) -> RegistryFeeds:
    """Write ``arrivals.csv``, ``departures.csv`` and ``status_changes.csv`` in
    ``directory`` from the encounters recorded on or before ``as_of``; audited once."""
    with registry.work(actor, Permission.READ_AGGREGATES) as uow:
        session = uow.session
        people = {p.id: p for p in session.execute(
            select(Person.id, Person.surname, Person.given_names, Person.date_of_birth,
                   Person.sex))}
        citizenship: dict[int, str] = {}
        for person_id, country in session.execute(
                select(Citizenship.person_id, Citizenship.country)
                .order_by(Citizenship.person_id, Citizenship.position)):
            citizenship.setdefault(person_id, country)
        documents = {d.id: d for d in session.execute(
            select(TravelDocument.id, TravelDocument.person_id, TravelDocument.kind,
                   TravelDocument.number, TravelDocument.issuing_state)
            .order_by(TravelDocument.id))}
        first_identity: dict[int, Any] = {}
        for held in documents.values():
            if held.kind in IDENTITY_DOCUMENTS:
                first_identity.setdefault(held.person_id, held)
        i94s = {r.encounter_id: r for r in session.execute(
            select(I94Record.encounter_id, I94Record.admission_class, I94Record.admit_until,
                   I94Record.duration_of_status))}
        movements: dict[int, list[Any]] = defaultdict(list)
        for encounter in session.execute(
                select(Encounter.id, Encounter.person_id, Encounter.kind, Encounter.outcome,
                       Encounter.occurred_on, Encounter.port_code, Encounter.mode,
                       Encounter.admission_class, Encounter.admit_until,
                       Encounter.duration_of_status, Encounter.document_id)
                .where(Encounter.kind.in_(("arrival", "departure")),
                       Encounter.occurred_on <= as_of)
                .order_by(Encounter.person_id, Encounter.occurred_at, Encounter.id)):
            movements[encounter.person_id].append(encounter)
        arrivals: list[dict[str, Any]] = []
        departures: list[dict[str, Any]] = []
        for person_id, events in movements.items():
            person = people.get(person_id)
            if person is None:
                continue
            document: Any = first_identity.get(person_id)
            for event in events:
                if event.kind == "arrival" and event.outcome == "admitted":
                    document = documents.get(event.document_id, document)
                    arrivals.append(_identity(person, citizenship, document) | _arrival(
                        event, i94s.get(event.id)))
                elif event.kind == "departure":
                    departures.append(_identity(person, citizenship, document) | {
                        "record_id": departure_record_id(event.id),
                        "departure_date": event.occurred_on.isoformat(),
                        "port": event.port_code, "mode": event.mode or "",
                        "source": REGISTRY_DEPARTURE_SOURCE})
        directory.mkdir(parents=True, exist_ok=True)
        feeds = RegistryFeeds(
            arrivals=_write(directory / "arrivals.csv", ARRIVAL_COLUMNS, arrivals),
            departures=_write(directory / "departures.csv", DEPARTURE_COLUMNS, departures),
            status_changes=_write(directory / "status_changes.csv", STATUS_CHANGE_COLUMNS,
                                  []),
            counts={"arrivals": len(arrivals), "departures": len(departures),
                    "status_changes": 0})
        uow.audit("entry_exit.registry_read", "encounters", None, as_of=as_of,
                  **feeds.counts)
        uow.commit()
        return feeds


def _identity(person: Any, citizenship: dict[int, str], document: Any) -> dict[str, Any]:
    return {"surname": person.surname, "given_names": person.given_names,
            "date_of_birth": "" if person.date_of_birth is None
            else person.date_of_birth.isoformat(),
            "sex": person.sex or "", "citizenship": citizenship.get(person.id, ""),
            "document_number": "" if document is None else document.number,
            "document_issuer": "" if document is None else document.issuing_state}


def _arrival(event: Any, i94: Any) -> dict[str, Any]:
    source = i94 if i94 is not None else event
    if source.duration_of_status:
        admit_until = DURATION_OF_STATUS_WORDS[0]
    else:
        admit_until = "" if source.admit_until is None else source.admit_until.isoformat()
    return {"record_id": arrival_record_id(event.id),
            "arrival_date": event.occurred_on.isoformat(), "port": event.port_code,
            "mode": event.mode or "", "admission_class": source.admission_class or "",
            "admit_until": admit_until, "program_end_date": ""}


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path
