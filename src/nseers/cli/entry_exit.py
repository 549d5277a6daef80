"""``nseers entry-exit``: the Entry/Exit Overstay Report over arrival and departure feeds."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from nseers.core.errors import InvalidInputError
from nseers.entry_exit.definitions import Definitions, definitions_for
from nseers.entry_exit.html import render_html
from nseers.entry_exit.report import Decision, links_csv, to_csv
from nseers.rules.policy.store import default_policy

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
        engine: Annotated[str, typer.Option("--engine", help="duckdb (Spark: not yet).")]
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
) -> None:
    """Count expected departures and overstays by country of citizenship, DHS's layout."""
    try:
        as_of_date = date.fromisoformat(as_of)
    except ValueError:
        _err(f"--as-of: not a date: {as_of!r} (expected YYYY-MM-DD)")
        raise typer.Exit(2) from None
    if engine != "duckdb":
        _err(f"--engine: {engine!r} is not available; this build runs duckdb only")
        raise typer.Exit(2)
    if output_format not in ("json", "csv", "html"):
        _err(f"--format: not json, csv or html: {output_format!r}")
        raise typer.Exit(2)
    from nseers.entry_exit.duckdb_engine import run  # noqa: PLC0415 - Splink loads slowly

    try:
        defs: Definitions = definitions_for(default_policy(), fiscal_year, as_of_date)
        result = run(arrivals, departures, status_changes, defs,
                     decisions=_decisions(decisions), progress=lambda m: _err(f"... {m}"))
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
