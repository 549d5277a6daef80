"""The policy format: what `nseers policy validate` refuses, and as-of lookups."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from nseers.core.errors import PolicyError
from nseers.rules import ids
from nseers.rules.law import Law
from nseers.rules.policy.schema import BorderZone, DeparturePort, Provision
from nseers.rules.policy.store import Policy, builtin_sources, collect, load_policy

BAD = Path(__file__).parent.parent / "fixtures" / "policy"


def problems_of(name: str) -> list[str]:
    path = BAD / name
    _, problems, _ = collect([(name, path.read_text(encoding="utf-8"))])
    return [str(p) for p in problems]


@pytest.mark.parametrize(("fixture", "expected"), [
    ("missing_citation.yaml", "records[0] (i94.land_border_fee_usd).citation: missing"),
    ("overlapping_dates.yaml", "overlapping versions"),
    ("unordered_dates.yaml", "out of date order"),
    ("ends_before_it_starts.yaml", "must be after 'from'"),
    ("unknown_key.yaml", "records[0] (general).milles: unknown key"),
    ("unknown_parameter.yaml", "(i94.land_border_fee_dollars).id: unknown parameter"),
    ("wrong_value_type.yaml", "(biometrics.exempt_age_younger_than).value"),
    ("unknown_rule_id.yaml", "(inspection.no_such_rule).id: unknown rule id"),
])
def test_each_bad_policy_file_is_refused_with_the_problem_named(fixture: str,
                                                                 expected: str) -> None:
    problems = problems_of(fixture)
    assert any(expected in p for p in problems), problems


def test_a_valid_administrator_file_passes() -> None:
    assert problems_of("valid_ports_notice.yaml") == []


def test_the_builtin_policy_is_valid() -> None:
    _, problems, version = collect(builtin_sources())
    assert problems == []
    assert len(version) == 12


def test_load_policy_refuses_a_directory_with_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text((BAD / "missing_citation.yaml").read_text())
    with pytest.raises(PolicyError, match="citation: missing"):
        load_policy((tmp_path,))


def test_an_administrator_notice_earlier_than_the_builtin_list_extends_it(
        tmp_path: Path) -> None:
    (tmp_path / "ports.yaml").write_text((BAD / "valid_ports_notice.yaml").read_text())
    extended = load_policy((tmp_path,))
    assert "JFK" in extended.in_force(date(2002, 10, 1)).departure_ports
    assert "JFK" not in extended.in_force(date(2002, 9, 30)).departure_ports
    assert "JFK" in extended.in_force(date(2005, 1, 1)).departure_ports


def test_a_value_is_read_as_of_its_effective_date_which_belongs_to_the_new_value(
        policy: Policy) -> None:
    fee = "i94.additional_fee_usd"
    assert policy.in_force(date(2025, 9, 29)).value(fee) is None
    assert policy.in_force(date(2025, 9, 30)).value(fee) == 24


def test_a_suspension_is_a_new_dated_value_and_the_history_keeps_the_old_one(
        policy: Policy) -> None:
    history = policy.history("special_registration.annual_report_in_force")
    assert [v.value for v in history] == [True, False]
    assert history[0].effective_to == history[1].effective_from == date(2003, 12, 2)


def test_every_rule_id_has_a_provision_and_every_provision_a_rule(policy: Policy) -> None:
    provided = {p.id for p in policy.records(Provision)}
    assert provided == set(ids.ALL_RULE_IDS)


def test_a_relettered_paragraph_is_cited_by_the_letter_in_force(policy: Policy) -> None:
    before = policy.in_force(date(2008, 1, 1)).provisions[ids.BIO_EXEMPT_AGE]
    after = policy.in_force(date(2009, 1, 18)).provisions[ids.BIO_EXEMPT_AGE]
    assert before.citation == "8 CFR 235.1(d)(1)(iv)(A)"
    assert after.citation == "8 CFR 235.1(f)(1)(iv)(A)"


def test_every_port_code_used_by_the_policy_is_in_the_port_reference_data(
        policy: Policy) -> None:
    codes = {p.id for p in policy.records(DeparturePort)}
    codes |= {c for z in policy.records(BorderZone) for c in z.ports}
    assert codes <= set(policy.ports)


def test_the_law_is_built_once_per_epoch_and_each_day_keeps_its_own_date(
        policy: Policy) -> None:
    """Days between two dates of change share one epoch; a date of effect opens a new one."""
    fee = "i94.additional_fee_usd"
    eve, day_of_effect = date(2025, 9, 29), date(2025, 9, 30)
    assert policy.epoch(eve) != policy.epoch(day_of_effect)
    assert policy.epoch(day_of_effect) == policy.epoch(date(2025, 10, 1))
    shared, next_day = policy.in_force(day_of_effect), policy.in_force(date(2025, 10, 1))
    assert (shared.on, next_day.on) == (day_of_effect, date(2025, 10, 1))
    assert next_day.parameters is shared.parameters  # built once for the epoch
    assert (policy.in_force(eve).value(fee), next_day.value(fee)) == (None, 24)
    # Law's choice of the provision each rule cites is shared the same way.
    before = Law(policy, date(2009, 1, 17)).provisions[ids.BIO_EXEMPT_AGE]
    after = Law(policy, date(2009, 1, 18)).provisions[ids.BIO_EXEMPT_AGE]
    assert (before.citation, after.citation) == ("8 CFR 235.1(d)(1)(iv)(A)",
                                                 "8 CFR 235.1(f)(1)(iv)(A)")
    assert Law(policy, date(2009, 1, 19)).provisions is Law(policy, date(2009, 1, 18)).provisions
