"""The two-line fast path reads exactly what the field-by-field reading gives (issue 18).

:func:`parse_mrz` checks a two-line MRZ (TD2, TD3, MRV-A, MRV-B) through
``_two_line_checks``: line 2 translated once, each field's strided sums giving its own check
digit and its share of the composite, and the dates with their check digits read through a
cache per reference date. The reference is the reading it replaced, which tolerant mode
still uses: :func:`~nseers.documents.mrz.check_verdicts` for the check digits and
:func:`~nseers.documents.dates.read_birth` / :func:`~nseers.documents.dates.read_expiry`
for the dates. Both are compared on the examples and on generated MRZs of every format,
valid and spoiled (characters outside the alphabet, lower case, spaces, non-ASCII), against
several reference dates, with the caches cold and warm.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from nseers.documents import mrz, parse_mrz, render
from nseers.documents.dates import read_birth, read_expiry
from nseers.documents.layouts import LAYOUTS
from nseers.documents.specimen import random_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REFERENCES = (date(2024, 6, 1), date(2003, 1, 15), date(2070, 2, 28))
SPOILERS = "ABCZ0129<<<<<abzé ?-"


def _two_line_mrzs(count: int, seed: int) -> list[str]:
    """Rendered two-line MRZs, each followed by three copies with one character spoiled."""
    rng = random.Random(seed)  # noqa: S311  # reproducible test data
    texts = [(EXAMPLES / "mrz.txt").read_text(encoding="utf-8")]
    while len(texts) < count:
        mrz_format, fields = random_document(rng, mixed_numbers=0.3)
        if mrz_format == "TD1":
            continue
        text = render(mrz_format, **fields)
        texts.append(text)
        for _ in range(3):
            characters = list(text)
            index = rng.randrange(len(characters))
            if characters[index] != "\n":
                characters[index] = rng.choice(SPOILERS)
            texts.append("".join(characters))
    return texts


def test_the_fast_path_gives_the_reference_check_digits_and_dates_on_every_two_line_mrz(
) -> None:
    compared = 0
    for text in _two_line_mrzs(2_000, seed=18):
        for reference in REFERENCES:
            mrz._DATE_CACHES.clear()
            cold = parse_mrz(text, reference_date=reference)
            warm = parse_mrz(text, reference_date=reference)
            assert warm.to_dict() == cold.to_dict(), text
            if cold.format is None or cold.format == "TD1":
                continue
            layout = LAYOUTS[cold.format]
            second = cold.lines[1]
            assert cold.check_digits == mrz.check_verdicts(layout, cold.lines), text
            assert cold.fields["date_of_birth"] == read_birth(second[13:19], reference)[0]
            assert cold.fields["date_of_expiry"] == read_expiry(second[21:27], reference)[0]
            compared += 1
    assert compared > 5_000


def test_a_spoiled_date_check_digit_fails_even_when_the_date_itself_is_cached() -> None:
    text = (EXAMPLES / "mrz.txt").read_text(encoding="utf-8")
    first, second = text.split()
    reference = date(2024, 6, 1)
    assert parse_mrz(text, reference_date=reference).valid
    wrong = str((int(second[19]) + 1) % 10)
    spoiled = f"{first}\n{second[:19]}{wrong}{second[20:]}"
    reading = parse_mrz(spoiled, reference_date=reference)
    assert reading.check_digits["date_of_birth"] is False
    assert reading.check_digits["composite"] is False
    assert reading.fields["date_of_birth"] == "1990-07-01"
