"""The pure retention schedule (EES Art. 34 overlay): period ends, notice windows, holds."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from nseers.rules.policy.parameters import RetentionPeriod
from nseers.rules.policy.schema import Parameter
from nseers.rules.policy.store import default_policy
from nseers.rules.retention import months_after, months_before, period_end, schedule_file

AS_OF = date(2026, 1, 15)


def _rules() -> dict[str, Parameter | None]:
    policy = default_policy()
    return {"entry_exit": policy.parameter("retention.ees_entry_exit", AS_OF),
            "overstay": policy.parameter("retention.ees_overstay", AS_OF),
            "refusal": policy.parameter("retention.ees_refusal", AS_OF)}


def test_three_years_and_a_day_after_an_exit_on_a_leap_day_ends_on_the_second_of_march(
        ) -> None:
    assert period_end(RetentionPeriod(years=3, days=1), date(2020, 2, 29)) == date(2023, 3, 2)


def test_months_are_clamped_to_the_last_day_of_a_shorter_month() -> None:
    assert months_before(date(2026, 5, 31), 3) == date(2026, 2, 28)
    assert months_after(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert months_after(date(2026, 1, 15), 3) == date(2026, 4, 15)


def test_the_policy_in_force_before_the_ees_start_has_no_period() -> None:
    policy = default_policy()
    assert policy.parameter("retention.ees_entry_exit", date(2025, 10, 11)) is None
    assert policy.parameter("retention.ees_overstay", date(2025, 10, 12)) is not None


def test_a_file_is_due_on_the_day_its_period_ends_and_not_the_day_before() -> None:
    rules = _rules()
    anchors = {"entry_exit": date(2022, 10, 1)}
    assert schedule_file(anchors, rules, as_of=date(2025, 10, 1)).status == "kept"
    day = schedule_file(anchors, rules, as_of=date(2025, 10, 2))
    assert (day.status, day.due_on, day.rule) == ("due", date(2025, 10, 2),
                                                  "retention.ees_entry_exit")


def test_the_latest_end_of_any_record_in_the_file_governs() -> None:
    schedule = schedule_file({"entry_exit": date(2010, 1, 1), "refusal": date(2024, 6, 1)},
                             _rules(), as_of=AS_OF)
    assert (schedule.status, schedule.rule) == ("kept", "retention.ees_refusal")


def test_an_open_admission_keeps_the_whole_file() -> None:
    schedule = schedule_file({"entry_exit": date(2005, 1, 1), "overstay": None}, _rules(),
                             as_of=AS_OF)
    assert schedule.status == "open"


def test_an_overstayer_is_noticed_first_and_a_late_notice_delays_erasure() -> None:
    rules = _rules()
    anchors = {"overstay": date(2015, 6, 30)}
    assert schedule_file(anchors, rules, as_of=AS_OF).status == "notice"
    noticed = schedule_file(anchors, rules, as_of=date(2026, 4, 14), notice_given_on=AS_OF)
    assert (noticed.status, noticed.erase_on) == ("notified", date(2026, 4, 15))
    assert schedule_file(anchors, rules, as_of=date(2026, 4, 15),
                         notice_given_on=AS_OF).status == "due"


def test_a_hold_shows_a_due_file_as_held() -> None:
    schedule = schedule_file({"entry_exit": date(2005, 1, 1)}, _rules(), as_of=AS_OF,
                             held=True)
    assert schedule.status == "held"
    assert schedule.explain()["citation"] == "Regulation (EU) 2017/2226 Art. 34(1)-(2)"


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 4000))
def test_being_due_is_monotone_in_the_run_date(exit_on: date, later: int) -> None:
    rules = _rules()
    first = schedule_file({"entry_exit": exit_on}, rules, as_of=AS_OF)
    second = schedule_file({"entry_exit": exit_on}, rules, as_of=AS_OF + timedelta(days=later))
    if first.status == "due":
        assert second.status == "due"
