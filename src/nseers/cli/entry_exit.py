"""``nseers entry-exit``: the Entry/Exit Overstay Report over arrival and departure feeds."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nseers.core.errors import InvalidInputError
from nseers.entry_exit.definitions import Definitions, LinkageSettings, definitions_for
from nseers.entry_exit.html import render_html
from nseers.entry_exit.report import Decision, links_csv, to_csv
from nseers.entry_exit.snapshots import changed_inputs, diff, read_manifest, write_snapshot
from nseers.rules.policy.store import default_policy
from nseers.settings import Settings

if TYPE_CHECKING:
    from nseers.entry_exit.pipeline import RunResult

entry_exit_app = typer.Typer(help="Entry-exit matching and the overstay report.",
                             no_args_is_help=True)


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _decisions(path: Path | None) -> list[Decision]:
    if path is None:
        return []
    decisions = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row_number, row in enumerate(csv.DictReader(handle), start=1):
            decision = (row.get("decision") or "").strip().lower()
            if decision not in ("accept", "reject"):
                _err(f"{path}: row {row_number}, column decision: not accept or reject: "
                     f"{decision!r}")
                raise typer.Exit(2)
            decisions.append(Decision(row["arrival_record_id"].strip(),
                                      row["departure_record_id"].strip(),
                                      "accept" if decision == "accept" else "reject",
                                      row.get("analyst", ""), row.get("reason", "")))
    return decisions


@entry_exit_app.command("report")
def report_command(
        arrivals: Annotated[Path, typer.Option("--arrivals", help="Arrivals, CSV or Parquet.")],
        departures: Annotated[Path, typer.Option(
            "--departures", help="Departures, CSV or Parquet.")],
        fiscal_year: Annotated[int, typer.Option("--fiscal-year", min=1900, max=9999)],
        as_of: Annotated[str, typer.Option("--as-of", help="YYYY-MM-DD: departures "
                                                             "recorded after it are ignored.")],
        status_changes: Annotated[Path | None, typer.Option(
            "--status-changes", help="Extensions, changes and adjustments of status.")] = None,
        engine: Annotated[str, typer.Option(
            "--engine", help="duckdb (embedded) or spark (on NSEERS_SPARK_MASTER).")]
        = "duckdb",
        output_format: Annotated[str, typer.Option("--format", help="json, csv or html.")]
        = "json",
        links: Annotated[Path | None, typer.Option(
            "--links", help="Write arrival_record_id,departure_record_id,method,probability.")]
        = None,
        review: Annotated[Path | None, typer.Option(
            "--review", help="Write the review queue (links under the confident threshold).")]
        = None,
        decisions: Annotated[Path | None, typer.Option(
            "--decisions", help="An analyst's accept/reject decisions, applied on this run.")]
        = None,
        snapshot: Annotated[Path | None, typer.Option(
            "--snapshot", help="Store the run (report, links, manifest) in this directory.")]
        = None,
) -> None:
    """Count expected departures and overstays by country of citizenship, DHS's layout."""
    _report(arrivals, departures, status_changes, fiscal_year, as_of, engine, output_format,
            links, review, decisions, snapshot, None)


ENGINES = ("duckdb", "spark")


def _run(engine: str, arrivals: Path, departures: Path, status_changes: Path | None,
         defs: Definitions, *, decisions: list[Decision], model: dict[str, Any] | None,
         progress: Callable[[str], None]) -> RunResult:
    """The run on the chosen engine; Spark's master comes from the settings."""
    # Imported here: Splink (and Spark) load slowly, and only a report needs them.
    if engine == "spark":
        from nseers.entry_exit.spark_engine import run as run_on_spark  # noqa: PLC0415

        return run_on_spark(arrivals, departures, status_changes, defs, decisions=decisions,
                            model=model, progress=progress,
                            master=Settings.from_mapping().spark_master)
    from nseers.entry_exit.duckdb_engine import run  # noqa: PLC0415

    return run(arrivals, departures, status_changes, defs, decisions=decisions,
               model=model, progress=progress)


