"""Hypothesis strategies shared by the test suites: dates, travellers and whole cases.

Dates cluster around the law's dates of effect, read from the built-in policy data so the
strategies follow the data as it grows: most bugs in a rules engine sit on the day a rule
starts or stops. Cases are valid evaluation-contract cases (plain JSON-ready dicts) that
vary every fact a rule reads; ``corrupted_cases`` spoils exactly one field of one.
"""

from __future__ import annotations

import calendar
import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from nseers.rules.policy.schema import Dated
from nseers.rules.policy.store import default_policy

#: The first day the built-in policy holds law for; earlier dates are refused.
EARLIEST: date = default_policy().coverage_from or date(1996, 9, 5)
LATEST = date(2030, 12, 31)

# Countries every kind of rule treats differently: the 25 call-in countries, Armenia (listed
# in error), the neighbours with their own I-94 rules, and a few that no rule names.
DESIGNATED = ("IRN", "IRQ", "LBY", "SDN", "SYR", "PAK", "SAU", "YEM", "AFG", "DZA", "BHR",
              "ERI", "LBN", "MAR", "PRK", "OMN", "QAT", "SOM", "TUN", "ARE", "BGD", "EGY",
              "IDN", "JOR", "KWT")
OTHER_COUNTRIES = ("ARM", "CAN", "MEX", "GBR", "FRA", "DEU", "BMU", "PHL", "USA")
COUNTRIES = DESIGNATED + OTHER_COUNTRIES
ADMISSION_CLASSES = ("B1", "B2", "B-1", "WT", "WB", "F1", "J1", "C1", "C3", "D1", "E1", "A1",
                     "A-2", "A3", "G4", "NATO2", "NATO-6", "CP", "H1B")
CLAIMED_STATUSES = ("nonimmigrant", "nonimmigrant", "nonimmigrant", "lpr", "us_citizen",
                    "immigrant", "refugee", "none")
CIRCUMSTANCES = (
    "citizenship_established", "stowaway", "fear_expressed", "interdicted_at_sea",
    "armed_forces_under_orders", "nato_force_under_orders", "consular_referral",
    "officer_designation", "dhs_criteria", "paroled", "attendant_of_official", "visa_exempt",
    "crewman", "tecro_official", "biometrics_exempted_individually",
    "biometrics_class_exempted_jointly",
)
DOCUMENT_KINDS = ("us_passport", "passport", "visa", "bcc", "i551", "military_id",
                  "official_orders", "i68", "i94", "passport_card", "nexus", "edl")


def _effective_dates() -> tuple[date, ...]:
    policy = default_policy()
    days: set[date] = set()
    for document in policy.documents:
        for record in document.records:
            if isinstance(record, Dated):
                days.add(record.effective_from)
                if record.effective_to is not None:
                    days.add(record.effective_to)
    return tuple(sorted(d for d in days if EARLIEST <= d <= LATEST))


EFFECTIVE_DATES = _effective_dates()
KNOWN_PORTS = tuple(sorted(default_policy().ports))


def dates_near_effective_dates(min_value: date = EARLIEST, max_value: date = LATEST,
                               days_either_side: int = 3) -> st.SearchStrategy[date]:
    """A date of effect from the policy data in range, or a day or few either side of one."""
    margin = timedelta(days=days_either_side)
    candidates = [d for d in EFFECTIVE_DATES if min_value - margin <= d <= max_value + margin]
    if not candidates:
        return st.dates(min_value=min_value, max_value=max_value)
    return st.builds(
        lambda day, offset: day + timedelta(days=offset),
        st.sampled_from(candidates),
        st.integers(-days_either_side, days_either_side),
    ).filter(lambda d: min_value <= d <= max_value)


def event_dates(min_value: date = EARLIEST, max_value: date = LATEST) -> st.SearchStrategy[date]:
    """Any day in range, weighted towards the days the law changes."""
    return st.one_of(dates_near_effective_dates(min_value, max_value),
                     st.dates(min_value=min_value, max_value=max_value))


def _leap_days(first: date, last: date) -> list[date]:
    return [date(year, 2, 29) for year in range(first.year, last.year + 1)
            if calendar.isleap(year) and first <= date(year, 2, 29) <= last]


