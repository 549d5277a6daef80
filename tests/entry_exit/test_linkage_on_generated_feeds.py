"""Linkage measured against the generator's truth, and the command line end to end."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nseers.cli.main import app
from nseers.demo.entry_exit import Generated, generate
from nseers.entry_exit.definitions import REPORT_COLUMNS, definitions_for
from nseers.entry_exit.duckdb_engine import run
from nseers.rules.policy.store import default_policy

AS_OF = date(2024, 12, 31)


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(tmp_path_factory.mktemp("feeds"), 12_000, seed=7, file_format="csv")


def test_links_meet_the_precision_and_recall_targets(feeds: Generated) -> None:
    result = run(feeds.arrivals, feeds.departures, feeds.status_changes,
                 definitions_for(default_policy(), 2024, AS_OF))
    with feeds.departures.open(encoding="utf-8") as handle:
        counted = {r["record_id"] for r in csv.DictReader(handle)
                   if r["departure_date"] <= AS_OF.isoformat()}
    with feeds.truth.open(encoding="utf-8") as handle:
        truth = {(r["arrival_record_id"], r["departure_record_id"])
                 for r in csv.DictReader(handle)
                 if r["arrival_record_id"] and r["departure_record_id"] in counted}
    links = {(a, d) for a, d, _, _ in result.links}
    correct = len(links & truth)
    assert correct / len(links) >= 0.995
    assert correct / len(truth) >= 0.98
    methods = {m for _, _, m, _ in result.links}
    assert methods == {"document", "deterministic", "probabilistic"}
    # Departures with no arrival are never linked.
    assert not any(d.startswith("X") for _, d in links)


def test_the_command_writes_the_report_and_the_links(feeds: Generated, tmp_path: Path) -> None:
    links = tmp_path / "links.csv"
    result = CliRunner().invoke(app, [
        "entry-exit", "report", "--arrivals", str(feeds.arrivals),
        "--departures", str(feeds.departures), "--status-changes", str(feeds.status_changes),
        "--fiscal-year", "2024", "--as-of", "2024-12-31", "--links", str(links)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"fiscal_year", "as_of", "grand_total", "by_country", "tables"}
    assert report["fiscal_year"] == 2024
    assert report["as_of"] == "2024-12-31"
    row = report["by_country"][0]
    assert list(row) == ["country_of_citizenship", *REPORT_COLUMNS]
    assert sum(r["expected_departures"] for r in report["by_country"]) == \
        report["grand_total"]["expected_departures"]
    header = links.read_text(encoding="utf-8").splitlines()[0]
    assert header == "arrival_record_id,departure_record_id,method,probability"


def test_the_same_feeds_give_the_same_report_byte_for_byte(feeds: Generated) -> None:
    args = ["entry-exit", "report", "--arrivals", str(feeds.arrivals), "--departures",
            str(feeds.departures), "--fiscal-year", "2024", "--as-of", "2024-12-31",
            "--format", "csv"]
    first = CliRunner().invoke(app, args)
    second = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout


def test_html_shows_the_tables_and_charts(feeds: Generated) -> None:
    result = CliRunner().invoke(app, [
        "entry-exit", "report", "--arrivals", str(feeds.arrivals), "--departures",
        str(feeds.departures), "--fiscal-year", "2024", "--as-of", "2024-12-31",
        "--format", "html"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("<svg") == 3
    assert "Visa Waiver Program countries" in result.stdout


def test_a_bad_as_of_date_is_refused() -> None:
    result = CliRunner().invoke(app, [
        "entry-exit", "report", "--arrivals", "a.csv", "--departures", "d.csv",
        "--fiscal-year", "2024", "--as-of", "2024-02-30"])
    assert result.exit_code == 2
    assert "--as-of: not a date" in result.stderr


def test_a_snapshot_reproduces_byte_for_byte_and_diff_explains_changes(
        feeds: Generated, tmp_path: Path) -> None:
    first, again, later = tmp_path / "first", tmp_path / "again", tmp_path / "later"
    base = ["entry-exit", "report", "--arrivals", str(feeds.arrivals), "--departures",
            str(feeds.departures), "--fiscal-year", "2024"]
    made = CliRunner().invoke(app, [*base, "--as-of", "2024-10-31", "--snapshot", str(first)])
    assert made.exit_code == 0, made.output
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["arrivals"]["sha256"]
    assert manifest["model"]["comparisons"]
    redone = CliRunner().invoke(app, ["entry-exit", "reproduce", str(first), "--snapshot",
                                      str(again)])
    assert redone.exit_code == 0, redone.output
    assert redone.stdout == made.stdout
    assert (again / "links.csv").read_bytes() == (first / "links.csv").read_bytes()
    CliRunner().invoke(app, [*base, "--as-of", "2024-12-31", "--snapshot", str(later)])
    explained = json.loads(CliRunner().invoke(
        app, ["entry-exit", "diff", str(first), str(later)]).stdout)
    assert "as_of changed: '2024-10-31' -> '2024-12-31'" in explained["why"]
    assert any(link["why"] == "late departure evidence" for link in explained["links"])
