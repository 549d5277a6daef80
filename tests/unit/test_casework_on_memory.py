"""The casework lists on in-memory records (issue 15, fault 5): paging, order, roles and
the audit entry, with no database."""

from __future__ import annotations

from datetime import date

import pytest

from fakes.records import MemoryRecords, MemoryRegistry
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError, InvalidInputError
from nseers.registry.repositories import (
    ObligationRecord,
    PersonRecord,
    RegistrationRecord,
    ViolationRecord,
    WaiverRecord,
)
from nseers.rules.engine import Engine
from nseers.services.casework import violations, waiver_requests

COMPLIANCE = Actor("c.officer", Role.COMPLIANCE_OFFICER)
DIRECTOR = Actor("director", Role.DISTRICT_DIRECTOR)
PRIMARY = Actor("p.officer", Role.PRIMARY_OFFICER)


def _registrants() -> MemoryRecords:
    """Two registrants, each owing a 30-day report, each asking for it to be waived."""
    records = MemoryRecords()
    for person_id, surname in ((1, "AHMADI"), (2, "KHAN")):
        records.persons.append(PersonRecord(person_id, surname, "A", None, None, None, None,
                                            "M", ("IRN",)))
        records.registrations.append(RegistrationRecord(
            10 + person_id, person_id, f"FIN{person_id}", "port_of_entry",
            "designated_nationality", [], date(2003, 6, 1), "JFK", None, None))
        records.obligations.append(ObligationRecord(
            20 + person_id, 10 + person_id, "thirty_day_report", 0, "required",
            date(2003, 7, 1), date(2003, 7, 11), [], person_id))
    records.waivers += [
        WaiverRecord(31, 1, 11, 21, "in hospital", "pending", date(2003, 7, 5), "c.officer",
                     None, None, None),
        WaiverRecord(32, 2, 12, 22, "in hospital", "pending", date(2003, 7, 1), "c.officer",
                     None, None, None)]
    records.violations.append(ViolationRecord(
        41, 2, 12, "thirty_day_report", date(2003, 7, 12), "missed", [], "unassessed", None,
        None, None, None))
    return records


def test_pending_waivers_come_oldest_request_first_a_page_at_a_time(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_registrants())
    first = waiver_requests(registry, DIRECTOR, per_page=1)
    assert (first["total"], first["pages"]) == (2, 2)
    assert [(i["fin"], i["surname"], i["deadline"]) for i in first["items"]] == [
        ("FIN2", "KHAN", "2003-07-11")]
    second = waiver_requests(registry, DIRECTOR, page=2, per_page=1)
    assert [i["waiver_id"] for i in second["items"]] == [31]
    assert waiver_requests(registry, DIRECTOR, status="granted")["items"] == []
    assert registry.actions() == ["waiver.queue_read"] * 3
    assert registry.trail[0].detail["returned"] == [2]


def test_violations_are_listed_by_assessment_only_to_compliance_officers(
        engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_registrants())
    listed = violations(registry, COMPLIANCE)
    assert [(i["violation_id"], i["fin"], i["willfulness"]) for i in listed["items"]] == [
        (41, "FIN2", "unassessed")]
    assert violations(registry, COMPLIANCE, willfulness="willful")["total"] == 0
    with pytest.raises(ForbiddenError):
        violations(registry, DIRECTOR)
    with pytest.raises(ForbiddenError):
        waiver_requests(registry, PRIMARY)
    with pytest.raises(InvalidInputError):
        violations(registry, COMPLIANCE, willfulness="maybe")
    with pytest.raises(InvalidInputError):
        waiver_requests(registry, DIRECTOR, page=0)
