"""The carrier check: one passenger or a whole manifest, answered board / not / no record.

A carrier's system account (role ``carrier``, one account per carrier, named for it:
``carrier.<designator>``) sends each passenger's document number, issuing country,
nationality, surname and date of birth, and the intended date of travel. The registry
looks for the one person who holds that document and matches all of the identity (the
surname as any of the person's names' search keys, the date of birth, a citizenship); a
miss, a partial match and several matches are all ``no_record``, so the answer tells the
carrier nothing about anyone it did not already identify. A match is judged by
:func:`nseers.rules.carrier.decide_boarding` under the law in force on the intended date.

What leaves: the answer and the policy's reason codes, nothing else (no name, date, id or
ground). What stays: one audit entry per passenger asked about (``carrier.check``), naming
the carrier (the actor), the document as a keyed hash (HMAC-SHA256 under the audit key, so
the log can prove which document was asked about when the number is known, but does not
spell it out), the person matched, the answer, the grounds and the rules that decided it
(EES Art. 46: the data used for the query and the answer; 19 CFR 122.49a).

The intended date must lie in the overlay's window around the day of the query
(``carrier.query_window_days``): a carrier asks about a journey it is about to carry, not
about a passenger's past.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import select

from nseers.core.actors import Actor, Permission
from nseers.core.codes import is_alpha3
from nseers.core.errors import ConflictError, FieldProblem, InvalidInputError
from nseers.core.states import IDENTITY_DOCUMENTS
from nseers.db.uow import UnitOfWork
from nseers.registry.encounters import Encounter
from nseers.registry.people import Citizenship, Person, PersonName, TravelDocument, name_key
from nseers.rules.carrier import (
    BoardingDecision,
    BoardingFacts,
    CarrierPolicyMissingError,
    Stay,
    decide_boarding,
    no_record,
)
from nseers.rules.policy.parameters import QueryWindow
from nseers.services.context import Registry

#: The fields of one passenger, as the API and the CLI name them.
FIELDS: Final = ("document_number", "issuing_country", "nationality", "surname",
                 "date_of_birth", "intended_travel_date")
#: The most passengers one manifest may hold.
MAX_MANIFEST_ROWS: Final = 1000
#: Inspection outcomes that are an order of removal on arrival (INA 212(a)(9)(A)(i)):
#: the registry's own outcome codes (``nseers.rules.inspection``), not law. A refusal
#: recorded with another outcome, a withdrawn application, is no removal.
REMOVAL_OUTCOMES: Final = frozenset({"stowaway_removal"})
#: The longest text each field may hold: the registry's columns (a document number is
#: ``travel_documents.number``, 40; a name part 200), so the API, the console, the CLI and
#: a manifest refuse the same input.
_MAX_LENGTH: Final = {"document_number": 40, "issuing_country": 200, "nationality": 200,
                      "surname": 200}


@dataclass(frozen=True, slots=True)
class PassengerQuery:
    """One passenger as the carrier's booking holds them."""

    document_number: str
    issuing_country: str
    nationality: str
    surname: str
    date_of_birth: date
    intended_travel_date: date


def read_passenger(raw: Mapping[str, Any], path: str = "") -> PassengerQuery:
    """A passenger from a mapping (a JSON object, a CSV row); every bad field is named
    under ``path`` (``rows[3].date_of_birth``)."""
    prefix = f"{path}." if path else ""
    problems: list[FieldProblem] = []
    unknown = sorted(set(raw) - set(FIELDS))
    problems += [FieldProblem(f"{prefix}{name}", "unknown field") for name in unknown]
    text: dict[str, str] = {}
    for name in ("document_number", "issuing_country", "nationality", "surname"):
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(FieldProblem(f"{prefix}{name}", "required (text)"))
        elif len(value.strip()) > _MAX_LENGTH[name]:
            problems.append(FieldProblem(f"{prefix}{name}",
                                         f"at most {_MAX_LENGTH[name]} characters (this is "
                                         f"{len(value.strip())})"))
        elif "\x00" in value:
            problems.append(FieldProblem(f"{prefix}{name}", "holds a NUL character"))
        else:
            text[name] = value.strip().upper()
    for name in ("issuing_country", "nationality"):
        if name in text and not is_alpha3(text[name]):
            problems.append(FieldProblem(f"{prefix}{name}",
                                         f"not a 3-letter country code: {text[name]!r}"))
    if "document_number" in text:
        text["document_number"] = text["document_number"].replace(" ", "").replace("<", "")
        if not text["document_number"].isalnum():
            problems.append(FieldProblem(f"{prefix}document_number",
                                         "letters and digits only"))
    days: dict[str, date] = {}
    for name in ("date_of_birth", "intended_travel_date"):
        value = raw.get(name)
        day = _day(value)
        if day is None:
            problems.append(FieldProblem(f"{prefix}{name}",
                                         f"not a date: {value!r} (expected YYYY-MM-DD)"))
        else:
            days[name] = day
    if problems:
        raise InvalidInputError(problems)
    return PassengerQuery(
        document_number=text["document_number"], issuing_country=text["issuing_country"],
        nationality=text["nationality"], surname=text["surname"],
        date_of_birth=days["date_of_birth"], intended_travel_date=days["intended_travel_date"])


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def manifest_rows(text: str, *, is_json: bool = False) -> list[dict[str, Any]]:
    """The rows of a manifest file: CSV with a header row naming the fields, or a JSON
    array of objects; a file of another shape is an error naming ``manifest``."""
    if is_json:
        try:
            rows = json.loads(text)
        except ValueError as error:
            raise InvalidInputError([FieldProblem("manifest", f"not JSON: {error}")]) from error
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInputError([FieldProblem("manifest",
                                                  "a JSON manifest is an array of objects")])
        return rows
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "document_number" not in reader.fieldnames:
        raise InvalidInputError([FieldProblem(
            "manifest", f"a CSV manifest starts with a header row naming the fields "
                        f"({', '.join(FIELDS)})")])
    return [{k: v for k, v in row.items() if k} for row in reader]


