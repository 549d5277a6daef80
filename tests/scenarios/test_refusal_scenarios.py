"""Runs ``refusals/refusals.yaml``: the refusal-of-entry combinations, written so a lawyer can
read them (issue 17). Kept beside, not in, the evaluation-contract suites of this folder,
because a refusal is not a case of the contract: its input is the grounds, the procedure
and the disposition, and its output whether the law allows them together."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from nseers.core.errors import InvalidInputError
from nseers.rules.engine import Engine
from nseers.rules.refusals import assess_refusal

SCENARIOS = yaml.safe_load((Path(__file__).parent / "refusals" / "refusals.yaml")
                           .read_text(encoding="utf-8"))["scenarios"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_refusal_scenario(engine: Engine, scenario: dict[str, Any]) -> None:
    on = scenario["date"] if isinstance(scenario["date"], date) else \
        date.fromisoformat(scenario["date"])
    given, expected = scenario["input"], scenario["output"]
    law = engine.law(on)
    if expected["allowed"]:
        assessment = assess_refusal(law, given["grounds"], given["procedure"],
                                    given["disposition"])
        cited = [r.citation for r in assessment.reasons] + \
            [g["citation"] for g in assessment.grounds] + [assessment.procedure["citation"]]
        assert set(expected.get("citations", [])) <= set(cited)
        assert all(r.rule and r.citation and r.source and r.text for r in assessment.reasons)
        return
    with pytest.raises(InvalidInputError) as raised:
        assess_refusal(law, given["grounds"], given["procedure"], given["disposition"])
    problems = {p.path: p.message for p in raised.value.problems}
    assert sorted(problems) == sorted(expected["fields"])
    if "message" in expected:
        assert any(expected["message"] in message for message in problems.values())
