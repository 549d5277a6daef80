"""The synthetic population: reproducible, chronological, on real ports, with registrants."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from nseers.core.dates import anniversary
from nseers.demo import SyntheticEvent, SyntheticTraveller, generate
from nseers.demo.names import parse_name_lists
from nseers.rules.case import parse_case
from nseers.rules.engine import Engine
from nseers.rules.law import Law
from nseers.rules.policy.store import Policy, default_policy
from nseers.rules.stay import max_admission_years
from nseers.rules.vwp import vwp_eligible

SEED = 20_020_911
SAMPLE = 2_000

# The 25 countries of the call-in groups (76 FR 23830 lists them when delisting them).
SPECIAL_REGISTRATION_COUNTRIES = frozenset({
    "AFG", "DZA", "BHR", "BGD", "EGY", "ERI", "IDN", "IRN", "IRQ", "JOR", "KWT", "LBN", "LBY",
    "MAR", "PRK", "OMN", "PAK", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM",
})
PORT_OF_ENTRY_WINDOW = (date(2002, 9, 11), date(2011, 4, 27))


@pytest.fixture(scope="module")
def sample() -> list[SyntheticTraveller]:
    return list(generate(SAMPLE, SEED))


def test_the_same_seed_gives_the_same_travellers(sample: list[SyntheticTraveller]) -> None:
    assert list(generate(300, SEED)) == sample[:300]


def test_another_seed_gives_other_travellers(sample: list[SyntheticTraveller]) -> None:
    other = list(generate(300, SEED + 1))
    assert sum(a != b for a, b in zip(other, sample, strict=False)) > 290


def test_a_traveller_does_not_depend_on_how_many_are_generated(
        sample: list[SyntheticTraveller]) -> None:
    assert list(generate(7, SEED)) == sample[:7]
    assert next(iter(generate(1, SEED))) == sample[0]


def test_keys_and_document_numbers_are_unique_and_well_formed(
        sample: list[SyntheticTraveller]) -> None:
    keys = [t.person.key for t in sample]
    assert keys[:2] == ["P0000000", "P0000001"]
    assert len(set(keys)) == len(keys)
    passports = [d for t in sample for d in t.person.documents if d.kind == "passport"]
    visas = [d for t in sample for d in t.person.documents if d.kind == "visa"]
    assert len(passports) == len(sample)
    assert all(re.fullmatch(r"[A-Z0-9]{9}", d.number) and re.fullmatch(r"[A-Z]{3}", d.issuer)
               for d in passports)
    assert all(re.fullmatch(r"\d{8}", d.number) and d.issuer == "USA" and d.admission_class
               for d in visas)
    assert len({(d.issuer, d.number) for d in passports}) == len(passports)
    assert len({d.number for d in visas}) == len(visas)


def test_events_are_chronological_and_journeys_alternate(
        sample: list[SyntheticTraveller]) -> None:
    start, end = date(2002, 1, 1), date(2026, 10, 31)
    for traveller in sample:
        events = traveller.events
        assert events[0].kind == "arrival", traveller.person.key
        assert all(a.at < b.at for a, b in pairwise(events))
        assert all(start <= e.at.date() <= end and e.at.tzinfo is None for e in events)
        journeys = [e.kind for e in events if e.kind in ("arrival", "departure")]
        assert all(a != b for a, b in pairwise(journeys)), traveller.person.key
        for event in events:
            if event.departure_report_on is not None:
                assert event.departure_report_on <= event.at.date()
        passport = traveller.person.documents[0]
        assert passport.kind == "passport"
        assert all(passport.expires_on > e.at.date() for e in events if e.kind == "arrival")


def test_every_port_is_a_port_of_the_policy_and_modes_match(
        sample: list[SyntheticTraveller], policy: Policy) -> None:
    ports = policy.in_force(date(2010, 1, 1)).ports
    for event in (e for t in sample for e in t.events):
        if event.kind in ("arrival", "departure"):
            assert event.port_code in ports
            assert event.mode == ports[event.port_code].mode
        else:
            assert event.port_code is None
        if event.departure_report_port is not None:
            assert event.departure_report_port in ports


def test_land_crossings_are_mostly_by_neighbours(sample: list[SyntheticTraveller]) -> None:
    land = Counter(t.person.citizenships[0] for t in sample for e in t.events
                   if e.kind == "arrival" and e.mode == "land")
    assert (land["MEX"] + land["CAN"]) / sum(land.values()) > 0.8


def test_names_come_in_several_scripts(sample: list[SyntheticTraveller]) -> None:
    scripts = Counter(t.person.script for t in sample)
    assert {"Latn", "Arab", "Cyrl", "Hans", "Hang"} <= set(scripts)
    for person in (t.person for t in sample):
        if person.script == "Latn":
            assert person.surname_original is None
        else:
            assert person.surname_original
            assert person.surname_original != person.surname
    assert any(set(t.person.surname) & set("äöüéèçñíóúşğıđ") for t in sample)


def test_a_share_of_nationals_of_the_designated_countries(
        sample: list[SyntheticTraveller]) -> None:
    special = [t for t in sample if SPECIAL_REGISTRATION_COUNTRIES & set(t.person.citizenships)]
    assert 0.12 < len(special) / len(sample) < 0.25
    first, last = PORT_OF_ENTRY_WINDOW
    registrants = [
        t for t in special if t.person.sex == "M" and any(
            e.kind == "arrival" and first <= e.at.date() <= last
            and (e.at.date() - t.person.date_of_birth).days >= 16 * 365 for e in t.events)]
    assert len(registrants) > 50
    assert any(len(t.person.citizenships) > 1 for t in special)


def test_registrants_report_in_person_on_time_late_or_not_at_all(
        sample: list[SyntheticTraveller]) -> None:
    events = [e for t in sample for e in t.events]
    kinds = Counter(e.interview_kind or e.kind for e in events)
    assert kinds["call_in_registration"] > 10
    assert kinds["thirty_day_report"] > 0
    assert kinds["change_of_address"] > 0
    reported = [e for e in events if e.departure_report_port is not None]
    compliant = [e for e in reported
                 if e.departure_report_port == e.port_code and e.departure_report_on == e.at.date()]
    elsewhere = [e for e in reported if e.departure_report_port != e.port_code]
    early = [e for e in reported if e.departure_report_on != e.at.date()]
    assert len(compliant) > 5 * (len(elsewhere) + len(early)) > 0
    assert elsewhere
    assert early


def _case(traveller: SyntheticTraveller, event: SyntheticEvent, policy: Policy) -> dict[str, Any]:
    person, port = traveller.person, policy.ports[event.port_code or ""]
    return {
        "event": event.kind, "date": event.at.date().isoformat(),
        "port": {"code": port.code, "mode": port.mode, "state": port.state},
        "traveler": {"claimed_status": "nonimmigrant", "citizenships": list(person.citizenships),
                     "date_of_birth": person.date_of_birth.isoformat(), "sex": person.sex},
        "documents": [{"kind": "passport", "issuer": person.documents[0].issuer}],
    }


def test_the_rules_find_the_registrants_the_generator_made(
        sample: list[SyntheticTraveller], engine: Engine, policy: Policy) -> None:
    outcomes: Counter[tuple[str, str, bool]] = Counter()
    for traveller in sample:
        if not SPECIAL_REGISTRATION_COUNTRIES & {*traveller.person.citizenships,
                                                 traveller.person.documents[0].issuer}:
            continue
        registered_on: date | None = None
        for event in traveller.events:
            if event.kind == "call_in_registration" and registered_on is None:
                registered_on = event.at.date()
            if event.kind not in ("arrival", "departure"):
                continue
            case = _case(traveller, event, policy)
            if event.kind == "arrival":
                case["admission_class"] = event.admission_class
                outcome = engine.evaluate(parse_case(case)).determinations[
                    "special_registration"].outcome
                if outcome == "required" and registered_on is None:
                    registered_on = event.at.date()
                continue
            reported = event.departure_report_port is not None
            if registered_on is None:
                assert not reported, traveller.person.key
                continue
            case["registration"] = {"basis": "designated_nationality",
                                    "date": registered_on.isoformat(), "fin": "FIN-1"}
            if reported:
                case["departure_report"] = {"port_code": event.departure_report_port,
                                            "date": str(event.departure_report_on)}
            outcome = engine.evaluate(parse_case(case)).determinations[
                "departure_registration"].outcome
            outcomes[("departure", outcome, reported)] += 1
    assert outcomes[("departure", "not_required", True)] == 0
    bound = sum(n for (_, outcome, _), n in outcomes.items() if outcome != "not_required")
    assert 0.7 < outcomes[("departure", "compliant", True)] / bound < 0.9
    assert outcomes[("departure", "non_compliant", False)] > 0
    assert outcomes[("departure", "non_compliant", True)] > 0


def test_interviews_fall_in_the_years_before_the_2003_suspension(
        sample: list[SyntheticTraveller]) -> None:
    reports = [e for t in sample for e in t.events
               if e.interview_kind in ("thirty_day_report", "annual_report")]
    assert reports
    assert all(e.at.date() < date(2004, 2, 1) for e in reports)


def test_call_in_registrations_are_by_men_already_in_the_country(
        sample: list[SyntheticTraveller]) -> None:
    for traveller in sample:
        for index, event in enumerate(traveller.events):
            if event.kind == "call_in_registration":
                assert traveller.person.sex == "M"
                assert date(2002, 11, 15) <= event.at.date() <= date(2003, 7, 31)
                assert traveller.events[0].at.date() <= date(2002, 9, 30)
                assert "arrival" not in [e.kind for e in traveller.events[:index]][1:]


def test_admission_classes_follow_the_rules_of_thumb(sample: list[SyntheticTraveller]) -> None:
    arrivals = [e for t in sample for e in t.events if e.kind == "arrival"]
    by_class = Counter(e.admission_class for e in arrivals)
    assert {"B1", "B2", "WT", "F1", "J1", "H1B"} <= set(by_class)
    for event in arrivals:
        assert event.duration_of_status == (event.admit_until is None)
        if event.admission_class in ("F1", "J1"):
            assert event.duration_of_status
        if event.admission_class == "WT":
            assert event.admit_until is not None
            assert (event.admit_until - event.at.date()).days == 90


def trips(traveller: SyntheticTraveller) -> list[tuple[SyntheticEvent, SyntheticEvent | None]]:
    """Each arrival with its departure (``None`` for a traveller who never left)."""
    moves = [e for e in traveller.events if e.kind in ("arrival", "departure")]
    return [(moves[i], moves[i + 1] if i + 1 < len(moves) else None)
            for i in range(0, len(moves), 2)]


def test_some_travellers_overstay(sample: list[SyntheticTraveller]) -> None:
    end = date(2026, 10, 31)
    late = stayed = 0
    for traveller in sample:
        for arrival, departure in trips(traveller):
            if arrival.admit_until is None or arrival.admit_until >= end:
                continue
            if departure is None:
                stayed += 1
            elif departure.at.date() > arrival.admit_until:
                late += 1
    assert late > 10
    assert stayed > 10


def test_a_short_window_keeps_every_event_inside_it() -> None:
    start, end = date(2003, 1, 1), date(2003, 3, 31)
    for traveller in generate(300, SEED, start=start, end=end):
        assert all(start <= e.at.date() <= end for e in traveller.events)


def test_bad_arguments_are_refused_at_once() -> None:
    with pytest.raises(ValueError, match="zero or more"):
        generate(-1, SEED)
    with pytest.raises(ValueError, match="before start"):
        generate(1, SEED, start=date(2010, 1, 1), end=date(2009, 1, 1))


def test_a_malformed_name_list_is_refused_with_its_place() -> None:
    with pytest.raises(ValueError, match=r"lists\.x\.surnames\[0\]"):
        parse_name_lists({"lists": {"x": {"script": "Arab", "surnames": ["Haddad"],
                                          "male": [["a", "A"]], "female": [["b", "B"]]}}})


def test_visa_waiver_arrivals_fall_on_days_the_rules_open_the_program(
        sample: list[SyntheticTraveller]) -> None:
    policy = default_policy()
    seen = 0
    for traveller in sample:
        passport = next(d for d in traveller.person.documents if d.kind == "passport")
        for event in traveller.events:
            if event.kind == "arrival" and event.admission_class in ("WT", "WB"):
                seen += 1
                answer = vwp_eligible(Law(policy, event.at.date()), passport.issuer,
                                      traveller.person.citizenships)
                assert answer.eligible, (traveller.person.key, answer.reason.text)
    assert seen > 100


def test_tn_admissions_last_as_long_as_the_rules_allow_on_the_day(
        sample: list[SyntheticTraveller]) -> None:
    policy = default_policy()
    tn = [e for t in sample for e in t.events
          if e.kind == "arrival" and e.admission_class == "TN"]
    assert tn
    for event in tn:
        day = event.at.date()
        years = max_admission_years(policy, "TN", day)
        assert years is not None
        assert event.admit_until is not None
        # A 29 February arrival's anniversary is a day apart in the two conventions.
        assert abs((event.admit_until - anniversary(day, years)).days) <= 1, day
