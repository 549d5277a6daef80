"""Movements by month for periods longer than a year (issue 15: the dashboard refused
ranges over 367 days), computed by the database on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest

from integration.helpers import ANALYST, SECONDARY, at, iranian, visitor
from nseers.core.errors import InvalidInputError
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts
from nseers.services.movements import ArrivalInspection, inspect_arrival
from nseers.services.statistics import (
    movements_by_port_and_day,
    movements_by_port_and_month,
)


def registrant(number: str, day: str) -> ArrivalInspection:
    """A registrant with a passport and a visa of their own."""
    return iranian(number, occurred_at=at(day), documents=(
        DocumentFacts("passport", number, "IRN"), DocumentFacts("visa", f"V{number}", "USA",
                                                                "B2")))


def test_a_five_year_period_is_counted_by_port_and_month(registry: Registry) -> None:
    inspect_arrival(registry, SECONDARY, registrant("X1000001", "2003-06-15"))
    inspect_arrival(registry, SECONDARY, registrant("X1000002", "2003-06-30"))
    inspect_arrival(registry, SECONDARY, visitor("P1000003", occurred_at=at("2006-01-02")))
    inspect_arrival(registry, SECONDARY, visitor("P1000004", occurred_at=at("2009-01-01")))
    rows = movements_by_port_and_month(registry, ANALYST, date(2002, 1, 1), date(2006, 12, 31))
    assert [(r["port"], r["month"], r["arrivals"]) for r in rows] == [
        ("IAD", "2006-01", 1), ("JFK", "2003-06", 2)]
    with pytest.raises(InvalidInputError):
        movements_by_port_and_day(registry, ANALYST, date(2002, 1, 1), date(2006, 12, 31))


def test_the_months_agree_with_the_days_within_a_year(registry: Registry) -> None:
    for number, day in (("X2000001", "2003-01-31"), ("X2000002", "2003-02-01"),
                        ("X2000003", "2003-02-28")):
        inspect_arrival(registry, SECONDARY, registrant(number, day))
    start, end = date(2003, 1, 1), date(2003, 12, 31)
    days = movements_by_port_and_day(registry, ANALYST, start, end)
    months = movements_by_port_and_month(registry, ANALYST, start, end)
    by_month: dict[str, int] = {}
    for row in days:
        by_month[row["day"][:7]] = by_month.get(row["day"][:7], 0) + row["arrivals"]
    assert {r["month"]: r["arrivals"] for r in months} == by_month == {"2003-01": 1,
                                                                       "2003-02": 2}


def test_a_period_that_ends_before_it_starts_is_refused(registry: Registry) -> None:
    with pytest.raises(InvalidInputError) as refused:
        movements_by_port_and_month(registry, ANALYST, date(2004, 1, 1), date(2003, 1, 1))
    assert refused.value.problems[0].path == "to"