def days_with_leap_days(min_value: date, max_value: date) -> st.SearchStrategy[date]:
    """Any day in range, with 29 February (and the days around it) drawn often."""
    leap_days = _leap_days(min_value, max_value)
    around = st.builds(lambda day, offset: day + timedelta(days=offset),
                       st.sampled_from(leap_days), st.integers(-1, 1)).filter(
        lambda d: min_value <= d <= max_value) if leap_days else st.nothing()
    return st.one_of(st.dates(min_value=min_value, max_value=max_value), around)


def birth_dates(on: date, *, max_age: int = 110,
                threshold_ages: tuple[int, ...] = (14, 16, 45, 46, 79, 80),
                ) -> st.SearchStrategy[date]:
    """A date of birth no later than ``on``: any, a leap day, or one that puts ``on`` on the
    eve, the day or the morrow of a birthday on which the law changes its answer."""
    earliest = date(on.year - max_age, 1, 1)

    def near_birthday(age: int, offset: int) -> date:
        year = on.year - age
        anchor = date(year, on.month, 28) if (on.month, on.day) == (2, 29) and not (
            calendar.isleap(year)) else date(year, on.month, on.day)
        return min(anchor + timedelta(days=offset), on)

    near = st.builds(near_birthday, st.sampled_from(threshold_ages), st.sampled_from([-1, 0, 1]))
    return st.one_of(days_with_leap_days(earliest, on), near)


def ports() -> st.SearchStrategy[dict[str, Any]]:
    """A port from the reference data by code, or an unknown port given by mode and state."""
    known = st.sampled_from(KNOWN_PORTS).map(lambda code: {"code": code})
    unknown = st.fixed_dictionaries({
        "code": st.sampled_from(["NOWHERE", "SMALLTOWN"]),
        "mode": st.sampled_from(["air", "sea", "land"]),
        "state": st.sampled_from(["TX", "AZ", "NM", "CA", "WA", "NY", "VI"]),
    })
    return st.one_of(known, unknown)


def documents() -> st.SearchStrategy[list[dict[str, Any]]]:
    """What a traveller presents: kinds, issuers, visa classes, passport types."""
    document = st.fixed_dictionaries(
        {"kind": st.sampled_from(DOCUMENT_KINDS)},
        optional={
            "issuer": st.sampled_from(COUNTRIES),
            "class": st.sampled_from(ADMISSION_CLASSES),
            "type": st.sampled_from(["regular", "diplomatic", "official"]),
        })
    return st.lists(document, max_size=4)


def circumstances() -> st.SearchStrategy[dict[str, bool]]:
    """Any subset of the circumstances, each true or false."""
    return st.dictionaries(st.sampled_from(CIRCUMSTANCES), st.booleans(), max_size=6)


def travelers(on: date) -> st.SearchStrategy[dict[str, Any]]:
    """A traveller as of ``on``: status, citizenships, date of birth, sex, residence."""
    return st.fixed_dictionaries({
        "claimed_status": st.sampled_from(CLAIMED_STATUSES),
        "citizenships": st.lists(st.sampled_from(COUNTRIES), max_size=3, unique=True),
        "date_of_birth": st.one_of(st.none(), birth_dates(on).map(date.isoformat)),
        "sex": st.sampled_from(["M", "F", "X", None]),
        "residence": st.sampled_from([*COUNTRIES, "VGB", None]),
    })


def itineraries() -> st.SearchStrategy[dict[str, Any]]:
    """Distance from the border, length of stay and destination, any of them unknown."""
    return st.fixed_dictionaries({}, optional={
        "max_distance_from_border_miles": st.one_of(st.none(), st.integers(0, 400)),
        "length_of_stay_days": st.one_of(st.none(), st.integers(0, 120)),
        "length_of_stay_hours": st.one_of(st.none(), st.integers(0, 1000)),
        "destination": st.sampled_from([None, "USVI", "AZ", "NM", "TX"]),
    })


def registrations(on: date) -> st.SearchStrategy[dict[str, Any] | None]:
    """No registration, or one by nationality or individually, dated no later than ``on``."""
    return st.one_of(st.none(), st.fixed_dictionaries({
        "basis": st.sampled_from(["designated_nationality", "individual"]),
        "date": st.dates(min_value=min(on, date(2002, 9, 11)), max_value=on)
        .map(date.isoformat),
        "fin": st.sampled_from(["FIN-1", "FIN-2"]),
    }))


