"""Age and anniversary arithmetic, with the 29 February convention."""

from __future__ import annotations

from datetime import date

import pytest

from nseers.core.dates import age_on, anniversary, same_day_in_year


@pytest.mark.parametrize(("born", "on", "age"), [
    (date(1990, 6, 15), date(2004, 6, 14), 13),
    (date(1990, 6, 15), date(2004, 6, 15), 14),
    (date(1988, 2, 29), date(2002, 2, 28), 13),
    (date(1988, 2, 29), date(2002, 3, 1), 14),
    (date(1988, 2, 29), date(2004, 2, 29), 16),
])
def test_age_counts_whole_years_and_a_leap_day_birthday_falls_on_1_march(
        born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def test_an_anniversary_of_29_february_falls_on_1_march_in_a_common_year() -> None:
    assert anniversary(date(2004, 2, 29), 1) == date(2005, 3, 1)
    assert anniversary(date(2004, 2, 29), 4) == date(2008, 2, 29)
    assert same_day_in_year(date(2003, 12, 31), 2004) == date(2004, 12, 31)
