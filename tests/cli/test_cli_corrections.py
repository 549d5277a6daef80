"""``nseers corrections queue|letter`` on an embedded database holding the demonstration's
correction requests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.bootstrap import open_registry
from nseers.cli.main import app
from nseers.demo.corrections import load_corrections
from nseers.settings import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("data")
    env = {"NSEERS_DATA_DIR": str(directory), "NSEERS_DATABASE_URL": ""}
    result = runner.invoke(app, ["demo", "generate", "--travellers", "40", "--seed", "5"],
                           env=env)
    assert result.exit_code == 0, result.output
    registry = open_registry(Settings.from_mapping(env))
    try:
        assert load_corrections(registry) == 3
        assert load_corrections(registry) == 3  # loaded again: replayed, nothing twice
    finally:
        registry.database.dispose()
    return directory


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NSEERS_DATA_DIR": str(data_dir),
                                                 "NSEERS_DATABASE_URL": "",
                                                 "NSEERS_USER": "tester"})
    return result.exit_code, result.output


def test_the_queue_lists_the_open_requests_overdue_first(data_dir: Path) -> None:
    code, output = run(data_dir, "corrections", "queue", "--json")
    assert code == 0, output
    answer = json.loads(output)
    assert answer["total"] == 2
    assert answer["items"][0]["overdue"] == ["acknowledgement", "decision"]
    assert answer["items"][1]["overdue"] == []


def test_the_letter_of_the_accepted_request_prints_before_and_after(data_dir: Path) -> None:
    code, output = run(data_dir, "corrections", "queue", "--status", "accepted", "--json")
    (accepted,) = json.loads(output)["items"]
    code, output = run(data_dir, "corrections", "letter", str(accepted["request_id"]))
    assert code == 0, output
    item = accepted["items"][0]
    assert f"corrected from {item['value_before']} to {item['value_after']}" in output


def test_a_role_without_the_permission_is_refused(data_dir: Path) -> None:
    code, output = run(data_dir, "corrections", "queue", "--role", "compliance_officer")
    assert code == 1
    assert "decide correction" in output or "decide_correction" in output
