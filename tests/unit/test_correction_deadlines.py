"""The time limits on a correction request, read from the dated policy data."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from nseers.rules.corrections import add_period, correction_deadlines
from nseers.rules.policy.parameters import CorrectionPeriod
from nseers.rules.policy.store import Policy


def test_ten_weekdays_from_a_friday_end_two_fridays_later() -> None:
    assert add_period(date(2026, 11, 20), CorrectionPeriod(days=10, counting="weekdays")) \
        == date(2026, 12, 4)


def test_weekdays_skip_the_weekend_after_a_thursday() -> None:
    assert add_period(date(2026, 11, 19), CorrectionPeriod(days=2, counting="weekdays")) \
        == date(2026, 11, 23)


def test_calendar_days_count_every_day() -> None:
    assert add_period(date(2026, 11, 20), CorrectionPeriod(days=30, counting="calendar")) \
        == date(2026, 12, 20)


def test_a_request_gets_the_privacy_act_acknowledgement_and_the_ees_decision_limit(
        policy: Policy) -> None:
    deadlines = correction_deadlines(policy, date(2026, 11, 20))
    assert (deadlines.acknowledge_by, deadlines.decide_by) == (date(2026, 12, 4),
                                                               date(2026, 12, 20))
    acknowledgement, decision = (r.to_dict() for r in deadlines.reasons)
    assert acknowledgement["citation"].startswith("5 U.S.C. 552a(d)(2)(A)")
    assert acknowledgement["values"]["days"] == 10
    assert "2017/2226" in decision["citation"]
    assert decision["effective"] == "2025-10-12"


def test_before_the_ees_overlay_took_effect_there_is_no_decision_deadline(
        policy: Policy) -> None:
    deadlines = correction_deadlines(policy, date(2025, 10, 11))
    assert deadlines.decide_by is None
    assert deadlines.acknowledge_by == date(2025, 10, 24)
    assert "No time limit" in deadlines.reasons[1].text
    assert correction_deadlines(policy, date(2025, 10, 12)).decide_by == date(2025, 11, 11)


def test_a_request_is_overdue_from_the_day_after_its_deadline_until_answered(
        policy: Policy) -> None:
    deadlines = correction_deadlines(policy, date(2026, 11, 20))
    assert deadlines.overdue(date(2026, 12, 4), acknowledged=False, decided=False) == []
    assert deadlines.overdue(date(2026, 12, 5), acknowledged=False, decided=False) \
        == ["acknowledgement"]
    assert deadlines.overdue(date(2026, 12, 21), acknowledged=True, decided=False) \
        == ["decision"]
    assert deadlines.overdue(date(2027, 1, 1), acknowledged=True, decided=True) == []


def test_before_the_privacy_act_took_effect_there_is_no_acknowledgement_deadline(
        policy: Policy) -> None:
    assert correction_deadlines(policy, date(1975, 9, 26)).acknowledge_by is None
    assert correction_deadlines(policy, date(1975, 9, 27)).acknowledge_by == date(1975, 10, 10)


@given(start=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
       days=st.integers(min_value=1, max_value=60))
def test_a_weekday_deadline_is_a_weekday_and_never_earlier_than_the_calendar_one(
        start: date, days: int) -> None:
    weekdays = add_period(start, CorrectionPeriod(days=days, counting="weekdays"))
    calendar = add_period(start, CorrectionPeriod(days=days, counting="calendar"))
    assert weekdays.weekday() < 5
    assert weekdays >= calendar
    # Exactly ``days`` weekdays lie after the start, up to and including the deadline.
    assert sum(1 for n in range(1, (weekdays - start).days + 1)
               if (start + timedelta(days=n)).weekday() < 5) == days
