"""A person's stays (issue 12): each admission's EDD, days remaining or over, and the
departure that closed it with its evidence, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from integration.helpers import (
    ANALYST,
    DEPARTURE,
    PRIMARY,
    SECONDARY,
    at,
    audit_actions,
    departure,
    iranian,
    visitor,
)
from nseers.core.errors import ForbiddenError, NotFoundError
from nseers.services.context import Registry
from nseers.services.movements import inspect_arrival, record_departure
from nseers.services.stays import person_stays


def _two_trips(registry: Registry) -> int:
    """A French visitor: one trip left on time, then one with no departure recorded."""
    first = inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=at("2025-03-01"), admit_until=date(2025, 8, 31)))
    person_id = first["person_id"]
    record_departure(registry, DEPARTURE, departure(None, "2025-08-20", port="IAD",
                                                    reported=False, person_id=person_id))
    inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=at("2026-01-10"), admit_until=date(2026, 7, 9)))
    return int(person_id)


def test_each_admission_has_its_edd_standing_and_the_departure_that_closed_it(
        registry: Registry) -> None:
    person_id = _two_trips(registry)

    seen = person_stays(registry, SECONDARY, person_id)

    assert seen["as_of"] == "2026-11-24"
    latest, earlier = seen["stays"]
    assert (latest["arrival"]["date"], latest["expected_departure_date"], latest["status"],
            latest["days_over"], latest["departure"]) == (
        "2026-01-10", "2026-07-09", "suspected_in_country_overstay", 138, None)
    assert (earlier["expected_departure_date"], earlier["status"]) == (
        "2025-08-31", "departed_on_time")
    evidence = earlier["departure"]
    assert (evidence["date"], evidence["port"], evidence["recorded_by"], evidence["source"],
            evidence["confidence"]) == ("2025-08-20", "IAD", "d.officer", "officer",
                                        "certain")
    assert any("surrendered at this departure" in m for m in evidence["matched_on"])
    assert earlier["report"]["fiscal_year"] == 2025
    assert earlier["report"]["in_scope"]
    assert latest["report"]["fiscal_year"] == 2026
    assert latest["report"]["edd"] == latest["expected_departure_date"]
    assert "8 U.S.C. 1376" in latest["report"]["citations"]["entry_exit.in_scope_modes"]
    assert latest["reasons"][0]["citation"].startswith("8 CFR 214.1")
    assert audit_actions(registry)[-1] == "person.stays_read"


def test_as_of_a_date_in_the_stay_the_days_remaining_are_counted_to_the_edd(
        registry: Registry) -> None:
    person_id = _two_trips(registry)

    seen = person_stays(registry, SECONDARY, person_id, date(2026, 5, 1))

    latest = seen["stays"][0]
    assert (latest["status"], latest["days_remaining"], latest["days_over"]) == (
        "in_stay", 69, None)


def test_a_departure_after_the_edd_is_a_late_departure_counted_to_its_day(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=at("2025-03-01"), admit_until=date(2025, 8, 31)))
    record_departure(registry, DEPARTURE, departure(None, "2025-09-10", port="IAD",
                                                    reported=False,
                                                    person_id=arrival["person_id"]))

    (stay,) = person_stays(registry, SECONDARY, arrival["person_id"])["stays"]

    assert (stay["status"], stay["days_over"], stay["departure"]["date"]) == (
        "departed_late", 10, "2025-09-10")


def test_a_departure_after_the_as_of_date_is_not_yet_known(registry: Registry) -> None:
    arrival = inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=at("2025-03-01"), admit_until=date(2025, 8, 31)))
    record_departure(registry, DEPARTURE, departure(None, "2025-09-10", port="IAD",
                                                    reported=False,
                                                    person_id=arrival["person_id"]))

    (stay,) = person_stays(registry, SECONDARY, arrival["person_id"],
                           date(2025, 9, 5))["stays"]

    assert (stay["status"], stay["days_over"], stay["departure"]) == (
        "suspected_in_country_overstay", 5, None)


def test_a_registrants_departure_names_the_fin_it_was_judged_against(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    record_departure(registry, DEPARTURE, departure(arrival["fin"], "2003-09-01"))

    (stay,) = person_stays(registry, SECONDARY, arrival["person_id"])["stays"]

    assert stay["status"] == "departed_on_time"
    assert any(arrival["fin"] in m for m in stay["departure"]["matched_on"])
    # FY 2004 is before the report's definitions (FY 2016): said, not counted.
    assert stay["report"]["fiscal_year"] == 2004
    assert not stay["report"]["in_scope"]
    assert "policy data holds no" in stay["report"]["why"]


def test_a_duration_of_status_admission_without_a_program_end_has_no_edd(
        registry: Registry) -> None:
    arrival = inspect_arrival(registry, PRIMARY, visitor(
        occurred_at=at("2025-03-01"), admission_class="F1", admit_until=None,
        duration_of_status=True))

    (stay,) = person_stays(registry, SECONDARY, arrival["person_id"])["stays"]

    assert (stay["status"], stay["expected_departure_date"], stay["days_remaining"]) == (
        "no_edd", None, None)
    assert stay["reasons"][0]["rule"] == "stay.duration_of_status_grace"


def test_the_stays_of_an_unknown_person_are_not_found(registry: Registry) -> None:
    with pytest.raises(NotFoundError):
        person_stays(registry, SECONDARY, 404)


def test_an_analyst_may_not_read_a_persons_stays(registry: Registry) -> None:
    person_id = _two_trips(registry)
    with pytest.raises(ForbiddenError):
        person_stays(registry, ANALYST, person_id)