def _report(arrivals: Path, departures: Path, status_changes: Path | None, fiscal_year: int,
            as_of: str, engine: str, output_format: str, links: Path | None,
            review: Path | None, decisions: Path | None, snapshot: Path | None,
            model: dict[str, Any] | None) -> None:
    try:
        as_of_date = date.fromisoformat(as_of)
    except ValueError:
        _err(f"--as-of: not a date: {as_of!r} (expected YYYY-MM-DD)")
        raise typer.Exit(2) from None
    if engine not in ENGINES:
        _err(f"--engine: not duckdb or spark: {engine!r}")
        raise typer.Exit(2)
    if output_format not in ("json", "csv", "html"):
        _err(f"--format: not json, csv or html: {output_format!r}")
        raise typer.Exit(2)
    try:
        defs: Definitions = definitions_for(default_policy(), fiscal_year, as_of_date)
        result = _run(engine, arrivals, departures, status_changes, defs,
                      decisions=_decisions(decisions), model=model,
                      progress=lambda m: _err(f"... {m}"))
    except InvalidInputError as error:
        _err("the report was not produced:")
        for problem in error.problems:
            _err(f"  {problem}")
        raise typer.Exit(2) from None
    for load in result.loads:
        if load.bad_rows:
            _err(f"{load.file}: {load.bad_rows} bad rows set aside of {load.rows_read} "
                 f"({load.problem_count} problems):")
            for row_problem in load.problems:
                _err(f"  {row_problem}")
    if snapshot is not None:
        write_snapshot(snapshot, inputs={"arrivals": arrivals, "departures": departures,
                                         "status_changes": status_changes},
                       defs=defs, linkage=LinkageSettings(), engine=engine,
                       report=result.report, links=result.links, model=result.model)
    if links is not None:
        links.write_text(links_csv(result.links), encoding="utf-8")
    if review is not None:
        review.write_text(json.dumps(result.review, indent=1), encoding="utf-8")
    if output_format == "json":
        print(json.dumps(result.report, indent=2))
    elif output_format == "csv":
        sys.stdout.write(to_csv(result.report))
    else:
        sys.stdout.write(render_html(result.report, defs))


@entry_exit_app.command("reproduce")
def reproduce_command(
        manifest: Annotated[Path, typer.Argument(help="A snapshot's manifest.json or folder.")],
        output_format: Annotated[str, typer.Option("--format", help="json, csv or html.")]
        = "json",
        snapshot: Annotated[Path | None, typer.Option(
            "--snapshot", help="Store the re-run as a new snapshot.")] = None) -> None:
    """Run a snapshot again from its manifest: same inputs, parameters and trained model."""
    recorded = read_manifest(manifest)
    problems = changed_inputs(recorded)
    if problems:
        _err("the snapshot cannot be reproduced:")
        for problem in problems:
            _err(f"  {problem}")
        raise typer.Exit(2)
    inputs = recorded["inputs"]
    changes = inputs.get("status_changes")
    _report(Path(inputs["arrivals"]["path"]), Path(inputs["departures"]["path"]),
            None if changes is None else Path(changes["path"]), int(recorded["fiscal_year"]),
            str(recorded["as_of"]), str(recorded["engine"]), output_format, None, None, None,
            snapshot, recorded["model"])


@entry_exit_app.command("diff")
def diff_command(
        a: Annotated[Path, typer.Argument(help="The earlier snapshot's folder.")],
        b: Annotated[Path, typer.Argument(help="The later snapshot's folder.")]) -> None:
    """What changed between two snapshots, and why."""
    for folder in (a, b):
        if not (folder / "manifest.json").is_file():
            _err(f"{folder}: not a snapshot (no manifest.json)")
            raise typer.Exit(2)
    print(json.dumps(diff(a, b), indent=2))
