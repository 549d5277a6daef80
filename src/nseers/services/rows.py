"""The registry's rows, each built in one place (issue 15).

Two paths write the same tables: a batch of movements (``movements.ingest``, a port's feed
or a lone inspection) inserts plain dictionaries table by table through
:func:`nseers.db.bulk.insert_rows`, and the other use cases (a refusal, a call-in
registration, an interview, an amendment) add ORM objects. Both take a row's column values
from the functions here: the bulk writer appends the dictionary, the ORM paths construct
``Model(**row)``. A default, a derived value or a normalisation (names stripped, search
keys, citizenships in order without repeats, the day of an instant, ``version`` 1) is
written once, so the same facts store the same row whichever path wrote it.

A row carries every column but its ``id`` and its links to other rows (``person_id``,
``registration_id``, ``encounter_id``, ``document_id``, ``obligation_id``,
``surrender_encounter_id``): the bulk writer links rows by the ids it reserved up front,
the ORM paths by relationships or flushed ids. ``tests/unit/test_one_row_builder.py``
keeps every other module to linking.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from nseers.registry.people import name_key
from nseers.rules.obligations import registrant_obligations

if TYPE_CHECKING:
    from nseers.services.context import Registry
    from nseers.services.facts import DocumentFacts, PersonFacts
    from nseers.services.movements import SwornAnswers

Row = dict[str, Any]

#: How far ahead the annual re-registration windows are generated at registration.
OBLIGATION_HORIZON: Final = timedelta(days=3653)
#: A version-counted row (registrations, violations) starts at 1 (``version_id_col``).
FIRST_VERSION: Final = 1


# -------------------------------------------------------------------- persons
def person_row(facts: PersonFacts, *, created_at: datetime) -> Row:
    """A new person (``persons``): the name as given, without surrounding spaces."""
    return {"surname": facts.surname.strip(), "given_names": facts.given_names.strip(),
            "surname_original": facts.surname_original,
            "given_names_original": facts.given_names_original, "script": facts.script,
            "date_of_birth": facts.date_of_birth, "sex": facts.sex,
            "created_at": created_at}


def citizenship_rows(countries: Iterable[str]) -> list[Row]:
    """A person's citizenships (``person_citizenships``) in the order given, each once:
    the first is the nationality the rules and the screening read first."""
    return [{"country": country, "position": position}
            for position, country in enumerate(dict.fromkeys(countries))]


def name_row(kind: str, surname: str, given_names: str) -> Row:
    """One name a person is known by (``person_names``) with its search keys
    (:func:`nseers.registry.people.name_key`), so a search in any script finds it."""
    return {"kind": kind, "surname": surname, "given_names": given_names,
            "surname_key": name_key(surname), "given_names_key": name_key(given_names)}


def person_name_rows(facts: PersonFacts) -> list[Row]:
    """A new person's names: the primary (as :func:`person_row` stores it) and, where
    given, the name in the original script."""
    names = [name_row("primary", facts.surname.strip(), facts.given_names.strip())]
    if facts.surname_original:
        names.append(name_row("original", facts.surname_original,
                              facts.given_names_original or ""))
    return names


def document_row(key: tuple[str, str, str], document: DocumentFacts) -> Row:
    """A travel document (``travel_documents``) under the registry's ``key`` for it
    (kind, issuing state, number: :func:`nseers.services.people.document_key`)."""
    kind, issuer, number = key
    return {"kind": kind, "number": number, "issuing_state": issuer,
            "admission_class": document.admission_class,
            "passport_type": document.passport_type, "expires_on": document.expires_on,
            "is_machine_read": document.is_machine_read}


# ----------------------------------------------------------------- encounters
def encounter_row(*, kind: str, outcome: str, port_code: str, mode: str | None,
                  occurred_at: datetime, officer: str, policy_version: str,
                  determinations: dict[str, Any], admission_class: str | None = None,
                  admit_until: date | None = None, duration_of_status: bool = False,
                  refusal_reason: str | None = None) -> Row:
    """An arrival, departure or refusal (``encounters``), on the day of its own instant
    (the offset the port recorded, not the server's)."""
    return {"kind": kind, "outcome": outcome, "port_code": port_code, "mode": mode,
            "occurred_at": occurred_at, "occurred_on": occurred_at.date(),
            "officer": officer, "admission_class": admission_class,
            "admit_until": admit_until, "duration_of_status": duration_of_status,
            "refusal_reason": refusal_reason, "policy_version": policy_version,
            "determinations": determinations}


# -------------------------------------------------------------- registrations
def registration_row(*, fin: str, route: str, basis: str, grounds: list[str],
                     registered_on: date, place: str, timeliness: str | None,
                     admission_class: str | None, answers: SwornAnswers,
                     photograph_ref: str | None, fingerprints_ref: str | None,
                     officer: str, policy_version: str, reasons: list[dict[str, Any]],
                     created_at: datetime, call_in_group: int | None = None) -> Row:
    """A special registration (``special_registrations``, 8 CFR 264.1(f)) with the
    registrant's sworn answers (264.1(f)(2)) and the references of the photograph and
    fingerprints taken."""
    return {"fin": fin, "route": route, "basis": basis, "grounds": grounds,
            "registered_on": registered_on, "place": place, "call_in_group": call_in_group,
            "timeliness": timeliness, "admission_class": admission_class,
            "photograph_ref": photograph_ref, "fingerprints_ref": fingerprints_ref,
            "us_address": answers.us_address, "purpose": answers.purpose,
            "itinerary": answers.itinerary, "employer_or_school": answers.employer_or_school,
            "officer": officer, "policy_version": policy_version, "reasons": reasons,
            "created_at": created_at, "version": FIRST_VERSION}


def obligation_rows(registry: Registry, *, basis: str, route: str, start: date,
                    admission_class: str | None) -> list[Row]:
    """The registrant's obligations (``obligations``) with the windows the rules give on
    ``start`` (8 CFR 264.1(f)(3)-(5)), annual windows up to :data:`OBLIGATION_HORIZON`."""
    computed = registrant_obligations(
        registry.rules.policy, basis=basis,
        route="port_of_entry" if route == "port_of_entry" else "call_in", start=start,
        until=start + OBLIGATION_HORIZON, admission_class=admission_class)
    return [{"kind": o.kind, "sequence": o.sequence or 0, "status": o.status,
             "window_start": o.window_start, "window_end": o.window_end,
             "reasons": [r.to_dict() for r in o.reasons]} for o in computed]


def i94_row(*, number: str, admission_class: str | None, port_code: str, admitted_on: date,
            admit_until: date | None, duration_of_status: bool, multiple_entry: bool,
            land_border_fee_usd: int | None, parole: bool) -> Row:
    """A Form I-94 (``i94_records``, 8 CFR 235.1(h)), not yet surrendered."""
    return {"number": number, "admission_class": admission_class, "port_code": port_code,
            "admitted_on": admitted_on, "admit_until": admit_until,
            "duration_of_status": duration_of_status, "multiple_entry": multiple_entry,
            "land_border_fee_usd": land_border_fee_usd, "parole": parole,
            "surrendered_on": None}


def violation_row(*, kind: str, occurred_on: date, description: str,
                  reasons: list[dict[str, Any]]) -> Row:
    """A failure to comply (``violations``), its willfulness not yet assessed (DHS
    guidance of 16 April 2012: only willful non-compliance has consequences)."""
    return {"kind": kind, "occurred_on": occurred_on, "description": description,
            "reasons": reasons, "willfulness": "unassessed", "assessment": None,
            "assessed_by": None, "assessed_on": None, "version": FIRST_VERSION}
