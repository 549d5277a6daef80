"""The reference departure assignment and fiscal year a person's stay reads (issue 12)."""

from __future__ import annotations

from datetime import date

from nseers.entry_exit.definitions import assign_departures, fiscal_year_of


def test_a_departure_belongs_to_the_latest_arrival_on_or_before_it_and_the_earliest_wins(
        ) -> None:
    arrivals = [("a1", date(2025, 1, 10)), ("a2", date(2025, 6, 1))]
    departures = [("d0", date(2025, 1, 1)), ("d2", date(2025, 3, 1)),
                  ("d1", date(2025, 2, 1)), ("d3", date(2025, 6, 1))]
    assert assign_departures(arrivals, departures) == {"a1": "d1", "a2": "d3"}


def test_of_two_arrivals_on_one_day_the_first_given_gets_the_departure() -> None:
    day = date(2025, 1, 10)
    assert assign_departures([("a1", day), ("a2", day)], [("d", day)]) == {"a1": "d"}


def test_the_fiscal_year_begins_on_1_october() -> None:
    assert (fiscal_year_of(date(2024, 9, 30)), fiscal_year_of(date(2024, 10, 1))) == (
        2024, 2025)
