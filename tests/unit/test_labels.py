"""Codes in words from one vocabulary (issue 15)."""

from __future__ import annotations

import pytest

from nseers.core.labels import label


@pytest.mark.parametrize(("code", "words"), [
    ("lpr", "Lawful permanent resident"), ("i94", "Form I-94"), ("us_citizen", "U.S. citizen"),
    ("thirty_day_report", "30-day report"), ("non_compliant", "Not compliant"),
    ("not_required", "Not required"), ("LPR", "Lawful permanent resident"), (None, ""),
])
def test_codes_read_as_words(code: str | None, words: str) -> None:
    assert label(code) == words
