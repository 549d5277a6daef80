"""``nseers refusal codes|show`` (issue 17) over a generated demonstration population."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("data")
    result = runner.invoke(app, ["demo", "generate", "--travellers", "60", "--seed", "3"],
                           env={"NSEERS_DATA_DIR": str(directory), "NSEERS_DATABASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert "refusals of entry" in result.output
    return directory


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NSEERS_DATA_DIR": str(data_dir),
                                                 "NSEERS_DATABASE_URL": "",
                                                 "NSEERS_USER": "tester"})
    return result.exit_code, result.output


def test_the_codes_in_force_are_listed_with_their_citations_and_dates(data_dir: Path) -> None:
    code, output = run(data_dir, "refusal", "codes", "--as-of", "2003-06-15")
    assert code == 0, output
    assert "criminal: Criminal and related grounds [INA 212(a)(2)" in output
    assert "withdrawal: Permitted to withdraw" in output
    code, output = run(data_dir, "refusal", "codes", "--as-of", "1996-01-01", "--json")
    assert code == 0, output
    assert json.loads(output)["grounds"] == {}
    code, output = run(data_dir, "refusal", "codes", "--as-of", "2003-13-01")
    assert code == 2


def test_show_prints_a_demo_refusal_and_audits_the_read(data_dir: Path) -> None:
    database = sqlite3.connect(data_dir / "nseers.db")
    (refusal_id,) = database.execute("SELECT id FROM refusals ORDER BY id LIMIT 1").fetchone()
    code, output = run(data_dir, "refusal", "show", str(refusal_id))
    assert code == 0, output
    shown = json.loads(output)
    assert shown["refusal_id"] == refusal_id
    assert shown["grounds"][0]["citation"].startswith("INA 212(a)")
    actions = [a for (a,) in database.execute(
        "SELECT action FROM audit_entries WHERE actor = 'tester'")]
    assert actions == ["refusal.read"]
    code, output = run(data_dir, "refusal", "show", "999999")
    assert code == 1
    assert "refusal" in output
