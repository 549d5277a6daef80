"""``nseers entry-exit report`` without the file options reads the registry (issue 12):
the registry's arrivals and departures go through the same pipeline, audited as one read
by the analyst named, and the counts agree with each person's stays."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from integration.helpers import DEPARTURE, PRIMARY, SECONDARY, at, departure, visitor
from nseers.bootstrap import open_registry
from nseers.cli.main import app
from nseers.db.audit import AuditEntry
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import inspect_arrival, record_departure
from nseers.services.stays import person_stays

runner = CliRunner()


def _env(data_dir: Path) -> dict[str, str]:
    return {"NSEERS_DATA_DIR": str(data_dir), "NSEERS_DATABASE_URL": ""}


def _admit(registry: Registry, surname: str, number: str, arrived: str,
           admit_until: date, departed: str | None = None) -> int:
    command = replace(visitor(number, occurred_at=at(arrived), admit_until=admit_until),
                      person=PersonFacts(surname=surname, given_names="ANNE",
                                         date_of_birth=date(1980, 2, 2), sex="F",
                                         citizenships=("FRA",)),
                      documents=(DocumentFacts("passport", number, "FRA"),))
    person_id = int(inspect_arrival(registry, PRIMARY, command)["person_id"])
    if departed is not None:
        record_departure(registry, DEPARTURE, departure(None, departed, port="IAD",
                                                        reported=False, person_id=person_id))
    return person_id


@pytest.fixture
def data_dir(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    """A registry with four admissions: one left on time, one late, one not at all (all
    due in FY 2025), and one due in FY 2026."""
    registry = open_registry(environ=_env(tmp_path))
    try:
        people = {
            "on_time": _admit(registry, "DUPONT", "P1000001", "2025-01-10",
                              date(2025, 7, 9), "2025-07-01"),
            "late": _admit(registry, "MARTIN", "P1000002", "2025-02-01",
                           date(2025, 7, 31), "2025-08-15"),
            "stayed": _admit(registry, "BERNARD", "P1000003", "2025-03-01",
                             date(2025, 8, 31)),
            "next_year": _admit(registry, "PETIT", "P1000004", "2025-03-01",
                                date(2025, 12, 31)),
        }
    finally:
        registry.database.dispose()
    return tmp_path, people


def _report(data_dir: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["entry-exit", "report", "--fiscal-year", "2025",
                                 "--as-of", "2025-12-31", *args],
                           env=_env(data_dir) | {"NSEERS_USER": "a.analyst"})
    return result.exit_code, result.stdout, result.stderr


def test_without_the_files_the_report_counts_the_registrys_admissions(
        data_dir: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    folder, people = data_dir
    links = tmp_path / "links.csv"

    code, out, err = _report(folder, "--links", str(links))

    assert code == 0, err
    total = json.loads(out)["grand_total"]
    assert (total["expected_departures"], total["out_of_country_overstays"],
            total["suspected_in_country_overstays"], total["total_overstays"]) == (3, 1, 1, 2)
    assert "read from the registry: 4 arrivals, 2 departures" in err
    assert [line.split(",")[2] for line in links.read_text().splitlines()[1:]] == [
        "document", "document"]
    registry = open_registry(environ=_env(folder))
    try:
        with registry.sessions() as session:
            reads = session.execute(select(AuditEntry.actor, AuditEntry.role).where(
                AuditEntry.action == "entry_exit.registry_read")).all()
        assert [tuple(r) for r in reads] == [("a.analyst", "analyst")]
        statuses = {name: person_stays(registry, SECONDARY, person_id,
                                       date(2025, 12, 31))["stays"][0]["status"]
                    for name, person_id in people.items()}
    finally:
        registry.database.dispose()
    assert statuses == {"on_time": "departed_on_time", "late": "departed_late",
                        "stayed": "suspected_in_country_overstay", "next_year": "in_stay"}


def test_a_snapshot_of_a_registry_run_keeps_its_feeds_and_reproduces(
        data_dir: tuple[Path, dict[str, int]], tmp_path: Path) -> None:
    folder, _ = data_dir
    snapshot = tmp_path / "snapshot"
    code, out, err = _report(folder, "--snapshot", str(snapshot))
    assert code == 0, err
    assert (snapshot / "registry_feeds" / "arrivals.csv").is_file()
    redone = runner.invoke(app, ["entry-exit", "reproduce", str(snapshot)])
    assert redone.exit_code == 0, redone.output
    assert redone.stdout == out


@pytest.mark.parametrize(("given", "missing"), [("--arrivals", "--departures"),
                                                ("--departures", "--arrivals")])
def test_one_file_option_without_the_other_names_the_missing_one(
        tmp_path: Path, given: str, missing: str) -> None:
    code, _, err = _report(tmp_path, given, str(tmp_path / "feed.csv"))
    assert code == 2
    assert err.startswith(f"{missing}: missing")
