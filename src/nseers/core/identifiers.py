"""Formats of the identifiers the registry issues.

Each carries a Luhn check digit so that a number read over the telephone or typed from a
printed notice is checked before it is looked up.
"""

from __future__ import annotations


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of a string of digits."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def format_fin(number: int) -> str:
    """A Fingerprint Identification Number: ten digits and a check digit."""
    body = f"{number:010d}"
    return body + luhn_digit(body)


def format_i94_number(number: int) -> str:
    """An I-94 admission number in the eleven-character form used since 2013: nine digits,
    a letter and a check digit (``000000001A8``)."""
    body = f"{number:09d}"
    return f"{body}A{luhn_digit(body)}"


def format_permit_number(number: int) -> str:
    """A boat landing permit number."""
    body = f"{number:08d}"
    return f"I68-{body}{luhn_digit(body)}"


def is_valid_check_digit(identifier: str) -> bool:
    """Whether the last digit of ``identifier``'s digits is the Luhn digit of the rest."""
    digits = "".join(c for c in identifier if c.isdigit())
    return len(digits) >= 2 and luhn_digit(digits[:-1]) == digits[-1]
