"""Cases whose facts cannot be true, or whose date the policy holds no law for, are refused.

The evaluation contract: a date of birth after the event, a document that expires before it
was issued, and a date before the policy's coverage are malformed cases (exit 2, HTTP 422)
naming the field, never judged under a later law or with a negative age.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nseers.cli.main import app
from nseers.rules.policy.store import default_policy

EXAMPLE = Path(__file__).parent.parent.parent / "examples" / "iranian_canadian_dual_2003.json"
runner = CliRunner()


def case(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = json.loads(EXAMPLE.read_text())
    base.update(changes)
    return base


def refusal(raw: dict[str, Any]) -> str:
    result = runner.invoke(app, ["evaluate", "-"], input=json.dumps(raw))
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    return result.stderr


def test_the_coverage_of_the_built_in_policy_begins_with_its_earliest_provision() -> None:
    assert default_policy().coverage_from is not None
    assert default_policy().coverage_from.isoformat() == "1996-09-05"


@pytest.mark.parametrize("day", ["1990-01-01", "1951-06-30", "0001-01-01", "1996-09-04"])
def test_a_date_before_the_policys_coverage_is_refused_naming_the_coverage(day: str) -> None:
    raw = case(date=day)
    raw["traveler"] = {**raw["traveler"], "date_of_birth": None}
    assert f"date: {day} is before the law this policy holds (from 1996-09-05)" in refusal(raw)


def test_the_first_day_of_coverage_is_evaluated() -> None:
    result = runner.invoke(app, ["evaluate", "-"], input=json.dumps(case(date="1996-09-05")))
    assert result.exit_code == 0, result.stderr


def test_a_birth_after_the_event_is_refused_instead_of_a_negative_age() -> None:
    raw = case()
    raw["traveler"] = {**raw["traveler"], "date_of_birth": "2008-01-01"}
    assert "traveler.date_of_birth: 2008-01-01 is after the event's date 2003-06-15" in \
        refusal(raw)


def test_a_registration_after_the_event_is_refused() -> None:
    raw = case(registration={"basis": "designated_nationality", "date": "2004-01-01"})
    assert "registration.date: 2004-01-01 is after the event's date 2003-06-15" in refusal(raw)


def test_a_document_that_expires_before_it_was_issued_is_refused() -> None:
    raw = case(documents=[{"kind": "passport", "issuer": "IRN", "date_of_issue": "2001-05-01",
                           "date_of_expiry": "2000-05-01"}])
    expected = "documents[0].date_of_expiry: 2000-05-01 is before the document was issued"
    assert f"{expected} (2001-05-01)" in refusal(raw)


def test_a_document_issued_after_the_event_is_refused() -> None:
    raw = case(documents=[{"kind": "passport", "issuer": "IRN", "date_of_issue": "2004-05-01"}])
    assert "documents[0].date_of_issue: 2004-05-01 is after the event's date 2003-06-15" in \
        refusal(raw)


def test_a_document_with_consistent_dates_is_evaluated() -> None:
    raw = case(documents=[{"kind": "passport", "issuer": "IRN", "date_of_issue": "2001-05-01",
                           "date_of_expiry": "2011-05-01"}, {"kind": "visa", "class": "B2"}])
    result = runner.invoke(app, ["evaluate", "-"], input=json.dumps(raw))
    assert result.exit_code == 0, result.stderr
