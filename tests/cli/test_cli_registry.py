"""The registry's commands: db upgrade, demo generate, person search/show, compliance
report and audit verify, on an embedded database in a temporary data directory."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.cli.main import app
from nseers.db.migrate import head_revision

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("data")
    env = {"NSEERS_DATA_DIR": str(directory), "NSEERS_DATABASE_URL": ""}
    result = runner.invoke(app, ["demo", "generate", "--travellers", "60", "--seed", "3"],
                           env=env)
    assert result.exit_code == 0, result.output
    return directory


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NSEERS_DATA_DIR": str(data_dir),
                                                 "NSEERS_DATABASE_URL": "",
                                                 "NSEERS_USER": "tester"})
    return result.exit_code, result.output


def test_db_upgrade_is_safe_to_repeat(data_dir: Path) -> None:
    code, output = run(data_dir, "db", "upgrade")
    assert code == 0
    assert f"already at {head_revision()}" in output


def test_a_generated_population_is_deterministic_and_loading_it_twice_records_nothing_twice(
        data_dir: Path) -> None:
    database = sqlite3.connect(data_dir / "nseers.db")
    before = database.execute("SELECT count(*) FROM encounters").fetchone()[0]
    code, output = run(data_dir, "demo", "generate", "--travellers", "60", "--seed", "3")
    assert code == 0, output
    assert database.execute("SELECT count(*) FROM encounters").fetchone()[0] == before > 0


def test_person_search_finds_by_fin_and_show_prints_the_record(data_dir: Path) -> None:
    database = sqlite3.connect(data_dir / "nseers.db")
    fin, person_id = database.execute(
        "SELECT fin, person_id FROM special_registrations LIMIT 1").fetchone()
    code, output = run(data_dir, "person", "search", "--fin", fin, "--json")
    assert code == 0, output
    assert [p["id"] for p in json.loads(output)] == [person_id]
    code, output = run(data_dir, "person", "show", str(person_id), "--timeline")
    assert code == 0, output
    assert f"FIN {fin}" in output


def test_the_compliance_report_judges_every_obligation(data_dir: Path) -> None:
    database = sqlite3.connect(data_dir / "nseers.db")
    (person_id,) = database.execute(
        "SELECT person_id FROM special_registrations LIMIT 1").fetchone()
    code, output = run(data_dir, "compliance", "report", str(person_id), "--as-of",
                       "2026-11-24", "--json")
    assert code == 0, output
    report = json.loads(output)
    statuses = {o["status"] for r in report["registrations"] for o in r["obligations"]}
    assert statuses
    assert statuses <= {"met", "missed", "suspended", "waived", "due", "upcoming",
                        "standing", "ended"}


def test_bad_dates_and_unknown_people_get_clear_errors(data_dir: Path) -> None:
    code, output = run(data_dir, "compliance", "report", "1", "--as-of", "2026-13-01")
    assert code == 2
    assert "--as-of: not a date" in output
    code, output = run(data_dir, "person", "show", "999999")
    assert code == 1
    assert "no person 999999" in output


def test_a_role_that_may_not_read_people_is_refused(data_dir: Path) -> None:
    code, output = run(data_dir, "person", "show", "1", "--role", "analyst")
    assert code == 1
    assert "may not read person" in output


def test_audit_verify_reports_an_intact_trail_and_names_each_reader(data_dir: Path) -> None:
    run(data_dir, "person", "show", "1")
    code, output = run(data_dir, "audit", "verify")
    assert code == 0, output
    assert "intact" in output
    database = sqlite3.connect(data_dir / "nseers.db")
    actor, role = database.execute(
        "SELECT actor, role FROM audit_entries WHERE action = 'person.read' "
        "ORDER BY seq DESC LIMIT 1").fetchone()
    assert (actor, role) == ("tester", "secondary_officer")


def test_audit_verify_exits_1_when_an_entry_was_altered(tmp_path: Path) -> None:
    code, output = run(tmp_path, "demo", "generate", "--travellers", "5", "--seed", "1")
    assert code == 0, output
    database = sqlite3.connect(tmp_path / "nseers.db")
    database.execute("DROP TRIGGER audit_entries_no_update")
    database.execute("UPDATE audit_entries SET purpose = 'curiosity' WHERE seq = 3")
    database.commit()
    code, output = run(tmp_path, "audit", "verify")
    assert code == 1
    assert "entry 3: the entry was altered" in output


def test_demo_generate_says_why_it_skipped_events(tmp_path: Path) -> None:
    code, output = run(tmp_path, "demo", "generate", "--travellers", "60", "--seed", "3")
    assert code == 0, output
    assert "0 refused, 1 skipped" in output
    assert ("1 skipped (1 change of address): a registrant's events for travellers the law "
            "did not register on arrival, who hold no FIN") in " ".join(output.split())
