"""Referrals to secondary (issue 15): the queue, the facts by reference, and one arrival in
the traveller's own history however many stages the inspection had."""

from __future__ import annotations

from datetime import date

import pytest

from integration.helpers import PRIMARY, SECONDARY, at, audit_actions, iranian
from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError, ForbiddenError, NotFoundError
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts
from nseers.services.movements import ArrivalInspection, inspect_arrival
from nseers.services.referrals import pending_referrals, referral_facts
from nseers.services.self_service import I94Lookup, lookup_i94

TRAVELLER = Actor("anonymous", Role.TRAVELLER)


def registrant(number: str, **changes: object) -> ArrivalInspection:
    """A registrant with a passport and a visa of their own."""
    return iranian(number, documents=(DocumentFacts("passport", number, "IRN"),
                                      DocumentFacts("visa", f"V{number}", "USA", "B2")),
                   **changes)


def _refer(registry: Registry, number: str = "X7000001") -> int:
    command = registrant(number, decision="refer", answers=None)
    return int(inspect_arrival(registry, PRIMARY, command)["encounter_id"])


def test_a_referral_waits_in_the_queue_until_secondary_answers_it(registry: Registry) -> None:
    encounter = _refer(registry)
    queue = pending_referrals(registry, SECONDARY)
    assert [(r["encounter_id"], r["surname"], r["port_code"]) for r in queue] == [
        (encounter, "AHMADI", "JFK")]
    facts = referral_facts(registry, SECONDARY, encounter)
    assert facts["person"]["surname"] == "AHMADI"
    assert facts["person"]["citizenships"] == ["IRN"]
    assert facts["documents"][0] == {"kind": "passport", "number": "X7000001",
                                     "issuer": "IRN", "admission_class": None,
                                     "passport_type": None, "expires_on": None}
    assert {"referral.queue_read", "referral.read"} <= set(audit_actions(registry))
    inspect_arrival(registry, SECONDARY, registrant("X7000001", occurred_at=at("2003-06-15", 11)))
    assert pending_referrals(registry, SECONDARY) == []
    with pytest.raises(ConflictError):
        referral_facts(registry, SECONDARY, encounter)


def test_only_a_referred_arrival_is_a_referral_and_only_secondary_reads_it(
        registry: Registry) -> None:
    admitted = inspect_arrival(registry, SECONDARY, registrant("X7000002"))["encounter_id"]
    with pytest.raises(NotFoundError):
        referral_facts(registry, SECONDARY, int(admitted))
    encounter = _refer(registry, "X7000003")
    with pytest.raises(ForbiddenError):
        referral_facts(registry, PRIMARY, encounter)
    assert [r["encounter_id"] for r in pending_referrals(registry, SECONDARY,
                                                         port_code="jfk")] == [encounter]
    assert pending_referrals(registry, SECONDARY, port_code="IAD") == []


def test_the_traveller_s_history_lists_a_referred_arrival_once(registry: Registry) -> None:
    _refer(registry, "X7000004")
    inspect_arrival(registry, SECONDARY, registrant("X7000004", occurred_at=at("2003-06-15", 11)))
    history = lookup_i94(registry, TRAVELLER, I94Lookup("Ahmadi", "Reza", date(1970, 5, 1),
                                                         "X7000004"))["travel_history"]
    assert history == [{"kind": "arrival", "date": "2003-06-15", "port": "JFK"}]