def check_passenger(registry: Registry, actor: Actor, query: PassengerQuery,
                    ) -> dict[str, Any]:
    """One passenger's answer: ``{"answer", "reason_codes"}`` and nothing else."""
    answer = check_manifest(registry, actor, [query])["rows"][0]
    if "errors" in answer:
        raise InvalidInputError([FieldProblem(e["path"].split(".", 1)[1], e["message"])
                                 for e in answer["errors"]])
    return {"answer": answer["answer"], "reason_codes": answer["reason_codes"]}


def check_manifest(registry: Registry, actor: Actor,
                   rows: Sequence[PassengerQuery | Mapping[str, Any]]) -> dict[str, Any]:
    """Every row answered, or named with its bad fields; the good rows are answered even
    when others are bad. Rows may be read already or raw mappings (read here)."""
    if not rows:
        raise InvalidInputError([FieldProblem("rows", "at least one passenger")])
    if len(rows) > MAX_MANIFEST_ROWS:
        raise InvalidInputError([FieldProblem("rows", f"at most {MAX_MANIFEST_ROWS} "
                                                      f"passengers per manifest")])
    today = registry.clock().date()
    window = _window(registry, today)
    read: dict[int, PassengerQuery] = {}
    results: dict[int, dict[str, Any]] = {}
    for index, row in enumerate(rows):
        path = f"rows[{index}]"
        try:
            query = row if isinstance(row, PassengerQuery) else read_passenger(row, path)
            _check_window(query, today, window, path)
        except InvalidInputError as error:
            results[index] = {"index": index, "errors": [
                {"path": p.path, "message": p.message} for p in error.problems]}
            continue
        read[index] = query
    with registry.work(actor, Permission.CARRIER_CHECK) as uow:
        matched = _match(uow, list(read.values()))
        facts = _facts(uow, {person_id for person_id, _ in matched.values()})
        for index, query in read.items():
            decision, person_id = _decide(registry, query, matched, facts)
            results[index] = {"index": index, **decision.for_carrier()}
            uow.audit("carrier.check",
                      f"persons:{person_id}" if person_id is not None else "carrier_queries",
                      person_id, document=document_digest(registry, query),
                      intended_travel_date=query.intended_travel_date, answer=decision.answer,
                      grounds=list(decision.grounds),
                      rules=[reason.rule for reason in decision.reasons],
                      manifest_row=index if len(rows) > 1 else None)
        if len(rows) > 1:
            uow.audit("carrier.manifest", "carrier_queries", None, rows=len(rows),
                      answered=len(read), rejected=len(rows) - len(read))
        uow.commit()
    ordered = [results[index] for index in range(len(rows))]
    return {"rows": ordered, "answered": len(read), "rejected": len(rows) - len(read)}


def document_digest(registry: Registry, query: PassengerQuery) -> str:
    """The document as the audit trail names it: a keyed hash, never the number."""
    message = f"{query.issuing_country}:{query.document_number}".encode()
    return hmac.new(registry.audit_key, message, hashlib.sha256).hexdigest()[:32]


def _window(registry: Registry, today: date) -> QueryWindow:
    window = registry.rules.law(today).value("carrier.query_window_days")
    if not isinstance(window, QueryWindow):
        raise ConflictError("carrier_policy_missing",
                            f"no carrier check policy is in force on {today}")
    return window


def _check_window(query: PassengerQuery, today: date, window: QueryWindow,
                  path: str) -> None:
    first = today - timedelta(days=window.days_before)
    last = today + timedelta(days=window.days_ahead)
    if not first <= query.intended_travel_date <= last:
        raise InvalidInputError([FieldProblem(
            f"{path}.intended_travel_date",
            f"must lie from {first.isoformat()} to {last.isoformat()} (a journey about to "
            f"be carried)")])


