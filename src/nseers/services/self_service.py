"""Traveller self-service: a traveller looks up their own I-94, as on the CBP I-94 website.

The traveller proves who they are with three things printed in their passport: name, date
of birth and document number. The lookup answers only when the three match exactly one
person (names compared as the registry's search keys: case and accents folded, in any of
the person's scripts), and answers a miss, several matches and a wrong detail with the
same "not found", so the lookup tells nothing about anyone else. Every lookup, found or
not, leaves an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Final

from annotated_types import MaxLen, MinLen

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError, NotFoundError
from nseers.core.fields import BodyDefault, Client, NamePart
from nseers.core.states import IDENTITY_DOCUMENTS
from nseers.services.refusal_entries import as_the_traveller_sees_them
from nseers.services.repositories import I94Entry, RecordStore
from nseers.services.stays import as_the_traveller_sees_them as stays_for_the_traveller
from nseers.services.stays import stays_of
from nseers.services.travel_history import one_entry_per_arrival

#: How many arrivals and departures the travel history lists, newest first.
HISTORY_LENGTH: Final = 50


@dataclass(frozen=True, slots=True)
class I94Lookup:
    """What the traveller types from their passport; ``client`` is their address."""

    surname: Annotated[str, MinLen(1), MaxLen(200)]
    given_names: Annotated[NamePart, BodyDefault("")]
    date_of_birth: date
    document_number: Annotated[str, MinLen(1), MaxLen(40)]
    client: Client = None


def _not_found() -> NotFoundError:
    return NotFoundError("I-94 record", "matching the details given")


def lookup_i94(registry: RecordStore, actor: Actor, query: I94Lookup) -> dict[str, Any]:
    """The most recent I-94, the travel history, the days remaining (or overstayed) and
    every stay with its expected departure date and closing departure
    (:mod:`nseers.services.stays`) as of today (the registry's clock), for the one person
    the details match."""
    problems = [FieldProblem(name, "required") for name in ("surname", "document_number")
                if not getattr(query, name).strip()]
    if problems:
        raise InvalidInputError(problems)
    number = query.document_number.strip().upper()
    with registry.records_work(actor, Permission.SELF_SERVICE) as work:
        records = work.records
        matches = records.identity_matches(
            surname=query.surname, given_names=query.given_names,
            date_of_birth=query.date_of_birth, document_number=number,
            document_kinds=IDENTITY_DOCUMENTS, limit=2)
        if len(matches) != 1:
            work.audit("self_service.i94_lookup", "persons", None, outcome="no_match",
                       client=query.client)
            work.commit()
            raise _not_found()
        person_id = matches[0]
        record = records.latest_i94(person_id)
        latest = records.latest_movements(person_id, limit=HISTORY_LENGTH + 1)
        history = one_entry_per_arrival(list(latest)[::-1])[::-1][:HISTORY_LENGTH]
        today = work.now.date()
        answer = {"as_of": today.isoformat(), **_standing(record, today),
                  "i94": None if record is None else _i94(record),
                  "travel_history": [{"kind": e.kind, "date": e.occurred_on.isoformat(),
                                      "port": e.port_code} for e in history],
                  "refusals": as_the_traveller_sees_them(
                      records.refusal_encounters_of([person_id])),
                  "stays": stays_for_the_traveller(
                      stays_of(registry.rules, records, person_id, today))}
        work.audit("self_service.i94_lookup", f"persons:{person_id}", person_id,
                   outcome="found", client=query.client,
                   i94=None if record is None else record.number)
        work.commit()
        return answer


def _i94(record: I94Entry) -> dict[str, Any]:
    return {"number": record.number, "admission_class": record.admission_class,
            "port": record.port_code, "admitted_on": record.admitted_on.isoformat(),
            "admit_until": record.admit_until.isoformat() if record.admit_until else None,
            "duration_of_status": record.duration_of_status,
            "surrendered_on": (record.surrendered_on.isoformat()
                               if record.surrendered_on else None)}


def _standing(record: I94Entry | None, today: date) -> dict[str, Any]:
    """Where the traveller stands today: admitted with days remaining, overstayed by some
    days, admitted for the duration of status, departed, or no I-94 at all.

    Reading chosen: the admit-until date is the last day of the authorised stay, so on that
    day 0 days remain and the day after is the first day overstayed."""
    standing: dict[str, Any] = {"status": "no_i94", "days_remaining": None,
                                "days_overstayed": None}
    if record is None:
        return standing
    if record.surrendered_on is not None:
        standing["status"] = "departed"
    elif record.duration_of_status or record.admit_until is None:
        standing["status"] = "duration_of_status"
    elif record.admit_until >= today:
        standing |= {"status": "admitted", "days_remaining": (record.admit_until - today).days}
    else:
        standing |= {"status": "overstayed",
                     "days_overstayed": (today - record.admit_until).days}
    return standing