def departure_reports(on: date, port_code: str | None) -> st.SearchStrategy[
        dict[str, Any] | None]:
    """No report, or one at this port or another, on the day or a day either side."""
    codes = [c for c in (port_code, "OAK", "MEM", "JFK") if c]
    return st.one_of(st.none(), st.fixed_dictionaries({
        "port_code": st.sampled_from(codes),
        "date": st.sampled_from([on - timedelta(days=1), on, on + timedelta(days=1)])
        .map(date.isoformat),
    }))


@st.composite
def cases(draw: st.DrawFn, dates: st.SearchStrategy[date] | None = None) -> dict[str, Any]:
    """A valid evaluation-contract case, arrival or departure, on any date."""
    on = draw(dates if dates is not None else event_dates())
    event = draw(st.sampled_from(["arrival", "departure"]))
    port = draw(ports())
    return {
        "event": event,
        "date": on.isoformat(),
        "port": port,
        "traveler": draw(travelers(on)),
        "admission_class": draw(st.one_of(st.none(), st.sampled_from(ADMISSION_CLASSES))),
        "documents": draw(documents()),
        "circumstances": draw(circumstances()),
        "itinerary": draw(itineraries()),
        "registration": draw(registrations(on)),
        "departure_report": draw(departure_reports(on, port.get("code"))),
    }


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def corrupt(case: dict[str, Any]) -> None:
        target: Any = case
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return corrupt


def _ensure(case: dict[str, Any]) -> None:
    """Give the case every optional part a corruption may need to reach."""
    case["port"] = {"code": case["port"].get("code") or "NOWHERE", "mode": "air",
                    "state": "NY"}
    case["traveler"]["citizenships"] = case["traveler"]["citizenships"] or ["FRA"]
    case["documents"] = case["documents"] or [{"kind": "passport", "issuer": "FRA"}]
    case["registration"] = case["registration"] or {
        "basis": "individual", "date": case["date"], "fin": "FIN-1"}
    case["departure_report"] = case["departure_report"] or {
        "port_code": "OAK", "date": case["date"]}


# One bad value for each field, with the path the parser must name.
CORRUPTIONS: tuple[tuple[str, Callable[[dict[str, Any]], None]], ...] = (
    ("event", _set(("event",), "arrive")),
    ("date", _set(("date",), "2003-13-01")),
    ("date", _set(("date",), "15/06/2003")),
    ("date", _set(("date",), 20030615)),
    ("port.mode", _set(("port", "mode"), "boat")),
    ("port.state", _set(("port", "state"), "New York")),
    ("port.code", _set(("port", "code"), 7)),
    ("traveler.claimed_status", _set(("traveler", "claimed_status"), "citizen")),
    ("traveler.citizenships", _set(("traveler", "citizenships"), "IRN")),
    ("traveler.citizenships[0]", _set(("traveler", "citizenships", 0), "ir")),
    ("traveler.date_of_birth", _set(("traveler", "date_of_birth"), "1970-02-30")),
    ("traveler.sex", _set(("traveler", "sex"), "male")),
    ("traveler.residence", _set(("traveler", "residence"), "Canada")),
    ("traveler.colour", _set(("traveler", "colour"), "blue")),
    ("admission_class", _set(("admission_class",), 42)),
    ("documents", _set(("documents",), {"kind": "passport"})),
    ("documents[0].kind", _set(("documents", 0, "kind"), "visaa")),
    ("documents[0].issuer", _set(("documents", 0, "issuer"), "us")),
    ("documents[0].type", _set(("documents", 0, "type"), "secret")),
    ("circumstances.stowaway", _set(("circumstances", "stowaway"), "yes")),
    ("circumstances.stowawy", _set(("circumstances", "stowawy"), True)),
    ("itinerary.length_of_stay_days", _set(("itinerary", "length_of_stay_days"), -1)),
    ("itinerary.max_distance_from_border_miles",
     _set(("itinerary", "max_distance_from_border_miles"), "far")),
    ("registration.basis", _set(("registration", "basis"), "nationality")),
    ("registration.date", _set(("registration", "date"), "yesterday")),
    ("departure_report.date", _set(("departure_report", "date"), "2003-02-30")),
    ("departure_report.port_code", _set(("departure_report", "port_code"), "")),
    ("colour", _set(("colour",), "blue")),
)


@st.composite
def corrupted_cases(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid case with exactly one field spoilt, and the path of that field."""
    case = copy.deepcopy(draw(cases()))
    _ensure(case)
    path, corrupt = draw(st.sampled_from(CORRUPTIONS))
    corrupt(case)
    return case, path
