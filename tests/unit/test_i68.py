"""The I-68 program's family, fee, validity, reapplication and landing rules."""

from __future__ import annotations

from datetime import date

import pytest

from nseers.rules.i68 import (
    Applicant,
    application_fee,
    check_landing,
    earliest_reapplication,
    family_members,
    holder_group,
    permit_expires,
    port_problem,
    program_ports,
)
from nseers.rules.policy.store import Policy

ON = date(2005, 6, 1)


def test_a_married_19_year_old_and_an_unmarried_21_year_old_are_not_family_members(
        policy: Policy) -> None:
    checks = family_members(policy, [
        Applicant("principal", date(1960, 1, 1)),
        Applicant("child", date(1986, 1, 1), married=True),
        Applicant("child", date(1984, 6, 1)),
        Applicant("child", date(1984, 6, 2)),
        Applicant("parent_of_spouse", date(1935, 1, 1)),
    ], ON)
    assert [c.eligible for c in checks] == [True, False, False, True, True]
    assert "married" in checks[1].reason


def test_photo_identification_is_needed_only_over_15(policy: Policy) -> None:
    checks = family_members(policy, [Applicant("child", date(1990, 6, 1)),
                                     Applicant("child", date(1989, 6, 1))], ON)
    assert [c.needs_photo_id for c in checks] == [False, True]


def test_the_family_fee_is_per_person_up_to_the_cap(policy: Policy) -> None:
    assert application_fee(policy, 1, ON) == 16
    assert application_fee(policy, 4, ON) == 32


def test_a_permit_issued_on_a_leap_day_is_valid_through_28_february(policy: Policy) -> None:
    assert permit_expires(policy, date(2004, 2, 29)) == date(2005, 2, 28)
    assert permit_expires(policy, date(2005, 6, 1)) == date(2006, 5, 31)


def test_a_new_application_waits_90_days_from_the_latest_denial(policy: Policy) -> None:
    assert earliest_reapplication(policy, [date(2005, 1, 1), date(2005, 3, 1)]) == date(
        2005, 5, 30)
    assert earliest_reapplication(policy, []) is None


def test_the_72_hour_limit_binds_a_canadian_but_not_a_us_citizen(policy: Policy) -> None:
    common = {"on": ON, "distance_miles": 10, "craft_net_tons": 2, "merchandise": False,
              "permit_expires_on": date(2005, 12, 31)}
    assert check_landing(policy, holder_status="us_citizen", visit_hours=96, **common).permitted
    assert check_landing(policy, holder_status="nonimmigrant", visit_hours=72, **common).permitted
    late = check_landing(policy, holder_status="nonimmigrant", visit_hours=72 + 1 / 60, **common)
    assert not late.permitted


@pytest.mark.parametrize("status", ["us_citizen", "lpr"])
def test_the_25_mile_limit_binds_neither_a_citizen_nor_an_lpr(policy: Policy, status: str
                                                               ) -> None:
    common = {"on": ON, "visit_hours": 5, "craft_net_tons": 2, "merchandise": False,
              "permit_expires_on": date(2005, 12, 31)}
    assert check_landing(policy, holder_status=status, distance_miles=60, **common).permitted
    far = check_landing(policy, holder_status="nonimmigrant", distance_miles=25.5, **common)
    assert far.problems == ("25.5 miles is beyond 25 miles of the shore line",)


def test_a_five_ton_craft_or_merchandise_takes_the_landing_outside_the_permit(
        policy: Policy) -> None:
    common = {"on": ON, "holder_status": "us_citizen", "visit_hours": 5, "distance_miles": 10,
              "permit_expires_on": date(2005, 12, 31)}
    assert not check_landing(policy, craft_net_tons=5, merchandise=False, **common).permitted
    assert not check_landing(policy, craft_net_tons=4.9, merchandise=True, **common).permitted
    assert check_landing(policy, craft_net_tons=4.9, merchandise=False, **common).permitted


@pytest.mark.parametrize(("citizenships", "kinds", "landed", "group"), [
    (("USA",), frozenset({"us_passport"}), False, "us_citizen"),
    (("GBR",), frozenset({"passport", "i551"}), False, "lpr"),
    (("CAN",), frozenset({"passport"}), False, "canadian_citizen"),
    (("GBR",), frozenset({"passport"}), True, "canadian_permanent_resident"),
    (("GBR",), frozenset({"passport"}), False, None),
    (("MEX",), frozenset({"bcc"}), False, None),
])
def test_only_the_groups_of_235_1_e_may_hold_a_permit(
        policy: Policy, citizenships: tuple[str, ...], kinds: frozenset[str], landed: bool,
        group: str | None) -> None:
    """Issue 15: a UK citizen was found eligible, though only U.S. citizens, LPRs and
    Canadian citizens and permanent residents may hold an I-68."""
    check = holder_group(policy, ON, citizenships=citizenships, document_kinds=kinds,
                         canadian_permanent_resident=landed)
    assert check.group == group
    if group is None:
        assert "permanent residents of Canada" in check.reason
        assert citizenships[0] in check.reason


def test_the_program_s_ports_are_the_northern_border_s_only(policy: Policy) -> None:
    """Issue 15: the form offered all ports of entry, a Mexican-border port among them."""
    ports = program_ports(policy, ON)
    assert ports
    assert {p.border for p in ports} == {"canada"}
    assert len(ports) < len(policy.ports)
    mexican = policy.ports["SAN YSIDRO"]
    problem = port_problem(policy, ON, mexican, mexican.code)
    assert problem is not None
    assert "canada border" in problem
    assert port_problem(policy, ON, policy.ports["BLAINE"], "BLAINE") is None
    assert port_problem(policy, ON, None, "NOWHERE") == "not a known port of entry: 'NOWHERE'"
