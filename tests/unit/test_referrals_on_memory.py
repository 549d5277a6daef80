"""The secondary officer's referral queue and the facts of one referral, on in-memory
records (issue 15, fault 5): answered referrals leave the queue, with no database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fakes.records import MemoryRecords, MemoryRegistry
from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError, ForbiddenError, NotFoundError
from nseers.registry.repositories import DocumentRecord, EncounterRecord, PersonRecord
from nseers.rules.engine import Engine
from nseers.services.referrals import pending_referrals, referral_facts

SECONDARY = Actor("s.officer", Role.SECONDARY_OFFICER)
PRIMARY = Actor("p.officer", Role.PRIMARY_OFFICER)


def _encounter(encounter_id: int, person_id: int, hour: int, outcome: str = "referred",
               port: str = "JFK", document_id: int | None = None) -> EncounterRecord:
    return EncounterRecord(encounter_id, person_id, "arrival", outcome, port, "air",
                           datetime(2003, 6, 15, hour, tzinfo=UTC), date(2003, 6, 15), "B2",
                           date(2003, 12, 14), False, "p.officer", "test", {}, document_id,
                           None)


def _referrals() -> MemoryRecords:
    """Person 1 referred at 9 and admitted in secondary at 11; person 2 referred at 10
    with a visa and a passport, the passport presented."""
    return MemoryRecords(
        persons=[PersonRecord(1, "AHMADI", "REZA", None, None, None, None, "M", ("IRN",)),
                 PersonRecord(2, "KARIMI", "ALI", None, None, None, date(1980, 1, 2), "M",
                              ("IRN", "CAN"))],
        encounters=[_encounter(11, 1, 9), _encounter(12, 1, 11, outcome="admitted"),
                    _encounter(13, 2, 10, port="IAD", document_id=22)],
        documents=[DocumentRecord(21, 2, "visa", "V1", "USA", "B2", None, None),
                   DocumentRecord(22, 2, "passport", "P2", "IRN", None, None,
                                  date(2008, 1, 1))])


def test_only_the_unanswered_referral_waits_and_its_facts_put_the_presented_document_first(
        engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_referrals())
    assert [r["encounter_id"] for r in pending_referrals(registry, SECONDARY)] == [13]
    assert pending_referrals(registry, SECONDARY, port_code=" jfk ") == []
    facts = referral_facts(registry, SECONDARY, 13)
    assert facts["person"]["citizenships"] == ["IRN", "CAN"]
    assert [d["number"] for d in facts["documents"]] == ["P2", "V1"]
    assert registry.actions() == ["referral.queue_read", "referral.queue_read",
                                  "referral.read"]


def test_an_answered_referral_conflicts_and_an_admission_is_no_referral(
        engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_referrals())
    with pytest.raises(ConflictError):
        referral_facts(registry, SECONDARY, 11)
    with pytest.raises(NotFoundError):
        referral_facts(registry, SECONDARY, 12)
    with pytest.raises(ForbiddenError):
        referral_facts(registry, PRIMARY, 13)
    assert registry.actions() == []
