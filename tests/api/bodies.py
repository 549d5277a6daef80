"""Request bodies the API tests send again and again, with sensible defaults."""

from __future__ import annotations

import copy
from typing import Any

IRANIAN: dict[str, Any] = {
    "port_code": "JFK", "occurred_at": "2003-06-15T10:00:00-05:00",
    "person": {"surname": "AHMADI", "given_names": "REZA", "surname_original": "احمدی",
               "given_names_original": "رضا", "script": "Arab", "date_of_birth": "1970-05-01",
               "sex": "M", "citizenships": ["IRN"]},
    "documents": [{"kind": "passport", "number": "X1234567", "issuer": "IRN"},
                  {"kind": "visa", "number": "12345678", "issuer": "USA",
                   "admission_class": "B2"}],
    "admission_class": "B2", "admit_until": "2003-12-14",
    "answers": {"us_address": "1 Main St, New York, NY", "purpose": "tourism"},
    "photograph_ref": "biometrics:test:photograph", "fingerprints_ref": "biometrics:test:prints",
}

VISITOR: dict[str, Any] = {
    "port_code": "IAD", "occurred_at": "2026-11-01T10:00:00-04:00",
    "person": {"surname": "MÜLLER", "given_names": "Anne", "date_of_birth": "1980-02-02",
               "sex": "F", "citizenships": ["FRA"]},
    "documents": [{"kind": "passport", "number": "P7654321", "issuer": "FRA"}],
    "admission_class": "B2", "admit_until": "2027-01-31",
}


def iranian(**changes: Any) -> dict[str, Any]:
    """A man of a designated country admitted at JFK in 2003: registered with a FIN."""
    return copy.deepcopy(IRANIAN) | changes


def visitor(**changes: Any) -> dict[str, Any]:
    """A French visitor admitted in November 2026: an I-94 until 2027-01-31."""
    return copy.deepcopy(VISITOR) | changes
