"""The timeline and the compliance report on in-memory records: no database at all
(issue 15, fault 5). The contract test (``tests/integration/test_repository_contract.py``)
holds the fake to what SQLite and PostgreSQL answer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from fakes.records import MemoryRecords, MemoryRegistry
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError, NotFoundError
from nseers.registry.repositories import (
    EncounterRecord,
    I94Entry,
    InterviewRecord,
    ObligationRecord,
    PersonRecord,
    RegistrationRecord,
    WaiverRecord,
)
from nseers.rules.engine import Engine
from nseers.services.reports import compliance_report, timeline

COMPLIANCE = Actor("c.officer", Role.COMPLIANCE_OFFICER)
ANALYST = Actor("analyst", Role.ANALYST)
REGISTERED = date(2003, 6, 15)


def _registrant(**lists: Any) -> MemoryRecords:
    """A man registered at JFK on 2003-06-15, owing a 30-day report (2003-07-15 to
    2003-07-25) and a suspended annual report, with an I-94 surrendered on 2003-09-01."""
    arrived = datetime(2003, 6, 15, 15, tzinfo=UTC)
    records = MemoryRecords(
        persons=[PersonRecord(7, "AHMADI", "REZA", None, None, None, date(1970, 5, 1), "M",
                              ("IRN",))],
        encounters=[EncounterRecord(11, 7, "arrival", "admitted", "JFK", "air", arrived,
                                    REGISTERED, "B2", date(2003, 12, 14), False, "s.officer",
                                    "test", {}, None, None)],
        registrations=[RegistrationRecord(21, 7, "1000001", "port_of_entry",
                                          "designated_nationality", ["IRN"], REGISTERED,
                                          "JFK", None, None)],
        obligations=[
            ObligationRecord(31, 21, "thirty_day_report", 0, "required",
                             date(2003, 7, 15), date(2003, 7, 25), [], 7),
            ObligationRecord(32, 21, "annual_report", 1, "suspended",
                             date(2004, 6, 5), date(2004, 6, 25), [], 7)],
        i94s=[I94Entry(41, "12345678901", 7, "B2", "JFK", REGISTERED, date(2003, 12, 14),
                       False, False, None, False, date(2003, 9, 1))])
    for name, values in lists.items():
        getattr(records, name).extend(values)
    return records


def _status(report: dict[str, Any], kind: str) -> str:
    found = [o["status"] for r in report["registrations"] for o in r["obligations"]
             if o["kind"] == kind]
    assert len(found) == 1
    return found[0]


def test_a_report_held_after_its_window_leaves_the_thirty_day_report_missed(
        engine: Engine) -> None:
    late = InterviewRecord(51, 21, None, "thirty_day_report", date(2003, 7, 30), "New York",
                           "completed")
    registry = MemoryRegistry(rules=engine, records=_registrant(interviews=[late]))
    assert _status(compliance_report(registry, COMPLIANCE, 7, date(2003, 7, 20)),
                   "thirty_day_report") == "due"
    after = compliance_report(registry, COMPLIANCE, 7, date(2003, 8, 31))
    assert _status(after, "thirty_day_report") == "missed"
    assert after["registrations"][0]["obligations"][0]["evidence"][0]["late"] is True


def test_a_waiver_granted_by_the_as_of_date_waives_a_missed_report(engine: Engine) -> None:
    waiver = WaiverRecord(61, 7, 21, 31, "in hospital", "granted", date(2003, 7, 20),
                          "c.officer", date(2003, 8, 10), "director", "ill")
    registry = MemoryRegistry(rules=engine, records=_registrant(waivers=[waiver]))
    assert _status(compliance_report(registry, COMPLIANCE, 7, date(2003, 8, 1)),
                   "thirty_day_report") == "missed"
    assert _status(compliance_report(registry, COMPLIANCE, 7, date(2003, 8, 10)),
                   "thirty_day_report") == "waived"


def test_a_report_as_of_a_date_knows_nothing_that_happened_later(engine: Engine) -> None:
    on_time = InterviewRecord(51, 21, None, "thirty_day_report", date(2003, 7, 20),
                              "New York", "completed")
    registry = MemoryRegistry(rules=engine, records=_registrant(interviews=[on_time]))
    before = compliance_report(registry, COMPLIANCE, 7, date(2003, 7, 19))
    assert _status(before, "thirty_day_report") == "due"
    assert before["i94_records"][0]["surrendered_on"] is None
    after = compliance_report(registry, COMPLIANCE, 7, date(2004, 12, 31))
    assert _status(after, "thirty_day_report") == "met"
    assert _status(after, "annual_report") == "suspended"
    assert after["i94_records"][0]["surrendered_on"] == "2003-09-01"
    assert compliance_report(registry, COMPLIANCE, 7, date(2003, 6, 14))["summary"] == {
        "registrations": 0, "obligations": {}, "violations": 0, "willful_violations": 0}


def test_the_timeline_lists_every_record_oldest_first_and_is_audited(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_registrant())
    seen = timeline(registry, COMPLIANCE, 7)
    assert seen["person"]["citizenships"] == ["IRN"]
    assert [(e["on"], e["type"]) for e in seen["events"]] == [
        ("2003-06-15", "encounter"), ("2003-06-15", "i94"), ("2003-06-15", "registration")]
    assert registry.actions() == ["person.timeline"]
    assert registry.trail[0].person_id == 7


def test_an_unknown_person_is_not_found_and_leaves_no_audit_entry(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_registrant())
    with pytest.raises(NotFoundError):
        compliance_report(registry, COMPLIANCE, 404, date(2004, 1, 1))
    with pytest.raises(NotFoundError):
        timeline(registry, COMPLIANCE, 404)
    assert registry.actions() == []


def test_an_analyst_may_not_read_a_compliance_report(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_registrant())
    with pytest.raises(ForbiddenError):
        compliance_report(registry, ANALYST, 7, date(2004, 1, 1))

