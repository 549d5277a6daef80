"""Calendar arithmetic the law depends on, with every convention stated once.

The regulations count ages in whole years and anniversaries by month and day. Both meet
the 29 February problem; the evaluation contract settles it: a 29 February birthday (or
anniversary) falls on 1 March in common years. Every rule that computes an age or an
anniversary goes through this module, so the convention cannot drift between rules.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

LEAP_DAY_CONVENTION = (
    "a 29 February birthday or anniversary falls on 1 March in common years"
)


def same_day_in_year(day: date, year: int) -> date:
    """The month and day of ``day`` in ``year``; 29 February becomes 1 March in common years."""
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return day.replace(year=year)


def anniversary(day: date, years: int) -> date:
    """The ``years``-th anniversary of ``day`` (see :data:`LEAP_DAY_CONVENTION`)."""
    return same_day_in_year(day, day.year + years)


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years completed on ``on``.

    A person is N years old from their Nth birthday on; "younger than 14" therefore means
    the 14th birthday has not been reached, and "older than 79" means the 80th has.
    """
    years = on.year - date_of_birth.year
    if on < same_day_in_year(date_of_birth, on.year):
        years -= 1
    return years


def days_between(start: date, end: date) -> int:
    """Days from ``start`` to ``end``; day 0 is ``start`` itself."""
    return (end - start).days


def add_days(day: date, days: int) -> date:
    """``day`` plus ``days`` calendar days."""
    return day + timedelta(days=days)
