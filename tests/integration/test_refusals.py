"""Refusal of entry (issue 17): a record of its own, checked against the law of its day, seen
again at a later arrival, in the timeline, the statistics and the traveller's history."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from integration.helpers import (
    ANALYST,
    COMPLIANCE,
    DIRECTOR,
    PRIMARY,
    SECONDARY,
    at,
    audit_actions,
    count,
    visitor,
)
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError, InvalidInputError, NotFoundError
from nseers.demo.loader import load
from nseers.demo.population import generate
from nseers.registry.encounters import Encounter
from nseers.registry.people import Person
from nseers.registry.refusals import Refusal, RefusalGround
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ingest, inspect_arrival
from nseers.services.refusals import RefusalCommand, record_refusal, show_refusal
from nseers.services.reports import timeline
from nseers.services.self_service import I94Lookup, lookup_i94
from nseers.services.statistics import movements_by_port_and_day, refusals_by_ground_and_port

TRAVELLER = Actor("anonymous", Role.TRAVELLER)


def refusal(number: str = "P7654321", **changes: Any) -> RefusalCommand:
    """The French visitor of ``visitor()`` refused at IAD for a visa she does not hold."""
    command = RefusalCommand(
        port_code="IAD", occurred_at=at("2010-03-01"),
        person=PersonFacts(surname="MÜLLER", given_names="Anne", date_of_birth=date(1980, 2, 2),
                           sex="F", citizenships=("FRA",)),
        documents=(DocumentFacts("passport", number, "FRA"),),
        grounds=("nonimmigrant_documents",), procedure="expedited_removal",
        disposition="returned", narrative="No visa; VWP authorisation refused.")
    return replace(command, **changes)


def problems_of(error: pytest.ExceptionInfo[InvalidInputError]) -> dict[str, str]:
    return {p.path: p.message for p in error.value.problems}


def test_a_refusal_is_recorded_with_its_grounds_encounter_and_cited_explanation(
        registry: Registry) -> None:
    answer = record_refusal(registry, SECONDARY, refusal(
        grounds=("nonimmigrant_documents", "fraud_or_misrepresentation")))
    assert answer["grounds"][0]["citation"].startswith("INA 212(a)(7)(B)(i)")
    assert [g["code"] for g in answer["grounds"]] == ["nonimmigrant_documents",
                                                       "fraud_or_misrepresentation"]
    assert answer["procedure"]["code"] == "expedited_removal"
    assert answer["officer"] == "s.officer"
    rules = [r["rule"] for r in answer["reasons"]]
    assert rules == ["refusal.ground", "refusal.ground", "refusal.procedure",
                     "refusal.expedited_removal_grounds_only", "refusal.disposition"]
    assert all(r["effective"] == "1997-04-01" for r in answer["reasons"])
    assert answer["prior_refusals"] == []
    with registry.sessions() as session:
        stored = session.get(Refusal, answer["refusal_id"])
        assert stored is not None
        encounter = session.get(Encounter, stored.encounter_id)
        assert encounter is not None
        assert (encounter.kind, encounter.outcome, encounter.port_code) == (
            "refusal", "refused", "IAD")
        assert [g.ground for g in stored.grounds] == ["nonimmigrant_documents",
                                                     "fraud_or_misrepresentation"]
    assert audit_actions(registry)[-1] == "refusal.record"
    shown = show_refusal(registry, PRIMARY, answer["refusal_id"])
    assert shown["narrative"] == "No visa; VWP authorisation refused."
    assert audit_actions(registry)[-1] == "refusal.read"


def test_expedited_removal_on_a_ground_other_than_fraud_or_documents_is_refused(
        registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as raised:
        record_refusal(registry, SECONDARY, refusal(
            grounds=("nonimmigrant_documents", "criminal")))
    problems = problems_of(raised)
    assert set(problems) == {"grounds[1]"}
    assert "235(b)(1)(A)(i)" in problems["grounds[1]"]
    # The same grounds in removal proceedings are what the law provides.
    answer = record_refusal(registry, SECONDARY, refusal(
        grounds=("nonimmigrant_documents", "criminal"), procedure="notice_to_appear",
        disposition="detained"))
    assert answer["procedure"]["code"] == "notice_to_appear"


def test_a_credible_fear_referral_follows_only_expedited_removal(registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as raised:
        record_refusal(registry, SECONDARY, refusal(procedure="withdrawal",
                                                    disposition="credible_fear_referral"))
    assert "8 CFR 235.4" in problems_of(raised)["disposition"]
    answer = record_refusal(registry, SECONDARY, refusal(disposition="credible_fear_referral"))
    assert answer["disposition"]["citation"].endswith("8 CFR 235.3(b)(4)")


def test_bad_codes_name_their_fields_and_leave_no_partial_record(registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as raised:
        record_refusal(registry, SECONDARY, refusal(
            grounds=("no_such_ground", "nonimmigrant_documents", "nonimmigrant_documents"),
            procedure="deportation", disposition="", port_code=" ", narrative="n" * 4001))
    problems = problems_of(raised)
    assert set(problems) == {"grounds[0]", "grounds[2]", "procedure", "disposition",
                             "port_code", "narrative"}
    assert "not a ground in force on 2010-03-01" in problems["grounds[0]"]
    assert count(registry, Refusal) == count(registry, Person) == 0
    assert count(registry, Encounter) == 0


def test_before_the_coded_grounds_took_effect_there_is_nothing_to_refuse_on(
        registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as raised:
        record_refusal(registry, SECONDARY, refusal(occurred_at=at("1996-05-01")))
    assert "no grounds of refusal are in force on 1996-05-01" in problems_of(raised)[
        "grounds[0]"]


def test_only_a_secondary_officer_records_a_refusal(registry: Registry) -> None:
    for actor in (PRIMARY, COMPLIANCE, DIRECTOR, ANALYST):
        with pytest.raises(ForbiddenError):
            record_refusal(registry, actor, refusal())
    with pytest.raises(ForbiddenError):
        show_refusal(registry, ANALYST, 1)
    with pytest.raises(NotFoundError):
        show_refusal(registry, PRIMARY, 999)


def test_a_retried_refusal_is_recorded_once(registry: Registry) -> None:
    first = record_refusal(registry, SECONDARY, refusal(idempotency_key="k-1"))
    again = record_refusal(registry, SECONDARY, refusal(idempotency_key="k-1"))
    assert again["replayed"] is True
    assert again["refusal_id"] == first["refusal_id"]
    assert count(registry, Refusal) == 1
    assert count(registry, RefusalGround) == 1


def test_a_later_arrival_of_the_same_passport_shows_the_prior_refusal(
        registry: Registry) -> None:
    refused = record_refusal(registry, SECONDARY, refusal())
    arrival = inspect_arrival(registry, PRIMARY, visitor())
    assert arrival["person_id"] == refused["person_id"]
    warning = arrival["prior_refusals"]
    assert warning["count"] == 1
    shown = warning["refusals"][0]
    assert (shown["date"], shown["port"], shown["refusal_id"]) == (
        "2010-03-01", "IAD", refused["refusal_id"])
    assert shown["grounds"][0]["code"] == "nonimmigrant_documents"
    assert warning["reason"]["rule"] == "refusal.prior_refusal"
    assert "refusal.prior_shown" in audit_actions(registry)
    # A second refusal of the same person lists the first one.
    second = record_refusal(registry, SECONDARY, refusal(
        occurred_at=at("2011-01-05"), procedure="withdrawal",
        disposition="withdrawn_and_returned"))
    assert [r["refusal_id"] for r in second["prior_refusals"]] == [refused["refusal_id"]]


def test_someone_never_refused_is_shown_no_warning(registry: Registry) -> None:
    record_refusal(registry, SECONDARY, refusal(number="OTHER1"))
    arrival = inspect_arrival(registry, PRIMARY, visitor())
    assert arrival["prior_refusals"] is None


def test_the_refusal_is_in_the_timeline_the_statistics_and_the_travellers_history(
        registry: Registry) -> None:
    refused = record_refusal(registry, SECONDARY, refusal(
        grounds=("nonimmigrant_documents", "fraud_or_misrepresentation")))
    record_refusal(registry, SECONDARY, refusal(number="Z1", person=PersonFacts(
        surname="ROSSI", given_names="LUCA", date_of_birth=date(1975, 1, 1),
        citizenships=("ITA",)), occurred_at=at("2010-03-02")))
    inspect_arrival(registry, PRIMARY, visitor(admit_until=date(2030, 1, 1)))
    events = timeline(registry, PRIMARY, refused["person_id"])["events"]
    kinds = [(e["type"], e.get("kind")) for e in events]
    assert kinds[:2] == [("encounter", "refusal"), ("refusal", None)]
    assert events[1]["grounds"] == ["nonimmigrant_documents", "fraud_or_misrepresentation"]
    table = refusals_by_ground_and_port(registry, ANALYST, date(2010, 1, 1),
                                        date(2010, 12, 31))
    assert table == [
        {"ground": "fraud_or_misrepresentation", "port": "IAD", "refusals": 1},
        {"ground": "nonimmigrant_documents", "port": "IAD", "refusals": 2}]
    # Any period may be asked (the answer is a row per ground and port), none reversed.
    assert refusals_by_ground_and_port(registry, ANALYST, date(2002, 1, 1),
                                       date(2026, 12, 31)) == table
    assert refusals_by_ground_and_port(registry, ANALYST, date(2010, 3, 2),
                                       date(2010, 12, 31))[0]["refusals"] == 1
    with pytest.raises(InvalidInputError):
        refusals_by_ground_and_port(registry, ANALYST, date(2011, 1, 1), date(2010, 1, 1))
    assert sum(row["refusals"] for row in movements_by_port_and_day(
        registry, ANALYST, date(2010, 3, 1), date(2010, 3, 2))) == 2
    history = lookup_i94(registry, TRAVELLER, I94Lookup("Müller", "Anne", date(1980, 2, 2),
                                                        "P7654321"))
    assert history["refusals"] == [{"date": "2010-03-01", "port": "IAD", "grounds": [
        {"title": g["title"], "citation": g["citation"]} for g in refused["grounds"]]}]
    assert "s.officer" not in repr(history)


def test_the_demonstration_population_has_refusals_and_reloading_adds_none(
        registry: Registry) -> None:
    travellers = generate(100, 7)
    report = load(registry, travellers, seed=7)
    assert report.refused_entry >= 2
    assert count(registry, Refusal) == report.refused_entry
    again = load(registry, generate(100, 7), seed=7)
    assert again.refused_entry == report.refused_entry  # replayed, not recorded twice
    assert count(registry, Refusal) == report.refused_entry
    with registry.sessions() as session:
        refused = session.execute(select(Refusal)).scalars().first()
        assert refused is not None
        arrivals = session.execute(select(Encounter).where(
            Encounter.person_id == refused.person_id, Encounter.kind == "arrival")).scalars()
        assert all(a.occurred_at > refused.occurred_at for a in arrivals)
    events = timeline(registry, PRIMARY, refused.person_id)["events"]
    assert events[0]["kind"] == "refusal"


def test_an_inspection_refusal_is_a_prior_refusal_but_its_free_text_is_hidden_from_travellers(
        registry: Registry) -> None:
    inspect_arrival(registry, SECONDARY, visitor(
        occurred_at=at("2010-02-01"), decision="refuse", admit_until=None,
        refusal_reason="officer's note: suspected intent to work"))
    arrival = inspect_arrival(registry, PRIMARY, visitor())
    shown = arrival["prior_refusals"]["refusals"]
    assert [(r["date"], r["refusal_id"]) for r in shown] == [("2010-02-01", None)]
    assert shown[0]["grounds"][0]["title"] == "officer's note: suspected intent to work"
    history = lookup_i94(registry, TRAVELLER, I94Lookup("Müller", "Anne", date(1980, 2, 2),
                                                        "P7654321"))
    assert history["refusals"][0]["date"] == "2010-02-01"
    assert "officer's note" not in repr(history)
    assert history["refusals"][0]["grounds"][0]["citation"] is None


def test_a_person_refused_earlier_in_the_same_batch_is_shown_that_refusal(
        registry: Registry) -> None:
    # The batch creates the person: her refusal exists only among the batch's own rows.
    refused, arrival = ingest(registry, SECONDARY, [
        visitor(occurred_at=at("2010-02-01"), decision="refuse", admit_until=None,
                refusal_reason="no visa"),
        visitor()])
    shown = arrival["prior_refusals"]["refusals"]
    assert [r["encounter_id"] for r in shown] == [refused["encounter_id"]]
    assert refused["prior_refusals"] is None
