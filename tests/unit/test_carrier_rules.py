"""The carrier check's rules: each ground on both sides of its boundary date."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nseers.rules.carrier import (
    GROUNDS,
    BoardingFacts,
    CarrierPolicyMissingError,
    Stay,
    decide_boarding,
    no_record,
    unlawful_presence_days,
)
from nseers.rules.engine import Engine
from nseers.rules.policy.parameters import CarrierReasonCodes

TRAVEL = date(2026, 12, 1)
ENGINE = Engine()


def _decide(facts: BoardingFacts, on: date = TRAVEL) -> tuple[str, tuple[str, ...]]:
    decision = decide_boarding(facts, Engine().law(on))
    return decision.answer, decision.grounds


def test_a_traveller_who_left_in_time_may_board() -> None:
    facts = BoardingFacts(date(1980, 2, 2), date(2030, 1, 1),
                          (Stay(date(2024, 5, 1), date(2024, 10, 31), date(2024, 10, 20)),))
    decision = decide_boarding(facts, Engine().law(TRAVEL))
    assert decision.for_carrier() == {"answer": "ok_to_board", "reason_codes": []}
    assert [r.rule for r in decision.reasons] == ["carrier.ok_to_board"]


def test_a_passport_expiring_on_the_day_of_travel_is_valid_that_day_only() -> None:
    facts = BoardingFacts(date(1980, 2, 2), TRAVEL)
    assert _decide(facts) == ("ok_to_board", ())
    assert _decide(facts, date(2026, 12, 2)) == ("not_ok_to_board", ("document_expired",))


def test_an_open_stay_past_its_admit_until_date_is_not_ok_and_duration_of_status_is() -> None:
    open_stay = BoardingFacts(None, None, (Stay(date(2026, 1, 10), date(2026, 7, 9), None),))
    assert _decide(open_stay) == ("not_ok_to_board", ("overstay_without_departure",))
    assert _decide(open_stay, date(2026, 7, 9)) == ("ok_to_board", ())
    ds = BoardingFacts(None, None, (Stay(date(2020, 8, 20), None, None),))
    assert _decide(ds) == ("ok_to_board", ())


def test_unlawful_presence_counts_from_the_day_after_admit_until_through_the_departure() -> None:
    stay = Stay(date(2023, 1, 1), date(2023, 6, 30), date(2023, 7, 1))
    assert unlawful_presence_days(stay, None, date(1997, 4, 1), 18) == 1
    assert unlawful_presence_days(Stay(date(2023, 1, 1), date(2023, 6, 30), date(2023, 6, 30)),
                                  None, date(1997, 4, 1), 18) == 0


def test_more_than_180_days_then_a_departure_bars_for_three_years_to_the_anniversary() -> None:
    # 2023-06-30 + 181 days = 2023-12-28: 181 days of unlawful presence.
    barred = BoardingFacts(None, None, (Stay(date(2023, 1, 1), date(2023, 6, 30),
                                             date(2023, 12, 28)),))
    assert _decide(barred) == ("not_ok_to_board", ("unlawful_presence_bar",))
    assert _decide(barred, date(2026, 12, 27)) == ("not_ok_to_board", ("unlawful_presence_bar",))
    assert _decide(barred, date(2026, 12, 28)) == ("ok_to_board", ())
    # 180 days: no bar.
    short = BoardingFacts(None, None, (Stay(date(2023, 1, 1), date(2023, 6, 30),
                                            date(2023, 12, 27)),))
    assert _decide(short) == ("ok_to_board", ())


def test_a_year_of_unlawful_presence_bars_for_ten_years() -> None:
    facts = BoardingFacts(None, None, (Stay(date(2018, 1, 1), date(2018, 6, 30),
                                            date(2019, 6, 30)),))
    decision = decide_boarding(facts, Engine().law(TRAVEL))
    assert decision.grounds == ("unlawful_presence_bar",)
    assert decision.reasons[0].values is not None
    assert decision.reasons[0].values["bar_years"] == 10
    assert decision.reasons[0].citation.startswith("INA 212(a)(9)(B)(i)")
    assert _decide(facts, date(2029, 6, 30)) == ("ok_to_board", ())


def test_days_before_the_eighteenth_birthday_are_not_unlawful_presence() -> None:
    stay = Stay(date(2023, 1, 1), date(2023, 6, 30), date(2024, 1, 15))
    assert _decide(BoardingFacts(date(1990, 1, 1), None, (stay,)))[0] == "not_ok_to_board"
    # Eighteen on 2023-09-01: only 137 days count.
    assert _decide(BoardingFacts(date(2005, 9, 1), None, (stay,))) == ("ok_to_board", ())


def test_no_unlawful_presence_is_counted_before_iirira_took_effect() -> None:
    stay = Stay(date(1996, 1, 1), date(1996, 6, 30), date(1997, 9, 1))
    assert unlawful_presence_days(stay, None, date(1997, 4, 1), 18) == 154


def test_a_removal_bars_for_five_years_and_not_a_day_more() -> None:
    facts = BoardingFacts(None, None, removals=(date(2022, 3, 1),))
    assert _decide(facts) == ("not_ok_to_board", ("removal_bar",))
    assert _decide(facts, date(2027, 3, 1)) == ("ok_to_board", ())


def test_every_ground_has_a_carrier_code_and_status_grounds_share_one() -> None:
    codes = Engine().law(TRAVEL).value("carrier.reason_codes")
    assert isinstance(codes, CarrierReasonCodes)
    assert set(GROUNDS) == {field.name for field in dataclasses.fields(CarrierReasonCodes)}
    facts = BoardingFacts(None, date(2026, 1, 1),
                          (Stay(date(2026, 1, 10), date(2026, 7, 9), None),),
                          removals=(date(2024, 1, 1),))
    decision = decide_boarding(facts, Engine().law(TRAVEL))
    assert decision.grounds == ("document_expired", "overstay_without_departure",
                                "removal_bar")
    assert decision.reason_codes == ("document_not_valid", "contact_border_authority")


def test_no_record_and_a_date_before_the_overlay_are_told_apart() -> None:
    assert no_record(Engine().law(TRAVEL)).for_carrier() == {"answer": "no_record",
                                                             "reason_codes": []}
    with pytest.raises(CarrierPolicyMissingError):
        no_record(Engine().law(date(2020, 1, 1)))


@given(admit_until=st.dates(date(1998, 1, 1), date(2025, 12, 31)),
       first=st.integers(0, 4000), extra=st.integers(0, 2000),
       travel_after=st.integers(0, 4000))
def test_staying_longer_never_turns_a_bar_into_ok(admit_until: date, first: int, extra: int,
                                                 travel_after: int) -> None:
    """A later departure means more unlawful presence and a later end of any bar."""
    early = admit_until + timedelta(days=first)
    late = early + timedelta(days=extra)
    # Carriers ask under the overlay, in force from 2025-10-12.
    travel = max(late + timedelta(days=travel_after), date(2025, 10, 12))
    law = ENGINE.law(travel)

    def answer(departed: date) -> str:
        stay = Stay(admit_until - timedelta(days=90), admit_until, departed)
        return decide_boarding(BoardingFacts(None, None, (stay,)), law).answer

    if answer(early) == "not_ok_to_board":
        assert answer(late) == "not_ok_to_board"
