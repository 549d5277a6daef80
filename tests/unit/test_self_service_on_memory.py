"""The traveller's own I-94 lookup on in-memory records (issue 15, fault 5): the three
details must match one person, a referred arrival is one entry, and refusals show their
grounds but never the officer's free text."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fakes.records import MemoryRecords, MemoryRegistry
from nseers.core.actors import Actor, Role
from nseers.core.errors import NotFoundError
from nseers.registry.people import name_key
from nseers.registry.repositories import (
    DocumentRecord,
    EncounterRecord,
    I94Entry,
    PersonRecord,
)
from nseers.rules.engine import Engine
from nseers.services.refusal_entries import UNCODED
from nseers.services.self_service import I94Lookup, lookup_i94

TRAVELLER = Actor("anonymous", Role.TRAVELLER)


def _encounter(encounter_id: int, kind: str, outcome: str, day: date, hour: int,
               reason: str | None = None) -> EncounterRecord:
    return EncounterRecord(encounter_id, 1, kind, outcome, "JFK", "air",
                           datetime(day.year, day.month, day.day, hour, tzinfo=UTC), day,
                           "B2", None, False, "officer", "test", {}, None, reason)


def _traveller() -> MemoryRecords:
    """Anne Müller: refused in 2009 (free text only), referred and admitted in 2010."""
    return MemoryRecords(
        persons=[PersonRecord(1, "MÜLLER", "Anne", None, None, None, date(1980, 2, 2), "F",
                              ("FRA",))],
        names=[(1, name_key("MÜLLER"), name_key("Anne"))],
        documents=[DocumentRecord(5, 1, "passport", "P7654321", "FRA", None, None, None)],
        encounters=[_encounter(1, "refusal", "refused", date(2009, 5, 1), 10, "no visa"),
                    _encounter(2, "arrival", "referred", date(2010, 4, 1), 10),
                    _encounter(3, "arrival", "admitted", date(2010, 4, 1), 11)],
        i94s=[I94Entry(9, "12345678901", 1, "B2", "JFK", date(2010, 4, 1),
                       date(2026, 12, 1), False, False, None, False, None)])


def test_the_traveller_finds_the_i94_with_any_case_and_accents(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_traveller())
    answer = lookup_i94(registry, TRAVELLER, I94Lookup("muller", "ANNE", date(1980, 2, 2),
                                                       " p7654321 "))
    assert (answer["status"], answer["days_remaining"]) == ("admitted", 7)
    assert answer["travel_history"] == [{"kind": "arrival", "date": "2010-04-01",
                                         "port": "JFK"}]
    assert answer["refusals"] == [{"date": "2009-05-01", "port": "JFK",
                                   "grounds": [UNCODED]}]
    assert "no visa" not in repr(answer)
    assert registry.trail[-1].detail["outcome"] == "found"


def test_a_wrong_detail_is_not_found_and_audited_as_no_match(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_traveller())
    with pytest.raises(NotFoundError):
        lookup_i94(registry, TRAVELLER, I94Lookup("MÜLLER", "Anne", date(1980, 2, 3),
                                                  "P7654321"))
    assert [(e.action, e.detail["outcome"]) for e in registry.trail] == [
        ("self_service.i94_lookup", "no_match")]
