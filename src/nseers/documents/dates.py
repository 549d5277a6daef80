"""MRZ dates (``YYMMDD``) and the century each belongs to: ICAO Doc 9303 Part 3, 4.6 and
Parts 4 to 7 (the date fields of each format).

The MRZ gives two-digit years, so the century is a reading, made against a reference date
the caller passes in (never the clock):

* a date of birth is the latest date with those digits that is not after the reference
  date: nobody is born in the future, and a person born in 1925 presenting a document in
  2024 is 99, not minus one;
* a date of expiry is the date with those digits within :data:`EXPIRY_YEARS_BEFORE` years
  before and :data:`EXPIRY_YEARS_AFTER` years after the reference year: documents are
  valid for ten years or so, and an expired one may be decades old.

Doc 9303 Part 3 lets a state write fillers where the day, or the month and day, or the
whole date of birth is unknown (``74<<<<``, ``7408<<``, ``<<<<<<``); such a date is well
formed but has no calendar date.

Results are cached per reference date: a border post reads a few thousand distinct dates,
and a cache hit is far cheaper than building a :class:`~datetime.date`.
"""

from __future__ import annotations

from datetime import date
from typing import Final

EXPIRY_YEARS_BEFORE: Final = 49
EXPIRY_YEARS_AFTER: Final = 50

#: (ISO date or None, problem or None) per raw ``YYMMDD``, per reference date.
_BIRTH_CACHE: dict[date, dict[str, tuple[str | None, str | None]]] = {}
_EXPIRY_CACHE: dict[date, dict[str, tuple[str | None, str | None]]] = {}
_CACHE_LIMIT: Final = 50_000


def _cache(store: dict[date, dict[str, tuple[str | None, str | None]]],
           reference: date) -> dict[str, tuple[str | None, str | None]]:
    cache = store.get(reference)
    if cache is None or len(cache) > _CACHE_LIMIT:
        if len(store) > 8:
            store.clear()
        cache = store[reference] = {}
    return cache


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _split(raw: str) -> tuple[int, int, int] | str:
    """``(yy, mm, dd)``, or the reason ``raw`` is not six digits."""
    if len(raw) != 6 or not _digits(raw):
        return f"not a date: {raw!r} (expected YYMMDD digits)"
    return int(raw[0:2]), int(raw[2:4]), int(raw[4:6])


def _calendar(year: int, month: int, day: int, raw: str) -> tuple[str | None, str | None]:
    try:
        return date(year, month, day).isoformat(), None
    except ValueError:
        if not 1 <= month <= 12:
            return None, f"not a date: {raw!r} has month {month:02d}"
        return None, f"not a date: {raw!r} has no day {day:02d} in {year:04d}-{month:02d}"


def read_birth(raw: str, reference: date) -> tuple[str | None, str | None]:
    """The ISO date of birth ``raw`` stands for on ``reference``, and any problem with it.

    >>> read_birth("740812", date(2024, 1, 1))
    ('1974-08-12', None)
    >>> read_birth("240101", date(2024, 1, 1))
    ('2024-01-01', None)
    >>> read_birth("240102", date(2024, 1, 1))
    ('1924-01-02', None)
    >>> read_birth("7408<<", date(2024, 1, 1))
    (None, None)
    """
    try:
        return _BIRTH_CACHE[reference][raw]
    except KeyError:
        result = _birth(raw, reference)
        _cache(_BIRTH_CACHE, reference)[raw] = result
        return result


def _birth(raw: str, reference: date) -> tuple[str | None, str | None]:
    if raw == "<<<<<<":
        return None, None
    if raw[4:] == "<<" and _digits(raw[:2]) and (raw[2:4] == "<<" or _digits(raw[2:4])):
        if raw[2:4] != "<<" and not 1 <= int(raw[2:4]) <= 12:
            return None, f"not a date: {raw!r} has month {raw[2:4]}"
        return None, None
    parts = _split(raw)
    if isinstance(parts, str):
        return None, parts
    yy, month, day = parts
    year = reference.year // 100 * 100 + yy
    if (year, month, day) > (reference.year, reference.month, reference.day):
        year -= 100
    return _calendar(year, month, day, raw)


def read_expiry(raw: str, reference: date) -> tuple[str | None, str | None]:
    """The ISO date of expiry ``raw`` stands for on ``reference``, and any problem with it.

    >>> read_expiry("120415", date(2010, 6, 1))
    ('2012-04-15', None)
    >>> read_expiry("991231", date(2030, 6, 1))
    ('1999-12-31', None)
    """
    try:
        return _EXPIRY_CACHE[reference][raw]
    except KeyError:
        result = _expiry(raw, reference)
        _cache(_EXPIRY_CACHE, reference)[raw] = result
        return result


def _expiry(raw: str, reference: date) -> tuple[str | None, str | None]:
    parts = _split(raw)
    if isinstance(parts, str):
        return None, parts
    yy, month, day = parts
    year = reference.year // 100 * 100 + yy
    if year > reference.year + EXPIRY_YEARS_AFTER:
        year -= 100
    elif year < reference.year - EXPIRY_YEARS_BEFORE:
        year += 100
    return _calendar(year, month, day, raw)


def to_yymmdd(iso: str | None) -> str:
    """An ISO date as the MRZ writes it; ``None`` (unknown) as six fillers."""
    if iso is None:
        return "<<<<<<"
    return iso[2:4] + iso[5:7] + iso[8:10]
