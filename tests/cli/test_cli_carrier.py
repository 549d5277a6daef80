"""``nseers carrier check|manifest`` on an embedded database with the demo's travellers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.bootstrap import open_registry
from nseers.cli.main import app
from nseers.demo.casework import PASSENGERS, load_casework
from nseers.settings import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("carrier")
    registry = open_registry(Settings.from_mapping({"NSEERS_DATA_DIR": str(directory)}))
    try:
        assert load_casework(registry, 1).passengers == len(PASSENGERS)
    finally:
        registry.database.dispose()
    return directory


def run(data_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NSEERS_DATA_DIR": str(data_dir),
                                                 "NSEERS_DATABASE_URL": "",
                                                 "NSEERS_USER": "carrier.aal"})
    return result.exit_code, result.output


def _today(data_dir: Path) -> str:
    registry = open_registry(Settings.from_mapping({"NSEERS_DATA_DIR": str(data_dir)}))
    try:
        return registry.clock().date().isoformat()
    finally:
        registry.database.dispose()


def test_one_passenger_is_answered_with_the_answer_alone(data_dir: Path) -> None:
    passenger = PASSENGERS[1]
    code, output = run(data_dir, "carrier", "check", "--document-number", passenger.number,
                       "--issuing-country", "FRA", "--nationality", "FRA",
                       "--surname", passenger.surname,
                       "--date-of-birth", passenger.date_of_birth.isoformat(),
                       "--date", _today(data_dir))
    assert code == 0, output
    assert json.loads(output) == {"answer": "not_ok_to_board",
                                  "reason_codes": ["contact_border_authority"]}


def test_a_bad_passenger_is_refused_naming_the_field(data_dir: Path) -> None:
    code, output = run(data_dir, "carrier", "check", "--document-number", "X1",
                       "--issuing-country", "FRANCE", "--nationality", "FRA",
                       "--surname", "X", "--date-of-birth", "1980-01-01",
                       "--date", _today(data_dir))
    assert code == 1
    assert "issuing_country" in output


def test_a_csv_manifest_answers_each_row_and_names_the_bad_one(data_dir: Path,
                                                              tmp_path: Path) -> None:
    today = _today(data_dir)
    lines = [("document_number,issuing_country,nationality,surname,date_of_birth,"
             "intended_travel_date")]
    lines += [f"{p.number},FRA,FRA,{p.surname},{p.date_of_birth.isoformat()},{today}"
              for p in PASSENGERS]
    lines.append(f"NOPE,FRA,FRA,NOBODY,1980-02-30,{today}")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run(data_dir, "carrier", "manifest", str(manifest))
    assert code == 1
    answer = json.loads(output)
    assert [row.get("answer") for row in answer["rows"][:-1]] == [p.expected for p in PASSENGERS]
    assert answer["rows"][-1]["errors"][0]["path"] == f"rows[{len(PASSENGERS)}].date_of_birth"
