"""The same facts store the same rows by either write path (issue 15).

A batch of movements writes plain dictionaries (``movements.ingest``); a refusal and a
call-in registration write ORM objects. Both take their columns from
``nseers.services.rows``; here the same person, document, encounter, registration and
violation go through each path and the stored rows are compared column by column, all
but the ids and the links between rows and what the two events legitimately differ in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Table, select

from integration.helpers import DEPARTURE, SECONDARY, at, departure
from nseers.db.base import Base
from nseers.services import rows as rows_module
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, SwornAnswers, ingest
from nseers.services.refusals import RefusalCommand, record_refusal
from nseers.services.registrants import CallInRegistrationCommand, register_call_in

#: A person as an officer types them: spaces around the names, a citizenship twice.
PERSON = PersonFacts(surname="  Khan ", given_names=" Imran  Ali ", surname_original="خان",
                     given_names_original="عمران علی", script="Arab",
                     date_of_birth=date(1975, 3, 3), sex="M",
                     citizenships=("PAK", "GBR", "PAK"))
ANSWERS = SwornAnswers("5 Elm St, Queens, NY", "student", itinerary="New York only",
                       employer_or_school="CUNY")
PHOTOGRAPH, FINGERPRINTS = "biometrics:test:photograph:1", "biometrics:test:fingerprints:1"


def passport(number: str) -> DocumentFacts:
    return DocumentFacts("passport", f" {number} ", "PAK", passport_type="regular",
                         expires_on=date(2008, 1, 31), is_machine_read=True)


def rows(registry: Registry, table: str, person_id: int,
         leave_out: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The person's rows of ``table``, without ids, links or the columns left out."""
    columns: Table = Base.metadata.tables[table]
    owner = columns.c.id if table == "persons" else columns.c.person_id
    ignored = {"id", *leave_out} | {c.name for c in columns.columns if c.foreign_keys}
    with registry.sessions() as session:
        found = [dict(row._mapping) for row in session.execute(
            select(columns).where(owner == person_id))]
    return sorted(({k: v for k, v in row.items() if k not in ignored} for row in found),
                  key=lambda row: (row.get("position", 0), repr(row)))


def test_a_call_in_registrant_and_a_port_of_entry_registrant_are_stored_alike(
        registry: Registry) -> None:
    late = register_call_in(registry, SECONDARY, CallInRegistrationCommand(
        person=PERSON, registered_on=date(2003, 6, 2), place="JFK", answers=ANSWERS,
        admission_class="F1", last_admitted_on=date(2002, 8, 20),
        documents=(passport("PK1111111"),), photograph_ref=PHOTOGRAPH,
        fingerprints_ref=FINGERPRINTS))
    assert late["timeliness"] == "late"
    [arrival] = ingest(registry, SECONDARY, [ArrivalInspection(
        port_code="JFK", occurred_at=at("2003-06-15"), person=PERSON,
        documents=(passport("PK2222222"),), admission_class="F1", duration_of_status=True,
        answers=ANSWERS, photograph_ref=PHOTOGRAPH, fingerprints_ref=FINGERPRINTS)])
    [left] = ingest(registry, DEPARTURE, [departure(arrival["fin"], "2003-06-20",
                                                    reported=False)])
    assert left["violation_id"] is not None
    orm, bulk = late["person_id"], arrival["person_id"]
    assert orm != bulk

    assert rows(registry, "persons", orm) == rows(registry, "persons", bulk) == [{
        "surname": "Khan", "given_names": "Imran  Ali", "surname_original": "خان",
        "given_names_original": "عمران علی", "script": "Arab",
        "date_of_birth": date(1975, 3, 3), "sex": "M",
        "created_at": rows(registry, "persons", orm)[0]["created_at"]}]
    names = rows(registry, "person_names", orm)
    assert names == rows(registry, "person_names", bulk)
    assert {(n["kind"], n["surname_key"], n["given_names_key"]) for n in names} == {
        ("primary", "KHAN", "IMRAN ALI"), ("original", "خان", "عمران علی")}
    assert rows(registry, "person_citizenships", orm) == \
        rows(registry, "person_citizenships", bulk) == [
        {"country": "PAK", "position": 0}, {"country": "GBR", "position": 1}]
    documents = rows(registry, "travel_documents", orm, leave_out=("number",))
    assert documents == rows(registry, "travel_documents", bulk, leave_out=("number",))
    assert documents == [{"kind": "passport", "issuing_state": "PAK", "admission_class": None,
                          "passport_type": "regular", "expires_on": date(2008, 1, 31),
                          "is_machine_read": True}]
    assert [d["number"] for d in rows(registry, "travel_documents", orm)] == ["PK1111111"]

    # A registration at a call-in and one at a port differ in their route, date, place,
    # grounds, group, timeliness and reasons; the registrant's own facts are stored alike.
    event = ("route", "registered_on", "call_in_group", "timeliness", "reasons", "grounds",
             "basis", "fin", "policy_version")
    assert rows(registry, "special_registrations", orm, leave_out=event) == \
        rows(registry, "special_registrations", bulk, leave_out=event) == [{
            "place": "JFK", "admission_class": "F1", "photograph_ref": PHOTOGRAPH,
            "fingerprints_ref": FINGERPRINTS, "us_address": ANSWERS.us_address,
            "purpose": ANSWERS.purpose, "itinerary": ANSWERS.itinerary,
            "employer_or_school": ANSWERS.employer_or_school, "officer": "s.officer",
            "created_at": rows(registry, "persons", orm)[0]["created_at"], "version": 1}]
    # A late call-in registration and an unreported departure are different violations,
    # both to be assessed (DHS guidance of 16 April 2012) and counted from version 1.
    violation = ("kind", "occurred_on", "description", "reasons")
    assert rows(registry, "violations", orm, leave_out=violation) == \
        rows(registry, "violations", bulk, leave_out=violation) == [{
            "willfulness": "unassessed", "assessment": None, "assessed_by": None,
            "assessed_on": None, "version": 1}]


