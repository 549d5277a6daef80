"""Primary inspection flags what cannot be right (issue 15): a nationality or issuer that
is no ICAO code, and a class of admission the regulations do not establish, each with a
cited reason; well-formed cases get no such flag."""

from __future__ import annotations

from typing import Any

import pytest

from nseers.rules.case import parse_case
from nseers.rules.engine import Engine
from nseers.rules.policy.store import default_policy

ENGINE = Engine(default_policy())


def _case(citizenship: str = "FRA", issuer: str = "FRA", admission_class: str = "B2",
          visa_class: str = "B2") -> dict[str, Any]:
    return {"event": "arrival", "date": "2003-06-15", "port": {"code": "JFK"},
            "traveler": {"claimed_status": "nonimmigrant", "citizenships": [citizenship],
                         "date_of_birth": "1970-01-01", "sex": "F"},
            "documents": [{"kind": "passport", "issuer": issuer},
                          {"kind": "visa", "issuer": "USA", "class": visa_class}],
            "admission_class": admission_class}


def _flags(raw: dict[str, Any]) -> list[tuple[str, Any]]:
    reasons = ENGINE.evaluate(parse_case(raw)).determinations["inspection"].reasons
    return [(r.rule, r.values) for r in reasons
            if r.rule in ("inspection.unknown_code", "inspection.unknown_admission_class")]


def test_a_well_formed_case_has_no_flag() -> None:
    assert _flags(_case()) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"citizenship": "XYZ"}, [("inspection.unknown_code",
                               {"field": "citizenship", "code": "XYZ"})]),
    ({"issuer": "ZZZ"}, [("inspection.unknown_code",
                          {"field": "passport issuer", "code": "ZZZ"})]),
    ({"admission_class": "ZZ9", "visa_class": "ZZ9"}, [
        ("inspection.unknown_admission_class", {"field": "class of admission",
                                                "class": "ZZ9"}),
        ("inspection.unknown_admission_class", {"field": "visa class", "class": "ZZ9"})]),
])
def test_impossible_codes_are_flagged_with_the_field(changes: dict[str, str],
                                                     expected: list[tuple[str, Any]]) -> None:
    assert _flags(_case(**changes)) == expected


def test_the_flag_cites_the_law_and_the_standard() -> None:
    reasons = ENGINE.evaluate(parse_case(_case(citizenship="XYZ", admission_class="ZZ9"))
                              ).determinations["inspection"].reasons
    cited = {r.rule: r.citation for r in reasons}
    assert "ICAO Doc 9303" in cited["inspection.unknown_code"]
    assert "8 CFR 214.1(a)(2)" in cited["inspection.unknown_admission_class"]
