"""A person's timeline: every kind of record, oldest first, with an audit entry."""

from __future__ import annotations

from datetime import date

import pytest

from integration.helpers import (
    DEPARTURE,
    DIRECTOR,
    PRIMARY,
    SECONDARY,
    audit_actions,
    departure,
    iranian,
)
from nseers.core.errors import NotFoundError
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.i68 import (
    I68ApplicationCommand,
    I68DecisionCommand,
    I68MemberFacts,
    decide_i68,
    file_i68,
)
from nseers.services.movements import inspect_arrival, record_departure
from nseers.services.reports import timeline


def test_the_timeline_shows_encounters_registration_i94_violation_and_permit_in_order(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    person_id = arrival["person_id"]
    left = record_departure(registry, DEPARTURE, departure(arrival["fin"], "2003-09-01",
                                                           reported=False))
    assert left["violation_id"] is not None
    filed = file_i68(registry, PRIMARY, I68ApplicationCommand(
        port_code="BLAINE", filed_on=date(2012, 5, 1), evidence=("passport.pdf",),
        members=(I68MemberFacts(PersonFacts(person_id=person_id), "principal",
                                documents=(DocumentFacts("passport", "X1234567", "IRN"),),
                                # By 2012 a landed immigrant of Canada, so eligible.
                                canadian_permanent_resident=True),)))
    permit = decide_i68(registry, DIRECTOR, I68DecisionCommand(
        filed["application_id"], True, date(2012, 5, 10)))["permit"]

    seen = timeline(registry, SECONDARY, person_id)

    assert seen["person"] | {"id": None} == {
        "id": None, "surname": "AHMADI", "given_names": "REZA", "surname_original": "احمدی",
        "given_names_original": "رضا", "script": "Arab", "date_of_birth": "1970-05-01",
        "sex": "M", "citizenships": ["IRN"]}
    assert [(e["on"], e["type"]) for e in seen["events"]] == [
        ("2003-06-15", "encounter"), ("2003-06-15", "i94"), ("2003-06-15", "registration"),
        ("2003-09-01", "encounter"), ("2003-09-01", "violation"),
        ("2012-05-10", "boat_landing_permit")]
    arrived, i94, registered, departed, violation, landing = seen["events"]
    assert (arrived["kind"], arrived["port"], arrived["admission_class"],
            arrived["admit_until"]) == ("arrival", "JFK", "B2", "2003-12-14")
    assert arrived["occurred_at"] == "2003-06-15T15:00:00+00:00"
    assert (i94["number"], i94["surrendered_on"]) == (arrival["i94_number"], "2003-09-01")
    assert (registered["fin"], registered["route"]) == (arrival["fin"], "port_of_entry")
    assert (departed["kind"], violation["id"]) == ("departure", left["violation_id"])
    assert (violation["kind"], violation["willfulness"]) == ("departure_report", "unassessed")
    assert (landing["number"], landing["expires_on"], landing["revoked_on"]) == (
        permit["number"], permit["expires_on"], None)
    assert audit_actions(registry)[-1] == "person.timeline"


def test_the_timeline_of_an_unknown_person_is_not_found_and_not_audited(
        registry: Registry) -> None:
    with pytest.raises(NotFoundError):
        timeline(registry, SECONDARY, 404)
    assert "person.timeline" not in audit_actions(registry)