def test_a_refusal_at_inspection_and_a_recorded_refusal_store_the_same_encounter(
        registry: Registry) -> None:
    visitor = PersonFacts(surname=" Müller", given_names="Anne Marie ",
                          date_of_birth=date(1980, 2, 2), sex="F", citizenships=("FRA",))
    # Ten at night in New York is the next day in UTC: the day is the port's own.
    occurred_at = at("2010-03-01", 22)
    [inspected] = ingest(registry, SECONDARY, [ArrivalInspection(
        port_code="IAD", occurred_at=occurred_at, person=visitor,
        documents=(DocumentFacts("passport", "P1111111", "FRA"),), decision="refuse",
        refusal_reason="no visa")])
    recorded = record_refusal(registry, SECONDARY, RefusalCommand(
        port_code="IAD", occurred_at=occurred_at, person=visitor,
        documents=(DocumentFacts("passport", "P2222222", "FRA"),),
        grounds=("nonimmigrant_documents",), procedure="expedited_removal",
        disposition="returned"))
    bulk, orm = inspected["person_id"], recorded["person_id"]
    assert bulk != orm
    for table in ("persons", "person_names", "person_citizenships"):
        assert rows(registry, table, orm) == rows(registry, table, bulk)
    decided = ("determinations", "refusal_reason")
    assert rows(registry, "encounters", orm, leave_out=decided) == \
        rows(registry, "encounters", bulk, leave_out=decided) == [{
            "kind": "refusal", "outcome": "refused", "port_code": "IAD",
            "mode": rows(registry, "encounters", bulk)[0]["mode"],
            "occurred_at": occurred_at, "occurred_on": date(2010, 3, 1),
            "officer": "s.officer", "admission_class": None, "admit_until": None,
            "duration_of_status": False,
            "policy_version": rows(registry, "encounters", bulk)[0]["policy_version"]}]



def test_a_derived_value_changed_in_the_row_builder_reaches_both_paths(
        registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """One place: a search key folded differently in ``rows`` is stored by the batch
    writer and by the ORM path alike (before, each path called ``name_key`` itself)."""
    folded = rows_module.name_key
    monkeypatch.setattr(rows_module, "name_key", lambda text: "~" + folded(text))
    visitor = PersonFacts(surname="Müller", given_names="Anne", citizenships=("FRA",))
    [inspected] = ingest(registry, SECONDARY, [ArrivalInspection(
        port_code="IAD", occurred_at=at("2010-03-01"), person=visitor,
        documents=(DocumentFacts("passport", "P1111111", "FRA"),), decision="refuse",
        refusal_reason="no visa")])
    recorded = record_refusal(registry, SECONDARY, RefusalCommand(
        port_code="IAD", occurred_at=at("2010-03-01"), person=visitor,
        documents=(DocumentFacts("passport", "P2222222", "FRA"),),
        grounds=("nonimmigrant_documents",), procedure="expedited_removal",
        disposition="returned"))
    for person_id in (inspected["person_id"], recorded["person_id"]):
        assert [(n["surname_key"], n["given_names_key"])
                for n in rows(registry, "person_names", person_id)] == [("~MULLER", "~ANNE")]
