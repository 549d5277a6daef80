"""The evaluation contract as the command line offers it: inputs, outputs, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from nseers.cli.main import app

EXAMPLES = sorted((Path(__file__).parent.parent.parent / "examples").glob("*.json"))
FIXTURES = Path(__file__).parent.parent / "fixtures" / "policy"
DETERMINATIONS = {"inspection", "special_registration", "biometrics", "i94",
                  "departure_registration"}
runner = CliRunner()


def evaluate(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, ["evaluate", *args], input=stdin)


def case(**changes: Any) -> dict[str, Any]:
    base = json.loads((EXAMPLES[0].parent / "iranian_canadian_dual_2003.json").read_text())
    base.update(changes)
    return base


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_evaluated_with_five_explained_determinations(path: Path) -> None:
    result = evaluate(str(path))
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out["determinations"]) == DETERMINATIONS
    assert out["date"] == json.loads(path.read_text())["date"]
    for determination in out["determinations"].values():
        assert determination["reasons"]
        for reason in determination["reasons"]:
            assert {"rule", "citation", "source", "text"} <= set(reason)


def test_the_contract_example_registers_the_dual_national_by_nationality() -> None:
    out = json.loads(evaluate(str(EXAMPLES[0].parent / "iranian_canadian_dual_2003.json")).stdout)
    registration = out["determinations"]["special_registration"]
    assert registration["outcome"] == "required"
    assert registration["basis"] == ["designated_nationality"]
    assert out["determinations"]["inspection"]["outcome"] == "inspect_as_alien"


def test_a_json_array_is_evaluated_case_by_case_in_order() -> None:
    cases = [case(date="2002-09-10"), case(date="2002-09-11")]
    result = evaluate("-", stdin=json.dumps(cases))
    assert result.exit_code == 0, result.stderr
    out = json.loads(result.stdout)
    assert [o["date"] for o in out] == ["2002-09-10", "2002-09-11"]
    assert [o["determinations"]["special_registration"]["basis"] for o in out] == [
        ["designated_nationality"], ["designated_nationality"]]


def test_json_lines_are_evaluated_into_an_array(tmp_path: Path) -> None:
    lines = tmp_path / "cases.jsonl"
    lines.write_text("\n".join(json.dumps(case(date=d)) for d in
                               ("2011-04-27", "2011-04-28", "2016-12-23")) + "\n")
    out = json.loads(evaluate(str(lines)).stdout)
    assert [o["determinations"]["special_registration"]["outcome"] for o in out] == [
        "required", "not_required", "not_required"]


def test_a_malformed_case_exits_2_naming_each_bad_field_by_path() -> None:
    bad = case(date="2003-13-01")
    bad["traveler"] = {**bad["traveler"], "date_of_birth": "1970-13-01", "sex": "male"}
    result = evaluate("-", stdin=json.dumps(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert 'traveler.date_of_birth: not a date: "1970-13-01"' in result.stderr
    assert 'date: not a date: "2003-13-01"' in result.stderr
    assert "traveler.sex: not one of" in result.stderr


def test_a_malformed_case_in_an_array_is_named_by_its_index() -> None:
    result = evaluate("-", stdin=json.dumps([case(), case(event="landing")]))
    assert result.exit_code == 2
    assert "[1].event: not one of arrival, departure" in result.stderr


def test_a_misspelt_circumstance_is_refused_rather_than_read_as_false() -> None:
    result = evaluate("-", stdin=json.dumps(case(circumstances={"stowawy": True})))
    assert result.exit_code == 2
    assert "circumstances.stowawy: unknown field" in result.stderr


def test_input_that_is_not_json_exits_2() -> None:
    result = evaluate("-", stdin="{not json")
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_an_unknown_port_is_evaluated_from_mode_and_state_and_said_to_be_unknown() -> None:
    out = json.loads(evaluate("-", stdin=json.dumps(
        case(port={"code": "XKCD", "mode": "land", "state": "TX"}))).stdout)
    assert out["port"]["known"] is False
    assert out["port"]["reasons"][0]["rule"] == "port.unknown"


def test_an_unknown_port_without_a_mode_is_a_malformed_case() -> None:
    result = evaluate("-", stdin=json.dumps(case(port={"code": "XKCD"})))
    assert result.exit_code == 2
    assert "port.mode: required" in result.stderr


def test_explain_prints_a_readable_trace_with_rules_and_citations() -> None:
    result = runner.invoke(app, ["explain", str(EXAMPLES[0].parent /
                                                "iranian_canadian_dual_2003.json")])
    assert result.exit_code == 0
    assert "special_registration.designated_nationality" in result.stdout
    assert "264.1(f)" in result.stdout


def test_policy_validate_accepts_the_builtin_law() -> None:
    result = runner.invoke(app, ["policy", "validate"])
    assert result.exit_code == 0
    assert result.stdout.startswith("ok:")


@pytest.mark.parametrize("fixture", ["missing_citation.yaml", "overlapping_dates.yaml",
                                     "unordered_dates.yaml", "unknown_key.yaml"])
def test_policy_validate_fails_on_each_kind_of_bad_file(fixture: str) -> None:
    result = runner.invoke(app, ["policy", "validate", str(FIXTURES / fixture)])
    assert result.exit_code == 1
    assert fixture in result.stderr


def test_policy_show_prints_the_law_in_force_on_a_date() -> None:
    result = runner.invoke(app, ["policy", "show", "--as-of", "2003-06-01", "--format", "json"])
    law = json.loads(result.stdout)
    parameters = {p["id"]: p for p in law["parameters"]}
    assert parameters["special_registration.annual_report_in_force"]["value"] is True
    assert {g["id"] for g in law["call_in_groups"]} == {"G1", "G2", "G3", "G4"}
    later = json.loads(runner.invoke(app, ["policy", "show", "--as-of", "2003-12-02",
                                           "--format", "json"]).stdout)
    later_parameters = {p["id"]: p for p in later["parameters"]}
    assert later_parameters["special_registration.annual_report_in_force"]["value"] is False


def test_imported_departure_ports_make_a_departure_compliant(tmp_path: Path) -> None:
    csv = tmp_path / "ports.csv"
    csv.write_text("code,name\nJFK,John F. Kennedy International Airport\n")
    directory = tmp_path / "policy.d"
    imported = runner.invoke(app, [
        "policy", "import-departure-ports", str(csv), "--notice", "67 FR 61352",
        "--effective", "2002-10-01", "--output", str(directory / "ports-2002.yaml")])
    assert imported.exit_code == 0, imported.stderr
    departure = {
        "event": "departure", "date": "2002-11-01",
        "port": {"code": "JFK", "mode": "air", "state": "NY"},
        "traveler": {"claimed_status": "nonimmigrant", "citizenships": ["IRN"]},
        "registration": {"basis": "designated_nationality", "date": "2002-10-15"},
        "departure_report": {"port_code": "JFK", "date": "2002-11-01"},
    }
    without = json.loads(evaluate("-", stdin=json.dumps(departure)).stdout)
    with_list = json.loads(evaluate("-", "--policy-dir", str(directory),
                                    stdin=json.dumps(departure)).stdout)
    assert without["determinations"]["departure_registration"]["outcome"] == "undetermined"
    assert with_list["determinations"]["departure_registration"]["outcome"] == "compliant"


def test_a_list_imported_as_complete_decides_a_port_missing_from_it(tmp_path: Path) -> None:
    csv = tmp_path / "ports.csv"
    csv.write_text("code,name\nJFK,John F. Kennedy International Airport\n")
    directory = tmp_path / "policy.d"
    imported = runner.invoke(app, [
        "policy", "import-departure-ports", str(csv), "--notice", "67 FR 61352",
        "--effective", "2002-10-01", "--complete", "--until", "2003-03-03",
        "--output", str(directory / "ports-2002.yaml")])
    assert imported.exit_code == 0, imported.stderr
    departure = {
        "event": "departure", "date": "2002-11-01",
        "port": {"code": "SFO", "mode": "air", "state": "CA"},
        "traveler": {"claimed_status": "nonimmigrant", "citizenships": ["IRN"]},
        "registration": {"basis": "designated_nationality", "date": "2002-10-15"},
        "departure_report": {"port_code": "SFO", "date": "2002-11-01"},
    }
    without = json.loads(evaluate("-", stdin=json.dumps(departure)).stdout)
    with_list = json.loads(evaluate("-", "--policy-dir", str(directory),
                                    stdin=json.dumps(departure)).stdout)
    assert without["determinations"]["departure_registration"]["outcome"] == "undetermined"
    decided = with_list["determinations"]["departure_registration"]
    assert decided["outcome"] == "non_compliant"
    assert decided["reasons"][0]["rule"] == "departure_registration.port_not_designated"
    refused = runner.invoke(app, [
        "policy", "import-departure-ports", str(csv), "--notice", "67 FR 61352",
        "--effective", "2002-10-01", "--until", "2003-03-03",
        "--output", str(directory / "other.yaml")])
    assert refused.exit_code == 2
    assert "--until" in refused.stderr


def test_the_installed_command_reads_stdin_and_exits_2_on_bad_input() -> None:
    ok = subprocess.run([sys.executable, "-m", "nseers", "evaluate", "-"],
                        input=json.dumps(case()), capture_output=True, text=True, check=False)
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["event"] == "arrival"
    bad = subprocess.run([sys.executable, "-m", "nseers", "evaluate", "-"],
                         input=json.dumps(case(date="yesterday")), capture_output=True,
                         text=True, check=False)
    assert bad.returncode == 2
    assert 'date: not a date: "yesterday"' in bad.stderr
