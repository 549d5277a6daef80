"""``nseers retention run`` and ``nseers retention hold`` on the demo population in an
embedded database: the dry run lists by rule and changes nothing, --apply erases once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.cli.lazy import LAZY_COMMANDS
from nseers.cli.main import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    env = {"NSEERS_DATA_DIR": str(tmp_path), "NSEERS_DATABASE_URL": ""}
    result = runner.invoke(app, ["demo", "generate", "--travellers", "40", "--seed", "5"],
                           env=env)
    assert result.exit_code == 0, result.output
    return tmp_path


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NSEERS_DATA_DIR": str(data_dir),
                                                 "NSEERS_DATABASE_URL": "",
                                                 "NSEERS_USER": "tester"})
    return result.exit_code, result.output


def _persons(data_dir: Path) -> int:
    return int(sqlite3.connect(data_dir / "nseers.db").execute(
        "SELECT count(*) FROM persons").fetchone()[0])


def test_the_command_is_registered_lazily() -> None:
    assert LAZY_COMMANDS["retention"] == ("nseers.cli.retention", "retention_app")


def test_the_dry_run_lists_by_rule_and_erases_nothing(data_dir: Path) -> None:
    before = _persons(data_dir)
    code, output = run(data_dir, "retention", "run", "--as-of", "2026-12-01")
    assert code == 0, output
    assert "(dry run)" in output
    assert "retention.ees_entry_exit" in output
    assert "Art. 34" in output
    code, output = run(data_dir, "retention", "run", "--as-of", "2026-12-01", "--json")
    plan = json.loads(output)
    assert plan["applied"] is False
    assert plan["counts"]["due"] > 0
    assert plan["counts"]["held"] == 1  # the demo's legal hold
    assert _persons(data_dir) == before


def test_apply_erases_the_due_files_once_and_leaves_the_held_one(
        data_dir: Path, tmp_path: Path) -> None:
    before = _persons(data_dir)
    code, output = run(data_dir, "retention", "run", "--as-of", "2026-12-01", "--json")
    plan = json.loads(output)
    due = plan["counts"]["due"]
    held = [e["person_id"] for g in plan["rules"] for e in g["entries"]
            if e["status"] == "held"]
    code, output = run(data_dir, "retention", "run", "--as-of", "2026-12-01", "--apply",
                       "--outbox", str(tmp_path / "outbox"), "--json")
    assert code == 0, output
    answer = json.loads(output)
    assert len(answer["erased"]) == due
    assert _persons(data_dir) == before - due
    database = sqlite3.connect(data_dir / "nseers.db")
    assert database.execute("SELECT count(*) FROM persons WHERE id = ?",
                            (held[0],)).fetchone()[0] == 1
    assert database.execute("SELECT sum(count) FROM anonymous_movement_counts"
                            ).fetchone()[0] > 0
    code, output = run(data_dir, "retention", "run", "--as-of", "2026-12-01", "--apply",
                       "--json")
    assert json.loads(output)["erased"] == []
    code, output = run(data_dir, "audit", "verify")
    assert code == 0, output


def test_holds_are_listed_released_and_bad_input_is_named(data_dir: Path) -> None:
    code, output = run(data_dir, "retention", "hold", "list", "--json")
    assert code == 0, output
    (hold,) = json.loads(output)
    assert hold["reference"] == "USDC-EDNY 26-cv-0417 (demo)"
    code, output = run(data_dir, "retention", "hold", "place", str(hold["person_id"]),
                       "--reason", " ", "--reference", "X")
    assert code == 1
    assert "reason" in output
    code, output = run(data_dir, "retention", "hold", "release", str(hold["hold_id"]),
                       "--reason", "case settled")
    assert code == 0, output
    code, output = run(data_dir, "retention", "hold", "list", "--json")
    assert json.loads(output) == []
    code, output = run(data_dir, "retention", "run", "--as-of", "2026-13-01")
    assert code == 2
    assert "not a date" in output
