"""The evaluation contract's case, built from a command's facts in one place (issue 15).

An inspection, a departure and the console's previews of both ask the rules the same
question; they must ask it the same way, or the preview an officer sees differs from the
determination the registry records. Every case the services and the web pages hand to
:func:`nseers.rules.case.parse_case` is built here (the contract:
``shared/spec/evaluation-contract.md``). Dates may come as dates or as the ISO strings a
stored record holds; a value the parser would refuse is passed through, so that the
parser names it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from nseers.services.facts import DocumentFacts, Itinerary


class Registered(NamedTuple):
    """The special registration a departing person holds."""

    basis: str
    on: date | str
    fin: str | None


def arrival_case(on: date | str | None, port_code: str | None, *, claimed_status: str,
                 citizenships: Iterable[str], date_of_birth: date | str | None,
                 sex: str | None, residence: str | None, admission_class: str | None,
                 documents: Iterable[DocumentFacts], circumstances: Iterable[str],
                 itinerary: Itinerary, mode: str | None = None, state: str | None = None
                 ) -> dict[str, Any]:
    """The case of an arrival: the traveller, what they present and what they say."""
    return {
        "event": "arrival", "date": _day(on),
        "port": {"code": port_code, "mode": mode, "state": state},
        "traveler": {"claimed_status": claimed_status, "citizenships": list(citizenships),
                     "date_of_birth": _day(date_of_birth), "sex": sex,
                     "residence": residence},
        "admission_class": admission_class,
        "documents": [case_document(d) for d in documents],
        "circumstances": dict.fromkeys(circumstances, True),
        "itinerary": itinerary.case(),
    }


def departure_case(on: date | str | None, port_code: str | None, *,
                   citizenships: Iterable[str], date_of_birth: date | str | None,
                   sex: str | None, admission_class: str | None,
                   registration: Registered | None, reported_at_port: str | None,
                   reported_on: date | str | None, mode: str | None = None,
                   state: str | None = None) -> dict[str, Any]:
    """The case of a departure: the person's class of admission, any registration, and
    where and when they reported in person (8 CFR 264.1(f); 67 FR 61352)."""
    return {
        "event": "departure", "date": _day(on),
        "port": {"code": port_code, "mode": mode, "state": state},
        "traveler": {"claimed_status": "nonimmigrant", "citizenships": list(citizenships),
                     "date_of_birth": _day(date_of_birth), "sex": sex},
        "admission_class": admission_class,
        "registration": None if registration is None else {
            "basis": registration.basis, "date": _day(registration.on),
            "fin": registration.fin},
        "departure_report": None if reported_at_port is None else {
            "port_code": reported_at_port, "date": _day(reported_on)},
    }


def case_document(document: DocumentFacts) -> dict[str, Any]:
    """A presented document as the evaluation contract's case describes it."""
    out: dict[str, Any] = {"kind": document.kind}
    if document.issuer:
        out["issuer"] = document.issuer
    if document.admission_class:
        out["class"] = document.admission_class
    if document.passport_type:
        out["type"] = document.passport_type
    if document.expires_on:
        out["date_of_expiry"] = document.expires_on.isoformat()
    return out


def _day(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value
