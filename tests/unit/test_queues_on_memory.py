"""The compliance queue and the I-68 queue on in-memory records (issue 15, fault 5): a
report is due in its window, overdue after, owed no more by one who left before it
opened, and suspended reports owe nothing once the suspension is in force."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fakes.records import MemoryRecords, MemoryRegistry
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError, InvalidInputError
from nseers.registry.repositories import (
    EncounterRecord,
    I68ApplicationRecord,
    I68MemberRecord,
    ObligationRecord,
    PersonRecord,
    RegistrationRecord,
)
from nseers.rules.engine import Engine
from nseers.services.queues import QueueQuery, i68_applications, obligations_due

COMPLIANCE = Actor("c.officer", Role.COMPLIANCE_OFFICER)
DIRECTOR = Actor("director", Role.DISTRICT_DIRECTOR)


def _registrants() -> MemoryRecords:
    """Two registrants admitted 2003-06-15, owing the 30-day report (07-15 to 07-25);
    the second left on 2003-07-01. The first also owes a stored-as-suspended annual."""
    records = MemoryRecords()
    for person_id in (1, 2):
        records.persons.append(PersonRecord(person_id, f"NAME{person_id}", "A", None, None,
                                            None, None, "M", ("IRN",)))
        records.registrations.append(RegistrationRecord(
            person_id, person_id, f"FIN{person_id}", "port_of_entry",
            "designated_nationality", [], date(2003, 6, 15), "JFK", None, None))
        records.obligations.append(ObligationRecord(
            10 + person_id, person_id, "thirty_day_report", 0, "required",
            date(2003, 7, 15), date(2003, 7, 25), [], person_id))
    records.obligations.append(ObligationRecord(
        20, 1, "annual_report", 1, "suspended", date(2004, 6, 5), date(2004, 6, 25), [], 1))
    records.encounters.append(EncounterRecord(
        30, 2, "departure", "departed", "JFK", "air", datetime(2003, 7, 1, 18, tzinfo=UTC),
        date(2003, 7, 1), None, None, False, "d.officer", "test", {}, None, None))
    return records


def _listed(registry: MemoryRegistry, as_of: date) -> list[tuple[int, str, str, int]]:
    answer = obligations_due(registry, COMPLIANCE, QueueQuery(as_of=as_of))
    return [(i["person_id"], i["kind"], i["status"], i["days_overdue"])
            for i in answer["items"]]


def test_only_the_registrant_still_here_owes_the_report_due_then_overdue(
        engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_registrants())
    assert _listed(registry, date(2003, 7, 14)) == []
    assert _listed(registry, date(2003, 7, 20)) == [(1, "thirty_day_report", "due", 0)]
    assert _listed(registry, date(2003, 7, 30)) == [(1, "thirty_day_report", "overdue", 5)]
    # After 2003-12-02 the stored-as-suspended annual report owes nothing.
    assert [k for _, k, _, _ in _listed(registry, date(2004, 7, 1))] == ["thirty_day_report"]
    assert registry.trail[0].detail["returned"] == []


def test_the_queue_refuses_unknown_kinds_and_other_roles(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_registrants())
    with pytest.raises(InvalidInputError):
        obligations_due(registry, COMPLIANCE, QueueQuery(as_of=date(2003, 7, 20),
                                                         kinds=("nap",)))
    with pytest.raises(ForbiddenError):
        obligations_due(registry, DIRECTOR, QueueQuery(as_of=date(2003, 7, 20)))


def test_pending_i68_applications_are_listed_with_their_members(engine: Engine) -> None:
    member = I68MemberRecord(1, "NAME1", "A", None, "principal", True, "principal", False)
    records = MemoryRecords(applications=[
        I68ApplicationRecord(5, "BLAINE", date(2012, 5, 1), "p.officer", 16,
                             [{"reference": "passport.pdf"}], "pending", None, None, None,
                             (member,), None)])
    registry = MemoryRegistry(rules=engine, records=records)
    answer = i68_applications(registry, DIRECTOR)
    assert answer["total"] == 1
    assert answer["items"][0]["evidence"] == ["passport.pdf"]
    assert answer["items"][0]["members"][0]["relationship"] == "principal"
    assert registry.trail[0].detail["returned"] == [1]
