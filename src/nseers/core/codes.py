"""Codes used across the system: admission classes and country codes.

Officers write admission classes with or without punctuation (``B-2``, ``B2``, ``NATO-2``);
the system compares them in one canonical form.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[^A-Z0-9]")
_FAMILY = re.compile(r"^[A-Z]+")
_ALPHA3 = re.compile(r"^[A-Z]{3}$")


def canonical_class(admission_class: str) -> str:
    """``"b-2"`` -> ``"B2"``; ``"NATO-6"`` -> ``"NATO6"``."""
    return _PUNCTUATION.sub("", admission_class.upper())


def class_family(admission_class: str) -> str:
    """The letters of a canonical class: ``"A3"`` -> ``"A"``, ``"NATO2"`` -> ``"NATO"``."""
    match = _FAMILY.match(admission_class)
    return match.group(0) if match else ""


def is_alpha3(code: str) -> bool:
    """Whether ``code`` has the form of an ISO 3166-1 alpha-3 code (three capitals)."""
    return bool(_ALPHA3.match(code))
