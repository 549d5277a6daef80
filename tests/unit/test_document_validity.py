"""Primary inspection flags an expired passport or visa, with its citation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nseers.rules.engine import Engine

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "iranian_canadian_dual_2003.json"


def inspection(engine: Engine, documents: list[dict[str, Any]]) -> dict[str, Any]:
    raw = json.loads(EXAMPLE.read_text())
    raw["documents"] = documents
    result: dict[str, Any] = engine.evaluate_raw(raw).to_dict()["determinations"]["inspection"]
    return result


def test_a_passport_that_expired_before_the_arrival_is_flagged_with_its_citation(
        engine: Engine) -> None:
    answer = inspection(engine, [{"kind": "passport", "issuer": "IRN",
                                  "date_of_expiry": "1999-01-01"}, {"kind": "visa", "class": "B2"}])
    assert answer["outcome"] == "inspect_as_alien"
    flag = next(r for r in answer["reasons"] if r["rule"] == "inspection.document_expired")
    assert flag["citation"].startswith("INA 212(a)(7)(B)(i)")
    assert flag["values"]["date_of_expiry"] == "1999-01-01"


def test_a_passport_valid_on_the_day_of_arrival_is_not_flagged(engine: Engine) -> None:
    for expiry in ("2003-06-15", "2009-01-01"):
        answer = inspection(engine, [{"kind": "passport", "issuer": "IRN",
                                      "date_of_expiry": expiry}])
        assert "inspection.document_expired" not in {r["rule"] for r in answer["reasons"]}


def test_an_expired_visa_is_flagged_too(engine: Engine) -> None:
    answer = inspection(engine, [{"kind": "passport", "issuer": "IRN"},
                                 {"kind": "visa", "class": "B2", "date_of_expiry": "2003-06-14"}])
    flags = [r for r in answer["reasons"] if r["rule"] == "inspection.document_expired"]
    assert [f["values"]["document"] for f in flags] == ["visa"]
