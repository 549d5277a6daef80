"""Properties that hold for every input: ages, dates of effect, the contract's shape, parsing.

Each property states a reading of the law (or of the evaluation contract) that must hold
whatever the facts, and Hypothesis looks for the case that breaks it, with dates drawn
mostly around the days the law changes. The shared strategies live in ``tests/strategies.py``,
importable as ``strategies`` because pytest puts ``tests/`` (which holds ``conftest.py``) on
``sys.path``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nseers.core.dates import age_on, anniversary, same_day_in_year
from nseers.core.errors import InvalidInputError
from nseers.rules.call_in import CallInFacts, assess_call_in
from nseers.rules.engine import Engine
from nseers.rules.obligations import registrant_obligations
from nseers.rules.policy.store import default_policy
from strategies import (
    EARLIEST,
    birth_dates,
    cases,
    corrupted_cases,
    days_with_leap_days,
    departure_reports,
    event_dates,
)

ENGINE = Engine()
PROPERTY = settings(max_examples=200, deadline=None)

US_VISIT_START = date(2004, 1, 5)
PHOTOGRAPH_ALL_START = date(2025, 12, 26)
DELISTING = date(2011, 4, 28)
REMOVAL = date(2016, 12, 23)
SUSPENSION = date(2003, 12, 2)

OUTCOMES = {
    "inspection": {"inspect_as_citizen", "inspect_as_alien", "not_subject_to_removal",
                   "exempt_from_control", "stowaway_removal", "credible_fear_referral",
                   "applicant_for_admission_235b", "not_applicable"},
    "special_registration": {"required", "not_required", "not_applicable"},
    "biometrics": {"required", "not_required", "not_applicable"},
    "i94": {"required", "not_required", "not_applicable"},
    # ``undetermined``: the policy cannot decide (an incomplete list of designated ports).
    "departure_registration": {"compliant", "non_compliant", "not_required", "undetermined",
                               "not_applicable"},
}
BASES = {"designated_nationality", "consular_referral", "officer_designation", "dhs_criteria"}
MODALITIES = {"fingerprints", "photograph"}


def _visitor(on: date, **changes: Any) -> dict[str, Any]:
    """A French visitor for pleasure with a B-2 visa at JFK: no special rule reaches them."""
    case: dict[str, Any] = {
        "event": "arrival",
        "date": on.isoformat(),
        "port": {"code": "JFK"},
        "traveler": {"claimed_status": "nonimmigrant", "citizenships": ["FRA"],
                     "date_of_birth": "1970-06-15", "sex": "M", "residence": "FRA"},
        "admission_class": "B2",
        "documents": [{"kind": "passport", "issuer": "FRA"}, {"kind": "visa", "class": "B2"}],
    }
    case.update(changes)
    return case


def _evaluate(case: dict[str, Any]) -> dict[str, Any]:
    determinations: dict[str, Any] = ENGINE.evaluate_raw(case).to_dict()["determinations"]
    return determinations


# --- Ages: whole years, 29 February falling on 1 March in common years


@PROPERTY
@given(date_of_birth=days_with_leap_days(date(1900, 1, 1), date(2030, 12, 31)),
       days=st.integers(0, 45_000))
def test_age_is_never_negative_and_grows_by_one_exactly_on_each_birthday(
        date_of_birth: date, days: int) -> None:
    on = date_of_birth + timedelta(days=days)
    following = on + timedelta(days=1)
    assert age_on(date_of_birth, on) >= 0
    is_birthday = following == same_day_in_year(date_of_birth, following.year)
    assert age_on(date_of_birth, following) - age_on(date_of_birth, on) == int(is_birthday)


@PROPERTY
@given(date_of_birth=days_with_leap_days(date(1900, 1, 1), date(2030, 12, 31)),
       years=st.integers(1, 110))
def test_the_nth_birthday_is_the_first_day_of_age_n(date_of_birth: date, years: int) -> None:
    birthday = anniversary(date_of_birth, years)
    assert age_on(date_of_birth, birthday) == years
    assert age_on(date_of_birth, birthday - timedelta(days=1)) == years - 1
    year = date_of_birth.year + years
    if (date_of_birth.month, date_of_birth.day) == (2, 29) and not calendar.isleap(year):
        # The contract's convention: a 29 February birthday falls on 1 March in common years.
        assert birthday == date(year, 3, 1)
        assert age_on(date_of_birth, date(year, 2, 28)) == years - 1
    else:
        assert (birthday.month, birthday.day) == (date_of_birth.month, date_of_birth.day)


# --- Biometrics: the age exemption


@PROPERTY
@given(data=st.data(), on=st.dates(US_VISIT_START, PHOTOGRAPH_ALL_START - timedelta(days=1)))
def test_biometrics_age_exemption_is_younger_than_14_or_80_and_over(
        data: st.DataObject, on: date) -> None:
    date_of_birth = data.draw(birth_dates(on, threshold_ages=(14, 80)))
    traveler = {"claimed_status": "nonimmigrant", "citizenships": ["FRA"],
                "date_of_birth": date_of_birth.isoformat(), "sex": "F", "residence": "FRA"}
    biometrics = _evaluate(_visitor(on, traveler=traveler))["biometrics"]
    age = age_on(date_of_birth, on)
    exempt = age < 14 or age >= 80
    assert (biometrics.get("exemption") == "age") == exempt
    assert biometrics["outcome"] == ("not_required" if exempt else "required")


@PROPERTY
@given(on=st.dates(US_VISIT_START, date(2030, 12, 31)),
       ages_in_days=st.lists(st.integers(0, 110 * 366), min_size=2, max_size=2))
def test_biometrics_age_exemption_is_monotone_in_the_date_of_birth(
        on: date, ages_in_days: list[int]) -> None:
    younger_days, older_days = sorted(ages_in_days)
    older, younger = (on - timedelta(days=d) for d in (older_days, younger_days))

    def exempt_by_age(date_of_birth: date) -> bool:
        traveler = {"claimed_status": "nonimmigrant", "citizenships": ["FRA"],
                    "date_of_birth": date_of_birth.isoformat(), "sex": "M",
                    "residence": "FRA"}
        return _evaluate(_visitor(on, traveler=traveler))["biometrics"].get(
            "exemption") == "age"

    # Among children and adults under 50 a younger traveller is exempt whenever an older
    # one is; among those of 50 and over, an older traveller whenever a younger one is.
    fifty = 50 * 365
    if older_days < fifty and exempt_by_age(older):
        assert exempt_by_age(younger)
    if younger_days >= fifty and exempt_by_age(younger):
        assert exempt_by_age(older)


# --- The evaluation contract: every valid case is answered in full


@PROPERTY
@given(case=cases())
def test_every_valid_case_gets_all_five_determinations_with_reasons(
        case: dict[str, Any]) -> None:
    result = ENGINE.evaluate_raw(case).to_dict()
    determinations = result["determinations"]
    assert set(determinations) == set(OUTCOMES)
    for name, determination in determinations.items():
        assert determination["outcome"] in OUTCOMES[name], name
        assert determination["reasons"], f"{name}: no reasons"
        for reason in determination["reasons"]:
            for key in ("rule", "citation", "source", "text"):
                assert isinstance(reason[key], str), (name, key)
                assert reason[key].strip(), (name, key)
    registration = determinations["special_registration"]
    assert set(registration.get("basis", [])) <= BASES
    assert bool(registration.get("basis")) == (registration["outcome"] == "required")
    biometrics = determinations["biometrics"]
    assert set(biometrics.get("modalities", [])) <= MODALITIES
    assert bool(biometrics.get("modalities")) == (biometrics["outcome"] == "required")
    if case["event"] == "arrival":
        assert determinations["departure_registration"]["outcome"] == "not_applicable"
    else:
        assert determinations["departure_registration"]["outcome"] != "not_applicable"
        assert determinations["inspection"]["outcome"] == "not_applicable"


@PROPERTY
@given(case=cases(dates=event_dates(max_value=US_VISIT_START - timedelta(days=1))))
def test_no_biometrics_are_collected_before_us_visit(case: dict[str, Any]) -> None:
    assert _evaluate(case)["biometrics"]["outcome"] == "not_required"


@PROPERTY
@given(case=cases(dates=event_dates(min_value=REMOVAL)))
def test_no_one_is_specially_registered_after_the_regulation_was_removed(
        case: dict[str, Any]) -> None:
    assert _evaluate(case)["special_registration"]["outcome"] != "required"
    assert _evaluate(case)["departure_registration"]["outcome"] in {
        "not_required", "not_applicable"}


@PROPERTY
@given(case=cases(), admission_class=st.sampled_from(["A1", "A-2", "A3", "G1", "G-4"]))
def test_a_and_g_nonimmigrants_are_never_specially_registered(
        case: dict[str, Any], admission_class: str) -> None:
    case["admission_class"] = admission_class
    assert _evaluate(case)["special_registration"]["outcome"] != "required"


# --- Dates of effect


@PROPERTY
@given(on=event_dates())
def test_a_syrian_visitor_is_registered_exactly_while_syria_was_designated(on: date) -> None:
    case = _visitor(on, traveler={"claimed_status": "nonimmigrant", "citizenships": ["SYR"],
                                  "date_of_birth": "1970-06-15", "sex": "M",
                                  "residence": "SYR"},
                    documents=[{"kind": "passport", "issuer": "SYR"},
                               {"kind": "visa", "class": "B2"}])
    registered = _evaluate(case)["special_registration"]["outcome"] == "required"
    assert registered == (date(2002, 9, 11) <= on < DELISTING)


@PROPERTY
@given(days=st.lists(event_dates(min_value=EARLIEST), min_size=2, max_size=2))
def test_the_land_border_i94_fee_never_decreases(days: list[date]) -> None:
    earlier, later = sorted(days)

    def fee(on: date) -> int:
        i94 = _evaluate(_visitor(on, port={"code": "LAREDO"}))["i94"]
        assert i94["outcome"] == "required"
        return int(i94["fee_usd"])

    assert fee(earlier) <= fee(later)


@PROPERTY
@given(data=st.data(), on=event_dates(min_value=DELISTING),
       port=st.sampled_from(["OAK", "MEM", "SPN", "JFK", "DETROIT", "SAN YSIDRO"]))
def test_a_nationality_registrant_never_has_to_report_a_departure_after_the_delisting(
        data: st.DataObject, on: date, port: str) -> None:
    case = _visitor(on, event="departure", port={"code": port},
                    registration={"basis": "designated_nationality", "date": "2003-01-10"},
                    departure_report=data.draw(departure_reports(on, port)))
    assert _evaluate(case)["departure_registration"]["outcome"] == "not_required"


# --- Call-in: the date of birth is a cutoff, not a computed age

CALL_IN_CUTOFFS = {
    "IRN": (1, date(1986, 11, 15)),
    "MAR": (2, date(1986, 12, 2)),
    "PAK": (3, date(1987, 1, 13)),
    "EGY": (4, date(1987, 2, 24)),
}


@PROPERTY
@given(country=st.sampled_from(sorted(CALL_IN_CUTOFFS)),
       date_of_birth=st.dates(date(1940, 1, 1), date(1995, 12, 31)))
def test_call_in_reaches_exactly_those_born_on_or_before_the_cutoff(
        country: str, date_of_birth: date) -> None:
    group, cutoff = CALL_IN_CUTOFFS[country]
    facts = CallInFacts(citizenships=(country,), sex="M", date_of_birth=date_of_birth,
                        claimed_status="nonimmigrant", admission_class="B2",
                        last_admitted_on=date(2002, 6, 1))
    (assessment,) = assess_call_in(facts, default_policy(), date(2003, 6, 1))
    assert assessment.group == group
    assert assessment.required == (date_of_birth <= cutoff)


# --- Registrant obligations: the report windows and the 2003 suspension


@PROPERTY
@given(start=st.dates(date(2002, 9, 11), date(2005, 12, 31)),
       route=st.sampled_from(["port_of_entry", "call_in"]))
def test_report_windows_have_their_lengths_and_are_suspended_by_deadline(
        start: date, route: str) -> None:
    obligations = registrant_obligations(
        default_policy(), basis="designated_nationality", route=route,  # type: ignore[arg-type]
        start=start, until=date(start.year + 3, 12, 31))
    thirty = [o for o in obligations if o.kind == "thirty_day_report"]
    if route == "call_in":
        assert not thirty
    else:
        (report,) = thirty
        assert report.window_start == start + timedelta(days=30)
        assert report.window_end == start + timedelta(days=40)
        assert (report.status == "suspended") == (report.window_end >= SUSPENSION)
    annual = [o for o in obligations if o.kind == "annual_report"]
    assert annual, "at least the first annual report is listed"
    for index, report in enumerate(annual, start=1):
        assert report.sequence == index
        assert report.window_start is not None
        assert report.window_end is not None
        assert report.window_start + timedelta(days=10) == anniversary(start, index)
        assert report.window_end - report.window_start == timedelta(days=20)
        assert (report.status == "suspended") == (report.window_end >= SUSPENSION)


# --- Parsing: a malformed case names its bad field


@PROPERTY
@given(corrupted=corrupted_cases())
def test_a_case_with_one_bad_field_is_rejected_naming_that_field(
        corrupted: tuple[dict[str, Any], str]) -> None:
    case, path = corrupted
    with pytest.raises(InvalidInputError) as raised:
        ENGINE.evaluate_raw(case)
    assert {problem.path for problem in raised.value.problems} == {path}
