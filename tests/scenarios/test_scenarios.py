"""Runs the YAML scenario suites of this folder: the law, written so a lawyer can read it.

Each ``*.yaml`` file holds one area of the law (``area``) and its ``scenarios``. A scenario
has a ``name`` (a sentence), the ``citation`` it tests, a ``date``, an ``input`` and the
expected ``output``. Every scenario becomes one pytest test, named after the scenario.

Areas that go through the evaluation contract (inspection, special registration,
biometrics, I-94, departure registration) take a partial contract case as ``input``: it is
laid over :data:`BASE_CASE` and over the file's ``defaults`` (mappings merge key by key;
lists and plain values replace). ``date`` becomes the case's date. ``output`` names
determinations and the fields expected of each; only the fields listed are compared, and
list fields such as ``basis`` or ``modalities`` are compared without regard to order. An
expected ``null`` means the field is absent or null. Every reason of every determination
must carry a rule, a citation, a source and a text.

``call_in`` scenarios describe a person with the facts the call-in notices ask about and
expect, in ``groups``, exactly the call-in groups that reach the person (by nationality),
each with the fields listed. ``obligations`` scenarios describe a registrant registered on
``date`` and expect, in ``obligations``, the duties listed (matched by ``kind`` and, for
annual reports, ``sequence``); ``reports_on`` maps dates to whether a report on that date
falls inside the obligation's window, and ``absent`` lists kinds that must not appear.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from nseers.rules.call_in import CallInAssessment, CallInFacts, assess_call_in
from nseers.rules.engine import Engine
from nseers.rules.obligations import Obligation, registrant_obligations
from nseers.rules.policy.schema import Window
from nseers.rules.result import DETERMINATIONS, Reason

SCENARIO_DIR = Path(__file__).parent

# A French visitor for pleasure flying into JFK: a traveller no special rule reaches, so a
# scenario states only the facts that make its point.
BASE_CASE: dict[str, Any] = {
    "event": "arrival",
    "port": {"code": "JFK", "mode": "air", "state": "NY"},
    "traveler": {
        "claimed_status": "nonimmigrant",
        "citizenships": ["FRA"],
        "date_of_birth": "1970-06-15",
        "sex": "M",
        "residence": "FRA",
    },
    "admission_class": "B2",
    "documents": [{"kind": "passport", "issuer": "FRA"}, {"kind": "visa", "class": "B2"}],
    "circumstances": {},
    "itinerary": {},
    "registration": None,
    "departure_report": None,
}

# An adult male nonimmigrant visitor, last admitted well before every call-in cutoff, who
# never left, never sought asylum and has not registered: the person every notice reaches
# once a nationality is given.
BASE_CALL_IN: dict[str, Any] = {
    "citizenships": [],
    "sex": "M",
    "date_of_birth": date(1970, 1, 1),
    "claimed_status": "nonimmigrant",
    "admission_class": "B2",
    "last_admitted_on": date(2002, 6, 1),
    "departed_on": None,
    "asylum_applied_on": None,
    "asylum_granted": False,
    "registered_on": None,
}

BASE_OBLIGATIONS: dict[str, Any] = {
    "basis": "designated_nationality",
    "route": "port_of_entry",
    "until": None,
    "admission_class": None,
}

FILE_KEYS = frozenset({"area", "description", "defaults", "scenarios"})
SCENARIO_KEYS = frozenset({"name", "citation", "date", "input", "output", "note"})
ENGINE_AREAS = frozenset(
    {"inspection", "special_registration", "biometrics", "i94", "departure_registration"})
AREAS = ENGINE_AREAS | {"call_in", "obligations"}
UNORDERED_FIELDS = frozenset({"basis", "modalities", "exempt_from"})


@dataclass(frozen=True)
class Scenario:
    """One scenario of one file, ready to run."""

    area: str
    name: str
    citation: str
    on: date
    input: dict[str, Any]
    output: dict[str, Any]
    defaults: dict[str, Any]


def _load() -> list[Scenario]:
    scenarios: list[Scenario] = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        unknown = set(document) - FILE_KEYS
        assert not unknown, f"{path.name}: unknown keys {sorted(unknown)}"
        area = document["area"]
        assert area in AREAS, f"{path.name}: unknown area {area!r}"
        assert path.stem == area, f"{path.name}: the file name does not match its area {area!r}"
        for raw in document["scenarios"]:
            unknown = set(raw) - SCENARIO_KEYS
            assert not unknown, f"{path.name}: {raw.get('name')}: unknown keys {sorted(unknown)}"
            missing = {"name", "citation", "date", "input", "output"} - set(raw)
            assert not missing, f"{path.name}: {raw.get('name')}: missing {sorted(missing)}"
            assert isinstance(raw["date"], date), f"{raw['name']}: date is not a date"
            scenarios.append(Scenario(area, raw["name"], raw["citation"], raw["date"],
                                      raw["input"] or {}, raw["output"],
                                      document.get("defaults") or {}))
    names = [f"{s.area}: {s.name}" for s in scenarios]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    assert not duplicates, f"scenario names must be unique: {duplicates}"
    return scenarios


SCENARIOS = _load()


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _json_ready(value: Any) -> Any:
    """YAML reads ``2003-06-15`` as a date; the contract takes ISO strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


def _window(window: Window | None) -> dict[str, date] | None:
    """A window as the YAML files write it: ``{start: ..., end: ...}``."""
    return None if window is None else {"start": window.start, "end": window.end}


