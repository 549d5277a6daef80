"""Rates over time for the analyst dashboard: departure compliance and overstays, by year.

Counts only, like :mod:`nseers.services.statistics`: no row names a person or a document.
The methodology, stated so that the numbers can be reproduced:

* **Registrations** in a year: special registrations dated in it.
* **Departure-report compliance** in a year: of the departures of registrants (a person
  with a special registration dated on or before the departure), the share with no
  departure-report violation recorded against that departure. A violation is recorded
  exactly when the rules engine judged the departure non-compliant.
* **Overstay rate** in a year: of the I-94s whose admit-until date falls in the year and
  on or before the as-of date (the expected departures), the share not surrendered by the
  admit-until date (not surrendered at all, or surrendered later), as of the as-of date.
  I-94s for the duration of status have no admit-until date and are left out, as in the
  DHS overstay reports.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, Final

from nseers.core.actors import Actor, Permission
from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.services.repositories import RecordStore

#: The longest span of years one request covers.
MAX_YEARS: Final = 60


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def yearly_rates(registry: RecordStore, actor: Actor, first_year: int, last_year: int,
                 as_of: date) -> list[dict[str, Any]]:
    """One row per year from ``first_year`` to ``last_year``: registrations, registrants'
    departures and their compliance rate, expected departures and the overstay rate."""
    if last_year < first_year:
        raise InvalidInputError([FieldProblem("last_year", "precedes first_year")])
    if last_year - first_year >= MAX_YEARS:
        raise InvalidInputError([FieldProblem("last_year", f"at most {MAX_YEARS} years")])
    start, end = date(first_year, 1, 1), date(last_year, 12, 31)
    with registry.records_work(actor, Permission.READ_AGGREGATES) as uow:
        records = uow.records
        registrations = Counter(day.year for day in records.registration_days(start, end))
        departures: Counter[int] = Counter()
        non_compliant: Counter[int] = Counter()
        for day, was_violation in records.registrant_departures(start, end):
            departures[day.year] += 1
            if was_violation:
                non_compliant[day.year] += 1
        expected: Counter[int] = Counter()
        overstays: Counter[int] = Counter()
        for until, surrendered in records.expected_departures(start, min(end, as_of)):
            expected[until.year] += 1
            if surrendered is None or surrendered > until or surrendered > as_of:
                overstays[until.year] += 1
        uow.audit("statistics.read", "encounters", None, report="yearly_rates",
                  first_year=first_year, last_year=last_year, as_of=as_of)
        uow.commit()
    rows = []
    for year in range(first_year, last_year + 1):
        rows.append({
            "year": year, "registrations": registrations[year],
            "registrant_departures": departures[year],
            "non_compliant_departures": non_compliant[year],
            "compliance_rate": _ratio(departures[year] - non_compliant[year], departures[year]),
            "expected_departures": expected[year], "overstays": overstays[year],
            "overstay_rate": _ratio(overstays[year], expected[year])})
    return rows
