"""The MRZ character set and check digits: ICAO Doc 9303 Part 3, Sections 4.3 and 4.9.

An MRZ holds only ``A``-``Z``, ``0``-``9`` and the filler ``<``. A check digit is the sum of
the character values (digits their value, ``A`` = 10 ... ``Z`` = 35, ``<`` = 0) weighted
7, 3, 1, 7, 3, 1, ... from the field's first character, modulo 10.

The weighted values are precomputed as byte translation tables, so a check digit costs a
few slices and sums done in C rather than a Python loop over characters: parsing is meant
to run at over 100,000 MRZs a second on one core.
"""

from __future__ import annotations

from typing import Final

DIGITS: Final = "0123456789"
LETTERS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
FILLER: Final = "<"
#: Every character an MRZ may hold (Doc 9303 Part 3, 4.3).
ALPHABET: Final = DIGITS + LETTERS + FILLER
LETTERS_AND_FILLER: Final = LETTERS + FILLER

#: Character values for check digits (Doc 9303 Part 3, 4.9).
VALUES: Final[dict[str, int]] = {c: i for i, c in enumerate(DIGITS + LETTERS)} | {FILLER: 0}

WEIGHTS: Final = (7, 3, 1)


def _table(weight: int) -> bytes:
    table = bytearray(256)
    for character, value in VALUES.items():
        table[ord(character)] = value * weight % 10
    return bytes(table)


#: Byte translation tables: a character's value times 7, 3 and 1, modulo 10.
WEIGHTED: Final = (_table(7), _table(3), _table(1))


def check_digit(data: str) -> int:
    """The check digit of ``data`` (characters of the MRZ alphabet only).

    >>> check_digit("L898902C3")
    6
    >>> check_digit("<<<<<<<<<<<<<<")
    0
    """
    raw = data.encode("ascii")
    t7, t3, t1 = WEIGHTED
    return (sum(raw[0::3].translate(t7)) + sum(raw[1::3].translate(t3))
            + sum(raw[2::3].translate(t1))) % 10


def weighted_sum(tables: tuple[bytes, bytes, bytes], start: int, end: int,
                 phase: int = 0) -> int:
    """Sum of the weighted values of ``line[start:end]``, given the line's translations.

    ``tables`` holds the line translated by each of :data:`WEIGHTED`; ``phase`` is the
    position of ``start`` within the weighted run (0 when the run begins at ``start``).
    """
    first, second, third = tables[phase], tables[(phase + 1) % 3], tables[(phase + 2) % 3]
    return (sum(first[start:end:3]) + sum(second[start + 1:end:3])
            + sum(third[start + 2:end:3]))


def translations(line: str) -> tuple[bytes, bytes, bytes]:
    """``line`` (MRZ alphabet only) translated by each of the weighted tables."""
    raw = line.encode("ascii")
    t7, t3, t1 = WEIGHTED
    return raw.translate(t7), raw.translate(t3), raw.translate(t1)