def _expect_fields(where: str, actual: dict[str, Any], expected: dict[str, Any]) -> None:
    for key, want in expected.items():
        got = actual.get(key)
        if isinstance(want, date) and isinstance(got, str):
            got = date.fromisoformat(got)
        message = f"{where}.{key}: expected {want!r}, the engine answered {got!r}"
        if key in UNORDERED_FIELDS and isinstance(want, list) and isinstance(got, list):
            assert sorted(got) == sorted(want), message
        else:
            assert got == want, message


def _check_reasons(where: str, reasons: list[dict[str, Any]] | tuple[Reason, ...]) -> None:
    assert reasons, f"{where}: no reasons given"
    for index, reason in enumerate(reasons):
        fields = reason.to_dict() if isinstance(reason, Reason) else reason
        for key in ("rule", "citation", "source", "text"):
            value = fields.get(key)
            assert isinstance(value, str), f"{where}.reasons[{index}].{key} is missing"
            assert value.strip(), f"{where}.reasons[{index}].{key} is empty"
            assert value != "not cited", f"{where}.reasons[{index}].{key}: {value!r}"


def _run_engine(scenario: Scenario, engine: Engine) -> None:
    case = _merge(_merge(BASE_CASE, scenario.defaults), scenario.input)
    case["date"] = scenario.on
    result = engine.evaluate_raw(_json_ready(case)).to_dict()
    determinations = result["determinations"]
    assert set(determinations) == set(DETERMINATIONS)
    for name, determination in determinations.items():
        assert determination.get("outcome"), f"{name}: no outcome"
        _check_reasons(name, determination["reasons"])
    if "reasons" in result["port"]:
        _check_reasons("port", result["port"]["reasons"])
    for key, expected in scenario.output.items():
        if key in DETERMINATIONS:
            _expect_fields(key, determinations[key], expected)
        else:
            assert key in result, f"the result has no {key!r}"
            _expect_fields(key, result[key], expected)


def _assessment_fields(assessment: CallInAssessment) -> dict[str, Any]:
    return {
        "group": assessment.group,
        "required": assessment.required,
        "timeliness": assessment.timeliness,
        "window": _window(assessment.window),
        "grace_window": _window(assessment.grace_window),
    }


def _run_call_in(scenario: Scenario, engine: Engine) -> None:
    facts = _merge(_merge(BASE_CALL_IN, scenario.defaults), scenario.input)
    registered_on = facts.pop("registered_on")
    facts["citizenships"] = tuple(facts["citizenships"])
    assessments = assess_call_in(CallInFacts(**facts), engine.policy, scenario.on,
                                 registered_on)
    for assessment in assessments:
        _check_reasons(f"group {assessment.group}", assessment.reasons)
    expected = scenario.output["groups"]
    got_groups = [a.group for a in assessments]
    want_groups = [entry["group"] for entry in expected]
    assert got_groups == want_groups, (
        f"groups: expected {want_groups}, the engine assessed {got_groups}")
    for assessment, want in zip(assessments, expected, strict=True):
        _expect_fields(f"group {assessment.group}", _assessment_fields(assessment), want)


def _obligation_fields(obligation: Obligation) -> dict[str, Any]:
    return {
        "kind": obligation.kind,
        "status": obligation.status,
        "sequence": obligation.sequence,
        "window_start": obligation.window_start,
        "window_end": obligation.window_end,
    }


def _run_obligations(scenario: Scenario, engine: Engine) -> None:
    facts = _merge(_merge(BASE_OBLIGATIONS, scenario.defaults), scenario.input)
    until = facts["until"] or date(scenario.on.year + 3, scenario.on.month, 1)
    obligations = registrant_obligations(
        engine.policy, basis=facts["basis"], route=facts["route"], start=scenario.on,
        until=until, admission_class=facts["admission_class"])
    for obligation in obligations:
        _check_reasons(obligation.kind, obligation.reasons)
    kinds = {o.kind for o in obligations}
    for kind in scenario.output.get("absent", []):
        assert kind not in kinds, f"{kind}: expected no such obligation"
    for expected in scenario.output.get("obligations", []):
        want = dict(expected)
        reports_on = want.pop("reports_on", {})
        matches = [o for o in obligations if o.kind == want["kind"]
                   and ("sequence" not in want or o.sequence == want["sequence"])]
        label = want["kind"] + (f" {want['sequence']}" if "sequence" in want else "")
        assert len(matches) == 1, f"{label}: expected one obligation, found {len(matches)}"
        obligation = matches[0]
        _expect_fields(label, _obligation_fields(obligation), want)
        for day, inside in reports_on.items():
            start, end = obligation.window_start, obligation.window_end
            assert start is not None, f"{label}: no window"
            assert end is not None, f"{label}: no window"
            assert (start <= day <= end) == inside, (
                f"{label}: a report on {day} should be {'inside' if inside else 'outside'} "
                f"the window {start} to {end}")


RUNNERS = {"call_in": _run_call_in, "obligations": _run_obligations}


@pytest.mark.parametrize(
    "scenario", [pytest.param(s, id=f"{s.area}: {s.name}") for s in SCENARIOS])
def test_scenario(scenario: Scenario, engine: Engine) -> None:
    RUNNERS.get(scenario.area, _run_engine)(scenario, engine)


def test_every_area_has_a_suite() -> None:
    assert {s.area for s in SCENARIOS} == AREAS
