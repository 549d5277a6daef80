"""The Visa Waiver Program and the TN admission period are dated policy read by one rules
function each (issue 15: they were date literals in the demo population)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest

from nseers.entry_exit.definitions import definitions_for
from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.parameters import PARAMETERS
from nseers.rules.policy.store import Policy, default_policy
from nseers.rules.stay import max_admission_years
from nseers.rules.vwp import BARRED_NATIONALITIES, PROGRAM_COUNTRIES, vwp_eligible, vwp_periods

DAY = timedelta(days=1)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def eligible(policy: Policy, on: date, issuer: str, *citizenships: str) -> bool:
    return vwp_eligible(Law(policy, on), issuer, citizenships or (issuer,)).eligible


@pytest.mark.parametrize(("issuer", "first_day"), [
    ("GBR", date(1988, 7, 1)), ("JPN", date(1988, 12, 15)), ("IRL", date(1995, 4, 1)),
    ("ARG", date(1996, 7, 8)), ("SVN", date(1997, 9, 30)), ("PRT", date(1999, 8, 9)),
    ("KOR", date(2008, 11, 17)), ("MLT", date(2008, 12, 30)), ("GRC", date(2010, 4, 5)),
    ("TWN", date(2012, 11, 1)), ("CHL", date(2014, 5, 1)), ("POL", date(2019, 11, 11)),
    ("HRV", date(2021, 12, 1)), ("ISR", date(2023, 10, 19)), ("QAT", date(2024, 12, 1)),
])
def test_a_designation_opens_the_program_on_its_effective_date_and_not_the_day_before(
        policy: Policy, issuer: str, first_day: date) -> None:
    assert not eligible(policy, first_day - DAY, issuer)
    assert eligible(policy, first_day, issuer)


@pytest.mark.parametrize(("issuer", "last_day"), [
    ("ARG", date(2002, 2, 20)),  # 67 FR 7943, effective 2002-02-21
    ("URY", date(2003, 4, 15)),  # after 2003-04-15 Uruguayans need a visa
])
def test_a_termination_closes_the_program_on_its_effective_date(
        policy: Policy, issuer: str, last_day: date) -> None:
    assert eligible(policy, last_day, issuer)
    assert not eligible(policy, last_day + DAY, issuer)


def test_a_terminated_country_is_refused_naming_the_day_its_designation_ended(
        policy: Policy) -> None:
    answer = vwp_eligible(Law(policy, date(2005, 6, 1)), "ARG", ("ARG",))
    assert not answer.eligible
    assert answer.reason.rule == ids.VWP_NOT_DESIGNATED
    assert "ended on 2002-02-21" in answer.reason.text
    assert "67 FR 7943" in answer.reason.source


def test_before_the_pilot_program_no_passport_carries_the_waiver(policy: Policy) -> None:
    answer = vwp_eligible(Law(policy, date(1988, 6, 30)), "GBR", ("GBR",))
    assert not answer.eligible
    assert "began on 1988-07-01" in answer.reason.text


def test_a_country_never_designated_is_refused(policy: Policy) -> None:
    for on in (date(1990, 1, 1), date(2010, 1, 1), date(2025, 6, 1)):
        assert not eligible(policy, on, "IND")
        assert not eligible(policy, on, "CAN")  # visa-exempt, but not a program country
    # Romania's 2025 designation was rescinded before anyone travelled under it.
    assert not eligible(policy, date(2025, 4, 15), "ROU")


def test_the_reason_cites_the_designation_of_the_country_not_the_latest_list(
        policy: Policy) -> None:
    answer = vwp_eligible(Law(policy, date(2025, 1, 1)), "GBR", ("GBR",))
    assert answer.eligible
    assert answer.reason.rule == ids.VWP_DESIGNATED_COUNTRY
    assert answer.reason.citation == "8 CFR 217.2(a)"
    assert answer.reason.effective == date(1988, 7, 1)


@pytest.mark.parametrize("barred", ["IRN", "IRQ", "SDN", "SYR"])
def test_a_dual_national_of_a_country_of_concern_loses_the_program_from_2016_01_21(
        policy: Policy, barred: str) -> None:
    assert eligible(policy, date(2016, 1, 20), "GBR", "GBR", barred)
    answer = vwp_eligible(Law(policy, date(2016, 1, 21)), "GBR", ("GBR", barred))
    assert not answer.eligible
    assert answer.reason.rule == ids.VWP_BARRED_NATIONALITY
    assert answer.reason.values is not None
    assert answer.reason.values["barred_nationalities"] == [barred]
    assert "1187(a)(12)" in answer.reason.citation


@pytest.mark.parametrize("country", ["LBY", "SOM", "YEM"])
def test_libya_somalia_and_yemen_restrict_travel_not_dual_nationals(
        policy: Policy, country: str) -> None:
    # 2016-02-18 added them as countries of concern for presence only; a dual national
    # with a program passport keeps the program (the demo used to bar them).
    assert eligible(policy, date(2016, 2, 18), "GBR", "GBR", country)
    assert eligible(policy, date(2024, 1, 1), "SWE", "SWE", country)


def test_later_state_sponsors_of_terrorism_bar_their_nationals_from_their_designation(
        policy: Policy) -> None:
    assert eligible(policy, date(2021, 1, 11), "DEU", "DEU", "CUB")
    assert not eligible(policy, date(2021, 1, 12), "DEU", "DEU", "CUB")
    assert eligible(policy, date(2017, 11, 19), "KOR", "KOR", "PRK")
    assert not eligible(policy, date(2017, 11, 20), "KOR", "KOR", "PRK")


def change_days(policy: Policy) -> list[date]:
    days = set()
    for parameter_id in (PROGRAM_COUNTRIES, BARRED_NATIONALITIES):
        for version in policy.history(parameter_id):
            days.add(version.effective_from)
            if version.effective_to is not None:
                days.add(version.effective_to)
    return sorted(days)


TRAVELLERS = [
    ("GBR", ("GBR",)), ("GBR", ("GBR", "IRN")), ("SWE", ("SWE", "SOM")), ("ARG", ("ARG",)),
    ("ARG", ("ARG", "ITA")), ("ITA", ("ITA", "ARG")), ("URY", ("URY",)), ("KOR", ("KOR",)),
    ("DEU", ("DEU", "TUR")), ("DEU", ("DEU", "CUB")), ("ISR", ("ISR",)), ("IND", ("IND",)),
    ("CAN", ("CAN", "GBR")), ("FRA", ("FRA", "SYR")), ("QAT", ("QAT",)), ("PRT", ("PRT",)),
]


@pytest.mark.parametrize(("issuer", "citizenships"), TRAVELLERS)
def test_the_periods_agree_with_the_answer_on_both_sides_of_every_date_of_change(
        policy: Policy, issuer: str, citizenships: tuple[str, ...]) -> None:
    periods = vwp_periods(policy, issuer, citizenships)
    for change in change_days(policy):
        for on in (change - DAY, change):
            in_a_period = any(begin <= on and (stop is None or on < stop)
                              for begin, stop in periods)
            answer = vwp_eligible(Law(policy, on), issuer, citizenships)
            assert in_a_period == answer.eligible, (issuer, citizenships, on)


def test_periods_are_ordered_and_disjoint(policy: Policy) -> None:
    for issuer, citizenships in TRAVELLERS:
        periods = vwp_periods(policy, issuer, citizenships)
        for (_, stop), (begin, _) in pairwise(periods):
            assert stop is not None
            assert stop < begin
    assert vwp_periods(policy, "GBR", ("GBR", "IRN")) == ((date(1988, 7, 1),
                                                           date(2016, 1, 21)),)


def test_the_overstay_report_reads_the_programs_own_list(policy: Policy) -> None:
    # One dated list of program countries, not a second copy for the report.
    assert "entry_exit.vwp_countries" not in PARAMETERS
    defs = definitions_for(policy, 2024, date(2024, 12, 31))
    in_force = policy.in_force(date(2024, 9, 30)).value(PROGRAM_COUNTRIES)
    assert defs.vwp_countries == tuple(sorted(in_force))
    assert "ISR" in defs.vwp_countries
    assert "QAT" not in defs.vwp_countries
    assert PROGRAM_COUNTRIES in defs.citations


def test_tn_admissions_were_for_one_year_until_the_2008_rule_made_them_three(
        policy: Policy) -> None:
    assert max_admission_years(policy, "TN", date(2008, 10, 15)) == 1
    assert max_admission_years(policy, "TN", date(2008, 10, 16)) == 3
    assert max_admission_years(policy, "TD", date(2008, 10, 16)) == 3
    assert max_admission_years(policy, "tn", date(1994, 1, 1)) == 1
    # Before NAFTA there was no TN class in the data, and other classes have no limit here.
    assert max_admission_years(policy, "TN", date(1993, 12, 31)) is None
    assert max_admission_years(policy, "H1B", date(2010, 1, 1)) is None
    source = policy.parameter("stay.tn_max_admission_years", date(2008, 10, 16))
    assert source is not None
    assert "73 FR 61332" in source.source