def _match(uow: UnitOfWork, queries: list[PassengerQuery]
           ) -> dict[tuple[str, str, str, str, date], tuple[int, int]]:
    """(person id, document id) for each identity that matches exactly one person."""
    if not queries:
        return {}
    session = uow.session
    numbers = sorted({q.document_number for q in queries})
    documents: dict[tuple[str, str], list[TravelDocument]] = {}
    for start in range(0, len(numbers), 500):
        for document in session.execute(select(TravelDocument).where(
                TravelDocument.number.in_(numbers[start:start + 500]),
                TravelDocument.kind.in_(IDENTITY_DOCUMENTS))).scalars():
            documents.setdefault((document.issuing_state, document.number), []).append(document)
    person_ids = sorted({d.person_id for found in documents.values() for d in found})
    births: dict[int, date | None] = {}
    surnames: dict[int, set[str]] = {}
    citizenships: dict[int, set[str]] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start:start + 500]
        births.update(session.execute(select(Person.id, Person.date_of_birth).where(
            Person.id.in_(chunk))).tuples().all())
        for person_id, surname_key in session.execute(select(PersonName.person_id,
                                                             PersonName.surname_key).where(
                PersonName.person_id.in_(chunk))).tuples():
            surnames.setdefault(person_id, set()).add(surname_key)
        for person_id, country in session.execute(select(Citizenship.person_id,
                                                         Citizenship.country).where(
                Citizenship.person_id.in_(chunk))).tuples():
            citizenships.setdefault(person_id, set()).add(country)
    matched: dict[tuple[str, str, str, str, date], tuple[int, int]] = {}
    for query in queries:
        key = _identity(query)
        candidates = [d for d in documents.get((query.issuing_country, query.document_number),
                                               [])
                      if births.get(d.person_id) == query.date_of_birth
                      and name_key(query.surname) in surnames.get(d.person_id, set())
                      and query.nationality in citizenships.get(d.person_id, set())]
        if len({d.person_id for d in candidates}) == 1:
            matched[key] = (candidates[0].person_id, candidates[0].id)
    return matched


def _identity(query: PassengerQuery) -> tuple[str, str, str, str, date]:
    return (query.issuing_country, query.document_number, query.nationality,
            name_key(query.surname), query.date_of_birth)


@dataclass(slots=True)
class _Known:
    date_of_birth: date | None
    stays: list[Stay]
    removals: list[date]
    expiries: dict[int, date | None]


def _facts(uow: UnitOfWork, person_ids: set[int]) -> dict[int, _Known]:
    """Each matched person's admissions with their departures, removals and documents."""
    session = uow.session
    known: dict[int, _Known] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for person_id, born in session.execute(select(Person.id, Person.date_of_birth).where(
                Person.id.in_(chunk))).tuples():
            known[person_id] = _Known(born, [], [], {})
        for document_id, person_id, expires in session.execute(
                select(TravelDocument.id, TravelDocument.person_id, TravelDocument.expires_on)
                .where(TravelDocument.person_id.in_(chunk))).tuples():
            known[person_id].expiries[document_id] = expires
        encounters = session.execute(
            select(Encounter.person_id, Encounter.kind, Encounter.outcome,
                   Encounter.occurred_on, Encounter.admit_until,
                   Encounter.duration_of_status, Encounter.determinations)
            .where(Encounter.person_id.in_(chunk))
            .order_by(Encounter.person_id, Encounter.occurred_at, Encounter.id)).tuples()
        for person_id, kind, outcome, day, admit_until, ds, determinations in encounters:
            person = known[person_id]
            if kind == "arrival" and outcome == "admitted":
                person.stays.append(Stay(day, None if ds else admit_until, None))
            elif kind == "departure" and person.stays and person.stays[-1].departed_on is None:
                last = person.stays[-1]
                person.stays[-1] = Stay(last.admitted_on, last.admit_until, day)
            elif kind == "refusal" and (determinations or {}).get("inspection", {}).get(
                    "outcome") in REMOVAL_OUTCOMES:
                person.removals.append(day)
    return known


def _decide(registry: Registry, query: PassengerQuery,
            matched: dict[tuple[str, str, str, str, date], tuple[int, int]],
            facts: dict[int, _Known]) -> tuple[BoardingDecision, int | None]:
    law = registry.rules.law(query.intended_travel_date)
    try:
        found = matched.get(_identity(query))
        if found is None:
            return no_record(law), None
        person_id, document_id = found
        person = facts[person_id]
        return decide_boarding(BoardingFacts(
            date_of_birth=person.date_of_birth,
            document_expires_on=person.expiries.get(document_id),
            stays=tuple(person.stays), removals=tuple(person.removals)), law), person_id
    except CarrierPolicyMissingError as error:
        raise ConflictError("carrier_policy_missing", str(error)) from error
