"""The stay calculator: admit-until, duration of status with grace, and the EES 90/180
overlay, counted day by day (nseers.rules.stay)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nseers.core.errors import InvalidInputError
from nseers.rules.engine import Engine
from nseers.rules.stay import Stay, authorised_stay, rolling_window

ON = date(2026, 3, 1)


def day(text: str) -> date:
    return date.fromisoformat(text)


def test_on_the_admit_until_date_no_days_remain_and_the_next_day_is_one_over(
        engine: Engine) -> None:
    until = day("2026-03-10")
    before = authorised_stay(engine.law(day("2026-03-09")), admit_until=until)
    on = authorised_stay(engine.law(until), admit_until=until)
    after = authorised_stay(engine.law(day("2026-03-11")), admit_until=until)
    assert (before.standing, before.days_remaining) == ("within", 1)
    assert (on.standing, on.days_remaining, on.days_over) == ("within", 0, None)
    assert (after.standing, after.days_over, after.days_remaining) == ("over", 1, None)
    assert on.reasons[0].rule == "stay.admit_until"
    assert on.reasons[0].values == {"admit_until": until, "on": until}


@pytest.mark.parametrize(("admission_class", "grace"), [("F1", 60), ("M-1", 30), ("J1", 30)])
def test_duration_of_status_ends_the_class_grace_period_after_the_program(
        engine: Engine, admission_class: str, grace: int) -> None:
    program_end = day("2026-01-15")
    answer = authorised_stay(engine.law(ON), duration_of_status=True,
                             admission_class=admission_class, program_end=program_end)
    assert answer.last_day == program_end + timedelta(days=grace)
    reason = answer.reasons[0]
    # The grace period is the entry_exit policy's own parameter, cited as in force.
    assert reason.values is not None
    assert reason.values["grace_days"] == grace
    assert reason.citation.startswith("8 CFR 214.2(")


def test_a_duration_of_status_admission_without_a_program_end_has_no_date_to_count_to(
        engine: Engine) -> None:
    answer = authorised_stay(engine.law(ON), duration_of_status=True, admission_class="F1")
    assert (answer.standing, answer.last_day, answer.days_remaining) == (
        "open_ended", None, None)
    assert "60 days after the program ends" in answer.reasons[0].text


def test_a_duration_of_status_class_with_no_grace_period_is_open_ended(
        engine: Engine) -> None:
    answer = authorised_stay(engine.law(ON), duration_of_status=True, admission_class="A1",
                             program_end=day("2026-01-01"))
    assert answer.standing == "open_ended"
    assert "no grace period" in answer.reasons[0].text


def test_an_admission_with_neither_date_nor_status_is_refused_naming_the_field(
        engine: Engine) -> None:
    with pytest.raises(InvalidInputError) as refused:
        authorised_stay(engine.law(ON))
    assert refused.value.problems[0].path == "admit_until"


def test_the_days_of_entry_and_exit_both_count(engine: Engine) -> None:
    window = rolling_window(engine.law(ON), [Stay(day("2026-02-10"), day("2026-02-12"))])
    assert window is not None
    counted = [d for d in window.days if d.counted]
    assert [d.day for d in counted] == [day("2026-02-10"), day("2026-02-11"),
                                        day("2026-02-12")]
    assert "day of entry" in counted[0].why
    assert "day of exit" in counted[2].why
    assert "present during" in counted[1].why
    assert window.days_used == 3
    assert window.days_left == 87


def test_a_day_trip_counts_as_one_day(engine: Engine) -> None:
    window = rolling_window(engine.law(ON), [Stay(day("2026-02-10"), day("2026-02-10"))])
    assert window is not None
    assert window.days_used == 1
    assert "entry and exit" in next(d.why for d in window.days if d.counted)


def test_the_window_is_the_day_itself_and_the_179_days_before(engine: Engine) -> None:
    first = ON - timedelta(days=179)
    law = engine.law(ON)
    inside = rolling_window(law, [Stay(first, first)])
    outside = rolling_window(law, [Stay(first - timedelta(days=1), first - timedelta(days=1))])
    assert inside is not None
    assert outside is not None
    assert inside.window_start == first
    assert len(inside.days) == 180
    assert (inside.days_used, outside.days_used) == (1, 0)
    assert outside.days[0].why == "not present"


def test_a_stay_straddling_the_window_start_counts_only_its_days_inside(
        engine: Engine) -> None:
    start = ON - timedelta(days=179)
    window = rolling_window(engine.law(ON), [Stay(start - timedelta(days=10),
                                                  start + timedelta(days=4))])
    assert window is not None
    assert window.days_used == 5


def test_overlapping_stays_count_each_day_once(engine: Engine) -> None:
    window = rolling_window(engine.law(ON), [Stay(day("2026-02-01"), day("2026-02-10")),
                                             Stay(day("2026-02-05"), day("2026-02-14"))])
    assert window is not None
    assert window.days_used == 14


def test_the_91st_day_in_the_window_is_one_day_over(engine: Engine) -> None:
    entered = ON - timedelta(days=90)
    window = rolling_window(engine.law(ON), [Stay(entered)])  # still in: 91 days today
    assert window is not None
    assert (window.days_used, window.days_over, window.days_left) == (91, 1, 0)
    assert window.last_day_of_stay is None


def test_a_traveller_still_in_learns_the_last_day_they_may_stay(engine: Engine) -> None:
    # 45 days last autumn and 10 days so far: 35 more days before the count passes 90.
    window = rolling_window(engine.law(ON), [Stay(day("2025-11-01"), day("2025-12-15")),
                                             Stay(day("2026-02-20"))])
    assert window is not None
    assert window.days_used == 55
    assert window.last_day_of_stay == ON + timedelta(days=35)


def test_the_overlay_is_not_applied_before_the_ees_started(engine: Engine) -> None:
    assert rolling_window(engine.law(day("2025-10-11")), [Stay(day("2025-10-01"))]) is None
    assert rolling_window(engine.law(day("2025-10-12")), [Stay(day("2025-10-01"))]) \
        is not None


def test_a_stay_that_ends_before_it_begins_is_refused_naming_the_stay(engine: Engine) -> None:
    with pytest.raises(InvalidInputError) as refused:
        rolling_window(engine.law(ON), [Stay(day("2026-02-10")),
                                        Stay(day("2026-02-10"), day("2026-02-09"))])
    assert [p.path for p in refused.value.problems] == ["stays[1].left_on"]


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 60)), max_size=6))
def test_the_count_is_the_number_of_distinct_days_present_in_the_window(
        spans: list[tuple[int, int]]) -> None:
    law = Engine().law(ON)
    stays = [Stay(ON - timedelta(days=back), min(ON, ON - timedelta(days=back) +
                                                 timedelta(days=length)))
             for back, length in spans]
    window = rolling_window(law, stays)
    assert window is not None
    present = {s.entered_on + timedelta(days=i)
               for s in stays for i in range(((s.left_on or ON) - s.entered_on).days + 1)}
    expected = {d for d in present if ON - timedelta(days=179) <= d <= ON}
    assert window.days_used == len(expected)
    assert {d.day for d in window.days if d.counted} == expected
