"""Complete and partial lists of designated departure ports (8 CFR 264.1(f)).

A port missing from the loaded list is a violation only on dates the list is loaded in
full; elsewhere the answer is ``undetermined`` and names the gap (evaluation contract).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nseers.core.errors import PolicyError
from nseers.rules import ids
from nseers.rules.engine import Engine
from nseers.rules.policy.store import load_policy

COMPLETE_2005 = """\
kind: departure_port
title: A complete list for 2005 (test data)
coverage:
  - id: "test complete list"
    from: 2005-01-01
    to: 2006-01-01
    complete: true
    citation: 8 CFR 264.1(f)
    source: TEST NOTICE
    confidence: H
records:
  - id: SFO
    name: San Francisco International Airport
    from: 2005-01-01
    to: 2006-01-01
    citation: 8 CFR 264.1(f)
    source: TEST NOTICE
    confidence: H
"""


def _departure(day: str, port: str) -> dict[str, Any]:
    return {"event": "departure", "date": day, "port": {"code": port},
            "traveler": {"claimed_status": "nonimmigrant", "citizenships": ["IRN"]},
            "registration": {"basis": "designated_nationality", "date": "2002-09-20",
                             "fin": "FIN-1"},
            "departure_report": {"port_code": port, "date": day}}


def _outcome(engine: Engine, day: str, port: str) -> tuple[str, list[str], str]:
    result = engine.evaluate_raw(_departure(day, port)).determinations[
        "departure_registration"]
    return (result.outcome, [r.rule for r in result.reasons],
            " ".join(r.text for r in result.reasons))


def test_a_port_missing_from_a_partial_list_is_undetermined_and_names_the_gap() -> None:
    outcome, rules, text = _outcome(Engine(), "2005-06-01", "LAX")
    assert outcome == "undetermined"
    assert rules == [ids.DR_PORT_LIST_INCOMPLETE]
    assert "68 FR 8047" in text
    assert "2003-03-03 to 2006-08-17" in text
    assert "not a violation" in text


def test_before_any_port_is_loaded_the_gap_is_the_first_notice() -> None:
    outcome, _, text = _outcome(Engine(), "2002-10-01", "JFK")
    assert outcome == "undetermined"
    assert "67 FR 61352" in text
    assert "2002-10-01 to 2003-03-02" in text


def test_a_port_missing_from_a_complete_list_is_not_designated(tmp_path: Path) -> None:
    (tmp_path / "complete.yaml").write_text(COMPLETE_2005, encoding="utf-8")
    engine = Engine(load_policy((tmp_path,)))
    outcome, rules, text = _outcome(engine, "2005-06-01", "LAX")
    assert (outcome, rules) == ("non_compliant", [ids.DR_PORT_NOT_DESIGNATED])
    assert "loaded in full" in text
    assert _outcome(engine, "2005-06-01", "SFO")[0] == "compliant"
    # The complete list covers 2005 only: the next day after it the gap is back.
    assert _outcome(engine, "2006-01-01", "LAX")[0] == "undetermined"


def test_a_partial_list_must_name_its_gap(tmp_path: Path) -> None:
    text = COMPLETE_2005.replace("complete: true", "complete: false")
    (tmp_path / "partial.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="gap"):
        load_policy((tmp_path,))


def test_coverage_belongs_only_to_departure_port_files(tmp_path: Path) -> None:
    head = COMPLETE_2005.split("records:", maxsplit=1)[0].replace(
        "kind: departure_port", "kind: border_zone")
    (tmp_path / "zones.yaml").write_text(head + "records: []\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="only to a departure_port file"):
        load_policy((tmp_path,))
