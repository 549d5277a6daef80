"""Identity merge and split (issue 13), on SQLite and PostgreSQL.

Two registrants who are one man (registered in 2003 and again in 2004 under a new passport
and a changed spelling) are merged after a second analyst's review; every row naming the
second record follows, the identity keeps one FIN, and the merge can be undone by a split.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine as DatabaseEngine

from integration.conftest import NOW
from integration.helpers import COMPLIANCE, DEPARTURE, SECONDARY, at, departure, iranian
from nseers.core.actors import Actor, Role
from nseers.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    SecondReviewerRequiredError,
)
from nseers.db.audit import AuditEntry
from nseers.db.base import Base
from nseers.db.migrate import alembic_config, current_revision, head_revision, upgrade
from nseers.registry.encounters import Encounter
from nseers.registry.i94 import I94Record
from nseers.registry.identities import FinAlias
from nseers.registry.people import Person
from nseers.registry.registrations import Interview, Obligation, SpecialRegistration
from nseers.registry.retention import LegalHold
from nseers.registry.traveller_days import TravellerContact
from nseers.services.context import Registry
from nseers.services.erasure import erase_person
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.identities import (
    MergeDecision,
    MergeRequest,
    Split,
    approve_merge,
    holdings,
    pending_merges,
    person_tables,
    reject_merge,
    request_merge,
    split,
)
from nseers.services.movements import inspect_arrival, record_departure
from nseers.services.people import search_persons, show_person
from nseers.services.registrants import InterviewCommand, notice_offers, record_interview

REQUESTER = Actor("a.first", Role.ANALYST)
REVIEWER = Actor("a.second", Role.ANALYST)


def _two_records_of_one_man(registry: Registry) -> tuple[dict[str, Any], dict[str, Any]]:
    first = inspect_arrival(registry, SECONDARY, iranian("X1111111"))
    record_departure(registry, DEPARTURE,
                     departure(first["fin"], "2003-11-01"))
    again = replace(iranian("Y2222222"), occurred_at=at("2004-03-01"),
                    admit_until=date(2004, 8, 31),
                    person=replace(iranian().person, surname="AHMADY", given_names="REZA"),
                    documents=(DocumentFacts("passport", "Y2222222", "IRN"),
                               DocumentFacts("visa", "87654321", "USA", "B2")))
    second = inspect_arrival(registry, SECONDARY, again)
    assert first["person_id"] != second["person_id"]
    assert first["fin"] != second["fin"]
    with registry.sessions() as session:
        for answer in (first, second):
            answer["registration_id"] = session.execute(select(SpecialRegistration.id).where(
                SpecialRegistration.encounter_id == answer["encounter_id"])).scalar_one()
    return first, second


def _held(registry: Registry, person_id: int) -> dict[str, list[Any]]:
    with registry.sessions() as session:
        return holdings(session, person_id)


def _merge(registry: Registry, survivor: int, absorbed: int) -> dict[str, Any]:
    pending = request_merge(registry, REQUESTER, MergeRequest(
        survivor, absorbed, evidence="face distance 0.31 at enrolment, same date of birth",
        reason="one man registered twice"))
    return approve_merge(registry, REVIEWER, MergeDecision(pending["request_id"], "agreed"))


def test_an_approved_merge_moves_every_row_and_keeps_the_earliest_fin(
        registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    survivor, absorbed = first["person_id"], second["person_id"]
    before_survivor, before_absorbed = _held(registry, survivor), _held(registry, absorbed)
    assert {"encounters", "travel_documents", "special_registrations", "obligations",
            "i94_records", "person_names"} <= set(before_absorbed)

    merged = _merge(registry, survivor, absorbed)

    assert merged["status"] == "approved"
    assert merged["decided_by"] == "a.second"
    assert _held(registry, absorbed) == {}
    after = _held(registry, survivor)
    for table, ids in before_absorbed.items():
        if table == "person_citizenships":  # both were Iranian: one citizenship kept
            continue
        assert set(map(str, ids)) <= set(map(str, after[table])), table
    for table, ids in before_survivor.items():
        assert set(map(str, ids)) <= set(map(str, after[table])), table
    assert merged["moved"]["rows"]["encounters"] == before_absorbed["encounters"]
    assert merged["moved"]["fin"] == {"kept": first["fin"], "retired": [second["fin"]]}
    with registry.sessions() as session:
        fins = set(session.execute(select(SpecialRegistration.fin).where(
            SpecialRegistration.person_id == survivor)).scalars())
        assert fins == {first["fin"]}
        assert session.get_one(Person, absorbed).merged_into == survivor
        assert session.execute(select(Obligation.person_id).distinct().where(
            Obligation.registration_id == second["registration_id"])).scalars().all() \
            == [survivor]
    shown = show_person(registry, SECONDARY, absorbed)
    assert shown["id"] == survivor
    assert shown["merged_from"] == absorbed
    assert {d["number"] for d in shown["documents"]} >= {"X1111111", "Y2222222"}


def test_the_requester_cannot_approve_their_own_merge(registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    pending = request_merge(registry, REQUESTER, MergeRequest(
        first["person_id"], second["person_id"], "same face", "one man"))
    with pytest.raises(SecondReviewerRequiredError, match="a second user must review it"):
        approve_merge(registry, REQUESTER, MergeDecision(pending["request_id"]))
    with pytest.raises(ForbiddenError):
        approve_merge(registry, SECONDARY, MergeDecision(pending["request_id"]))
    assert _held(registry, second["person_id"])["encounters"]  # nothing moved
    listed = pending_merges(registry, REVIEWER)
    assert [m["request_id"] for m in listed] == [pending["request_id"]]
    assert listed[0]["absorbed"]["fins"] == [second["fin"]]
    assert listed[0]["survivor"]["documents"][0]["number"] in {"X1111111", "12345678"}
    rejected = reject_merge(registry, REVIEWER, MergeDecision(pending["request_id"],
                                                              "different fathers' names"))
    assert rejected["status"] == "rejected"
    with pytest.raises(ConflictError) as twice:
        approve_merge(registry, REVIEWER, MergeDecision(pending["request_id"]))
    assert twice.value.code == "already_decided"
    assert pending_merges(registry, REVIEWER) == []


def test_a_merge_needs_evidence_and_two_live_records(registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    with pytest.raises(InvalidInputError, match="evidence"):
        request_merge(registry, REQUESTER, MergeRequest(
            first["person_id"], second["person_id"], " ", "one man"))
    with pytest.raises(InvalidInputError, match="absorbed_id"):
        request_merge(registry, REQUESTER, MergeRequest(
            first["person_id"], first["person_id"], "same", "one man"))
    _merge(registry, first["person_id"], second["person_id"])
    with pytest.raises(ConflictError) as again:
        request_merge(registry, REQUESTER, MergeRequest(
            first["person_id"], second["person_id"], "same", "one man"))
    assert again.value.code == "already_merged"


def test_a_merged_identity_split_again_takes_what_hangs_off_its_encounters(
        registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    survivor = first["person_id"]
    before_absorbed = _held(registry, second["person_id"])
    _merge(registry, survivor, second["person_id"])

    with registry.sessions() as session:
        arrival = session.execute(select(Encounter.id).where(
            Encounter.person_id == survivor, Encounter.occurred_on == date(2004, 3, 1))
        ).scalar_one()
    done = split(registry, REQUESTER, Split(
        survivor, PersonFacts(surname="AHMADY", given_names="REZA",
                              date_of_birth=date(1970, 5, 1), sex="M", citizenships=("IRN",)),
        reason="the 2004 traveller is his brother", encounter_ids=(arrival,),
        document_ids=tuple(before_absorbed["travel_documents"])))

    new = done["new_person_id"]
    held = _held(registry, new)
    for table in ("encounters", "travel_documents", "special_registrations", "obligations",
                  "i94_records"):
        assert sorted(held[table]) == sorted(before_absorbed[table]), table
    assert second["registration_id"] in held["special_registrations"]
    # The split takes back exactly the registrations that carried the FIN the merge
    # retired: that FIN is his again, and no longer an alias of the survivor's.
    assert done["fin"]["issued"] is None
    assert done["fin"]["handed_back"] == second["fin"]
    with registry.sessions() as session:
        assert set(session.execute(select(SpecialRegistration.fin).where(
            SpecialRegistration.person_id == new)).scalars()) == {second["fin"]}
        assert session.get(FinAlias, second["fin"]) is None
    with registry.sessions() as session:
        assert session.get_one(I94Record, held["i94_records"][0]).person_id == new

    # ...and merging them back gives the survivor every row again.
    _merge(registry, survivor, new)
    assert _held(registry, new) == {}
    assert set(before_absorbed["encounters"]) <= set(_held(registry, survivor)["encounters"])


def test_a_split_refuses_an_encounter_of_another_person_or_a_document_left_behind(
        registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    facts = PersonFacts(surname="OTHER", given_names="ONE")
    with pytest.raises(InvalidInputError, match="encounter_ids"):
        split(registry, REQUESTER, Split(first["person_id"], facts, "wrong",
                                         encounter_ids=(second["encounter_id"],)))
    held = _held(registry, first["person_id"])
    with registry.sessions() as session:
        arrival = session.get_one(Encounter, first["encounter_id"])
        document = arrival.document_id
    assert document is not None
    with pytest.raises(InvalidInputError, match="document that moves"):
        split(registry, REQUESTER, Split(first["person_id"], facts, "passport sold",
                                         document_ids=(document,)))
    assert _held(registry, first["person_id"]) == held


def test_merge_and_split_are_audited_with_before_and_after(registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    absorbed_encounters = _held(registry, second["person_id"])["encounters"]
    merged = _merge(registry, first["person_id"], second["person_id"])
    with registry.sessions() as session:
        entries = {e.action: e for e in session.execute(select(AuditEntry).where(
            AuditEntry.action.like("identity.%"))).scalars()}
    assert set(entries) == {"identity.merge.request", "identity.merge"}
    merge = entries["identity.merge"]
    assert merge.actor == "a.second"
    assert merge.subject == f"identity_merges:{merged['request_id']}"
    assert merge.detail["requested_by"] == "a.first"
    assert merge.detail["before"]["absorbed"]["rows"]["encounters"] == absorbed_encounters
    assert merge.detail["after"]["absorbed"]["rows"] == {}
    assert set(absorbed_encounters) <= set(merge.detail["after"]["survivor"]["rows"]
                                           ["encounters"])
    assert merge.detail["moved"]["fin"]["retired"] == [second["fin"]]


def test_erasing_a_merged_identity_erases_the_record_folded_into_it(registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    _merge(registry, first["person_id"], second["person_id"])
    with registry.sessions() as session, session.begin():
        erased = erase_person(session, first["person_id"])
    assert erased["persons"] == 2
    assert erased["identity_merges"] == 1
    with registry.sessions() as session:
        assert session.get(Person, second["person_id"]) is None


def test_every_column_naming_a_person_is_followed_by_a_merge() -> None:
    followed = {(table.name, column) for table, column in person_tables()}
    named = {(table.name, column.name) for table in Base.metadata.sorted_tables
             for column in table.c if column.name.endswith("person_id")}
    # The audit trail names persons but is never rewritten (the database refuses it).
    assert named - followed == {("audit_entries", "person_id")}


def test_a_merge_keeps_the_survivors_contact_and_moves_the_other_records(
        registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    survivor, absorbed = first["person_id"], second["person_id"]
    with registry.sessions() as session, session.begin():
        for person, email in ((survivor, "reza@example.org"), (absorbed, "r@example.net")):
            session.add(TravellerContact(person_id=person, email=email,
                                         captured_on_form="inspection", captured_at=NOW,
                                         captured_by="s.officer"))
        session.add(LegalHold(person_id=absorbed, reason="litigation", reference="26-cv-1",
                              placed_by="director", placed_at=NOW))
    merged = _merge(registry, survivor, absorbed)
    assert merged["moved"]["dropped"]["traveller_contacts"] == [absorbed]
    assert len(merged["moved"]["rows"]["legal_holds"]) == 1
    with registry.sessions() as session:
        assert session.get_one(TravellerContact, survivor).email == "reza@example.org"
        assert session.get(TravellerContact, absorbed) is None
        assert session.execute(select(LegalHold.person_id)).scalars().all() == [survivor]


def test_a_departure_under_the_retired_fin_lands_on_the_survivor(registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    survivor = first["person_id"]
    _merge(registry, survivor, second["person_id"])

    left = record_departure(registry, DEPARTURE, departure(second["fin"], "2004-08-01"))

    assert left["person_id"] == survivor
    assert left["compliance"] == "compliant"
    with registry.sessions() as session:
        alias = session.get_one(FinAlias, second["fin"])
        assert (alias.fin, alias.person_id) == (first["fin"], survivor)
        assert alias.registration_ids == [second["registration_id"]]
        assert session.get_one(Encounter, left["encounter_id"]).person_id == survivor


def test_an_interview_and_a_search_by_the_retired_fin_find_the_survivor(
        registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    survivor = first["person_id"]
    _merge(registry, survivor, second["person_id"])

    interview = record_interview(registry, COMPLIANCE, InterviewCommand(
        fin=second["fin"], kind="thirty_day_report", held_on=date(2004, 4, 1), place="JFK"))

    with registry.sessions() as session:
        held = session.get_one(Interview, interview["interview_id"])
        assert session.get_one(SpecialRegistration, held.registration_id).person_id == survivor
    found = search_persons(registry, SECONDARY, fin=f"{second['fin'][:3]}-{second['fin'][3:]}")
    assert [p["id"] for p in found] == [survivor]
    offers = notice_offers(registry, COMPLIANCE, [second["fin"], first["fin"]],
                           date(2004, 5, 1))
    assert offers[second["fin"]] == offers[first["fin"]]


def test_a_merge_into_a_merged_identity_re_points_the_older_alias(registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    third = inspect_arrival(registry, SECONDARY, replace(
        iranian("Z3333333"), occurred_at=at("2002-12-01"), admit_until=date(2003, 5, 31),
        documents=(DocumentFacts("passport", "Z3333333", "IRN"),
                   DocumentFacts("visa", "11112222", "USA", "B2"))))
    _merge(registry, first["person_id"], second["person_id"])
    # The third record registered earliest: its FIN is kept, the survivor's is retired.
    merged = _merge(registry, first["person_id"], third["person_id"])

    assert merged["moved"]["fin"]["kept"] == third["fin"]
    with registry.sessions() as session:
        aliases = {a.retired_fin: a.fin for a in session.execute(select(FinAlias)).scalars()}
    assert aliases == {first["fin"]: third["fin"], second["fin"]: third["fin"]}
    left = record_departure(registry, DEPARTURE, departure(second["fin"], "2004-08-01"))
    assert left["person_id"] == first["person_id"]


def test_the_fin_alias_migration_downgrades_and_upgrades_again(
        database: DatabaseEngine) -> None:
    config = alembic_config()
    with database.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013_issue13_identity_merges")
    assert "fin_aliases" not in inspect(database).get_table_names()
    assert current_revision(database) == "0013_issue13_identity_merges"
    upgrade(database)
    assert "fin_aliases" in inspect(database).get_table_names()
    assert current_revision(database) == head_revision()


def test_a_split_gives_the_survivor_back_its_own_fin_when_the_merge_retired_it(
        registry: Registry) -> None:
    first, second = _two_records_of_one_man(registry)
    earlier = _held(registry, first["person_id"])
    # The 2004 record is kept, but the 2003 record registered first: its FIN is kept and
    # the survivor's own FIN retired.
    merged = _merge(registry, second["person_id"], first["person_id"])
    assert merged["moved"]["fin"] == {"kept": first["fin"], "retired": [second["fin"]]}

    done = split(registry, REQUESTER, Split(
        second["person_id"], PersonFacts(surname="AHMADI", given_names="REZA",
                                         date_of_birth=date(1970, 5, 1), sex="M"),
        reason="the 2003 traveller is another man", encounter_ids=tuple(earlier["encounters"]),
        document_ids=tuple(earlier["travel_documents"])))

    assert done["fin"]["handed_back"] == second["fin"]
    assert done["fin"]["to"] == "source"
    with registry.sessions() as session:
        fins = {person: set(session.execute(select(SpecialRegistration.fin).where(
            SpecialRegistration.person_id == person)).scalars())
            for person in (second["person_id"], done["new_person_id"])}
        assert session.execute(select(FinAlias)).scalars().all() == []
    assert fins == {second["person_id"]: {second["fin"]}, done["new_person_id"]: {first["fin"]}}
    left = record_departure(registry, DEPARTURE, departure(second["fin"], "2004-08-01"))
    assert left["person_id"] == second["person_id"]
