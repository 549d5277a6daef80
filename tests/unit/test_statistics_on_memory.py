"""The analysts' counts and yearly rates on in-memory records (issue 15, fault 5)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fakes.records import MemoryRecords, MemoryRegistry
from nseers.core.actors import Actor, Role
from nseers.core.errors import ForbiddenError
from nseers.registry.repositories import (
    EncounterRecord,
    I94Entry,
    RegistrationRecord,
    ViolationRecord,
)
from nseers.rules.engine import Engine
from nseers.services.dashboard import yearly_rates
from nseers.services.statistics import movements_by_port_and_day, movements_by_port_and_month

ANALYST = Actor("analyst", Role.ANALYST)
TRAVELLER = Actor("anonymous", Role.TRAVELLER)


def _movement(encounter_id: int, person_id: int, kind: str, day: date,
              port: str = "JFK") -> EncounterRecord:
    return EncounterRecord(encounter_id, person_id, kind, "admitted", port, "air",
                           datetime(day.year, day.month, day.day, 12, tzinfo=UTC), day, None,
                           None, False, "officer", "test", {}, None, None)


def _records() -> MemoryRecords:
    """Person 1 registered in 2003 and left twice (once without reporting); person 2, never
    registered, arrived at IAD and left; two I-94s expected out in 2003, one overstayed."""
    return MemoryRecords(
        encounters=[_movement(1, 1, "arrival", date(2003, 6, 15)),
                    _movement(2, 1, "departure", date(2003, 8, 1)),
                    _movement(3, 1, "departure", date(2003, 11, 3)),
                    _movement(4, 2, "arrival", date(2003, 6, 15), port="IAD"),
                    _movement(5, 2, "departure", date(2003, 7, 1), port="IAD")],
        registrations=[RegistrationRecord(10, 1, "F1", "port_of_entry",
                                          "designated_nationality", [], date(2003, 6, 15),
                                          "JFK", None, None)],
        violations=[ViolationRecord(20, 1, 10, "departure_report", date(2003, 11, 3),
                                    "not reported", [], "unassessed", None, None, None, 3)],
        i94s=[I94Entry(30, "1", 1, "B2", "JFK", date(2003, 6, 15), date(2003, 12, 14), False,
                       False, None, False, date(2003, 8, 1)),
              I94Entry(31, "2", 2, "B2", "IAD", date(2003, 6, 15), date(2003, 6, 30), False,
                       False, None, False, date(2003, 7, 1))])


def test_the_yearly_rates_count_registrants_departures_and_overstays(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_records())
    (row,) = yearly_rates(registry, ANALYST, 2003, 2003, date(2004, 1, 1))
    assert (row["registrations"], row["registrant_departures"],
            row["non_compliant_departures"], row["compliance_rate"]) == (1, 2, 1, 0.5)
    assert (row["expected_departures"], row["overstays"], row["overstay_rate"]) == (2, 1, 0.5)
    assert registry.actions() == ["statistics.read"]


def test_movements_are_counted_by_port_day_and_month(engine: Engine) -> None:
    registry = MemoryRegistry(rules=engine, records=_records())
    days = movements_by_port_and_day(registry, ANALYST, date(2003, 6, 1), date(2003, 7, 31))
    assert [(r["port"], r["day"], r["arrivals"], r["departures"]) for r in days] == [
        ("IAD", "2003-06-15", 1, 0), ("IAD", "2003-07-01", 0, 1), ("JFK", "2003-06-15", 1, 0)]
    months = movements_by_port_and_month(registry, ANALYST, date(2003, 1, 1),
                                         date(2003, 12, 31), port="jfk")
    assert [(r["month"], r["arrivals"], r["departures"]) for r in months] == [
        ("2003-06", 1, 0), ("2003-08", 0, 1), ("2003-11", 0, 1)]
    with pytest.raises(ForbiddenError):
        movements_by_port_and_day(registry, TRAVELLER, date(2003, 6, 1), date(2003, 7, 31))
