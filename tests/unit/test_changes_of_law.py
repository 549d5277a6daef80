"""Reasons name the change of law that explains an answer, on both sides of its date.

After every country was delisted (2011-04-28, 76 FR 23830) and after the regulation was
removed (2016-12-23, 81 FR 94231), "not registered" must cite that change, not a generic
"no ground" citing the 2002 rule.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nseers.rules.engine import Engine

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "iranian_canadian_dual_2003.json"


def registration_reasons(engine: Engine, on: str, **circumstances: bool) -> list[dict[str, Any]]:
    raw = json.loads(EXAMPLE.read_text())
    raw["date"] = on
    raw["circumstances"] = {**raw.get("circumstances", {}), **circumstances}
    result = engine.evaluate_raw(raw).to_dict()
    special = result["determinations"]["special_registration"]
    assert special["outcome"] == "not_required"
    reasons: list[dict[str, Any]] = special["reasons"]
    return reasons


@pytest.mark.parametrize(("on", "rule", "source"), [
    ("2011-04-28", "special_registration.countries_delisted", "76 FR 23830"),
    ("2016-12-22", "special_registration.countries_delisted", "76 FR 23830"),
    ("2016-12-23", "special_registration.framework_removed", "81 FR 94231"),
    ("2026-11-24", "special_registration.framework_removed", "81 FR 94231"),
])
def test_not_registered_after_a_change_of_law_cites_that_change(
        engine: Engine, on: str, rule: str, source: str) -> None:
    last = registration_reasons(engine, on)[-1]
    assert (last["rule"], last["source"]) == (rule, source)
    assert on in last["text"]


def test_the_removal_is_named_even_when_an_officer_designates_after_it(engine: Engine) -> None:
    rules = [r["rule"] for r in registration_reasons(engine, "2017-03-01",
                                                     officer_designation=True)]
    assert rules[-1] == "special_registration.framework_removed"


def test_before_the_delisting_a_traveller_with_no_ground_gets_the_general_reason(
        engine: Engine) -> None:
    raw = json.loads(EXAMPLE.read_text())
    raw.update(date="2005-06-15")
    raw["traveler"] = {**raw["traveler"], "citizenships": ["FRA"]}
    raw["documents"] = [{"kind": "passport", "issuer": "FRA"}, {"kind": "visa", "class": "B2"}]
    special = engine.evaluate_raw(raw).to_dict()["determinations"]["special_registration"]
    assert special["reasons"][-1]["rule"] == "special_registration.no_ground"
    assert special["reasons"][-1]["source"] == "67 FR 52584"
