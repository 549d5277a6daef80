"""The casework lists (pending waivers, violations to assess) and the demonstration's
casework and carrier travellers, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from integration.helpers import (
    COMPLIANCE,
    DEPARTURE,
    DIRECTOR,
    PRIMARY,
    SECONDARY,
    at,
    count,
    departure,
    iranian,
)
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError, InvalidInputError
from nseers.db.audit import AuditEntry
from nseers.demo.casework import PASSENGERS, load_casework
from nseers.registry.registrations import Violation, WaiverRequest
from nseers.services.carrier import PassengerQuery, check_passenger
from nseers.services.casework import violations, waiver_requests
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts
from nseers.services.movements import ArrivalInspection, inspect_arrival, record_departure
from nseers.services.registrants import (
    InterviewCommand,
    WaiverDecisionCommand,
    WaiverRequestCommand,
    decide_waiver,
    record_interview,
    request_waiver,
)


def _registrant(number: str) -> ArrivalInspection:
    return replace(iranian(number), documents=(DocumentFacts("passport", number, "IRN"),
                                               DocumentFacts("visa", None, "USA", "B2")))


def _details(registry: Registry, action: str) -> list[dict]:
    with registry.sessions() as session:
        return [e.detail for e in session.query(AuditEntry).filter(
            AuditEntry.action == action).order_by(AuditEntry.seq)]


def test_pending_waivers_are_listed_oldest_first_and_leave_the_list_when_decided(
        registry: Registry) -> None:
    first = inspect_arrival(registry, SECONDARY, _registrant("W0000001"))
    second = inspect_arrival(registry, SECONDARY, _registrant("W0000002"))
    for arrival, day in ((second, date(2003, 7, 1)), (first, date(2003, 7, 5))):
        request_waiver(registry, COMPLIANCE, WaiverRequestCommand(
            fin=arrival["fin"], obligation_kind="thirty_day_report", grounds="in hospital",
            requested_on=day))
    listed = waiver_requests(registry, DIRECTOR)
    assert listed["total"] == 2
    assert [i["fin"] for i in listed["items"]] == [second["fin"], first["fin"]]
    assert listed["items"][0]["deadline"] is not None
    assert listed["items"][0]["surname"] == "AHMADI"
    decide_waiver(registry, DIRECTOR, WaiverDecisionCommand(
        listed["items"][0]["waiver_id"], granted=True, reasons="records confirm",
        decided_on=date(2003, 7, 10)))
    assert waiver_requests(registry, COMPLIANCE)["total"] == 1
    granted = waiver_requests(registry, DIRECTOR, status="granted")["items"]
    assert granted[0]["decision_reasons"] == "records confirm"
    reads = _details(registry, "waiver.queue_read")
    assert reads[0]["returned"] == sorted({first["person_id"], second["person_id"]})


def test_violations_are_listed_by_assessment_and_only_to_compliance_officers(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, _registrant("V0000001"))
    record_interview(registry, COMPLIANCE, InterviewCommand(
        fin=arrival["fin"], kind="thirty_day_report", held_on=date(2003, 7, 20),
        place="JFK", outcome="failed_to_appear"))
    listed = violations(registry, COMPLIANCE)
    assert [(i["kind"], i["willfulness"]) for i in listed["items"]] == [
        ("thirty_day_report", "unassessed")]
    assert violations(registry, COMPLIANCE, willfulness="willful")["total"] == 0
    with pytest.raises(ForbiddenError):
        violations(registry, DIRECTOR)
    with pytest.raises(ForbiddenError):
        waiver_requests(registry, PRIMARY)
    with pytest.raises(InvalidInputError):
        violations(registry, COMPLIANCE, willfulness="maybe")


def test_the_demonstration_casework_loads_once_and_each_passenger_gets_its_answer(
        registry: Registry) -> None:
    # The first registrant leaves and is registered again on his next arrival, under the
    # same FIN (one per person): the casework takes his FIN once, at its latest registration
    # (it was tried twice under one key, and dated from the first registration).
    first = inspect_arrival(registry, SECONDARY, _registrant("D0000000"))
    record_departure(registry, DEPARTURE, departure(first["fin"], "2003-06-20"))
    again = inspect_arrival(registry, SECONDARY, replace(
        _registrant("D0000000"), occurred_at=at("2004-03-01"), admit_until=date(2004, 9, 1)))
    assert again["fin"] == first["fin"]
    for index in range(1, 6):
        inspect_arrival(registry, SECONDARY, _registrant(f"D000000{index}"))
    for _ in range(2):
        report = load_casework(registry, 7)
        assert (report.waivers, report.violations, report.passengers, report.refusals) == (
            3, 3, 4, [])
    assert count(registry, WaiverRequest) == 3
    assert count(registry, Violation) == 3
    carrier = Actor("carrier.aal", Role.CARRIER)
    today = registry.clock().date()
    for passenger in PASSENGERS:
        answer = check_passenger(registry, carrier, PassengerQuery(
            passenger.number, "FRA", "FRA", passenger.surname, passenger.date_of_birth, today))
        assert answer["answer"] == passenger.expected
