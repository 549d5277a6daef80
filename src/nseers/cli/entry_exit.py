"""``nseers entry-exit``: the Entry/Exit Overstay Report over arrival and departure feeds,
or over the registry's own arrivals and departures."""

from __future__ import annotations

import csv
import getpass
import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nseers.core.actors import Actor, Role
from nseers.core.errors import InvalidInputError, NseersError
from nseers.entry_exit.definitions import Definitions, LinkageSettings, definitions_for
from nseers.entry_exit.html import render_html
from nseers.entry_exit.report import Decision, to_csv
from nseers.entry_exit.snapshots import (
    changed_inputs,
    diff,
    read_manifest,
    sha256,
    write_snapshot,
)
from nseers.rules.policy.store import default_policy
from nseers.settings import Settings

if TYPE_CHECKING:
    from nseers.entry_exit.pipeline import RunResult
    from nseers.services.entry_exit_feeds import RegistryFeeds

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


def _with_queue_decisions(reviewer: Actor, from_file: list[Decision]) -> list[Decision]:
    """The registry queue's decisions, then the ``--decisions`` file's: on a pair both
    decide, the file wins (it is what the person running this report asked for now)."""
    from nseers.services.linkage_reviews import decisions_to_apply  # noqa: PLC0415

    by_pair = {(d.arrival_record_id, d.departure_record_id): d
               for d in _against_registry(lambda registry: decisions_to_apply(
                   registry, reviewer))}
    by_pair.update({(d.arrival_record_id, d.departure_record_id): d for d in from_file})
    return list(by_pair.values())


def _run_label(fiscal_year: int, as_of: date, arrivals: Path, departures: Path) -> str:
    return (f"FY{fiscal_year} as of {as_of.isoformat()}; arrivals {arrivals.name} "
            f"sha256:{sha256(arrivals)[:12]}; departures {departures.name} "
            f"sha256:{sha256(departures)[:12]}")[:300]


def _publish(reviewer: Actor, review: list[dict[str, Any]], run_label: str,
             snapshot: Path | None) -> None:
    from nseers.services.linkage_reviews import (  # noqa: PLC0415
        QueueItem,
        QueuePublication,
        publish_queue,
    )
    items = tuple(QueueItem(str(r["arrival_record_id"]), str(r["departure_record_id"]),
                            float(r["probability"]), r.get("levels", {}),
                            r.get("arrival", {}), r.get("departure", {})) for r in review)
    publication = QueuePublication(run_label, items,
                                   None if snapshot is None else str(snapshot.resolve()))
    answer = _against_registry(lambda registry: publish_queue(registry, reviewer,
                                                              publication))
    _err(f"review queue: {answer['queued']} new, {answer['updated']} updated, "
         f"{answer['pending']} pending in the registry")


def _against_registry(work: Any) -> Any:
    """``work(registry)`` on the configured registry; a refusal exits 1 with its reason."""
    from nseers.bootstrap import open_registry  # noqa: PLC0415 - only with --queue

    registry = open_registry()
    try:
        return work(registry)
    except NseersError as error:
        _err(f"error: the review queue: {error}")
        raise typer.Exit(1) from None
    finally:
        registry.database.dispose()


@entry_exit_app.command("report")
def report_command(
        fiscal_year: Annotated[int, typer.Option("--fiscal-year", min=1900, max=9999)],
        as_of: Annotated[str, typer.Option("--as-of", help="YYYY-MM-DD: departures "
                                                             "recorded after it are ignored.")],
        arrivals: Annotated[Path | None, typer.Option(
            "--arrivals", help="Arrivals, CSV or Parquet (with --departures; without "
                               "both, the registry's own).")] = None,
        departures: Annotated[Path | None, typer.Option(
            "--departures", help="Departures, CSV or Parquet (with --arrivals).")] = None,
        user: Annotated[str | None, typer.Option(
            "--user", help="Who is acting when the registry is read or its review queue "
                           "used (default: $NSEERS_USER, else your login name).",
            show_default=False)]
        = None,
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
        queue: Annotated[bool, typer.Option(
            "--queue", help="Use the registry's review queue: apply its decisions on this "
                            "run and publish the links under the confident threshold to "
                            "it.")] = False,
        role: Annotated[Role, typer.Option(
            "--role", help="The role you act in, with --queue; it must allow review_links.")]
        = Role.ANALYST,
        purpose: Annotated[str, typer.Option(
            "--purpose", help="Why, with --queue (recorded in the audit trail).")] = "",
) -> None:
    """Count expected departures and overstays by country of citizenship, DHS's layout.

    Without --arrivals and --departures it reads the registry's own arrivals and
    departures (as of --as-of), audited as one read by --user in the analyst role."""
    reviewer = None
    if queue:
        reviewer = Actor(user or os.environ.get("NSEERS_USER") or getpass.getuser(), role,
                         purpose)
    if arrivals is not None and departures is not None:
        _report(arrivals, departures, status_changes, fiscal_year, as_of, engine,
                output_format, links, review, decisions, snapshot, None, reviewer)
        return
    if arrivals is not None or departures is not None:
        given, missing = (("--arrivals", "--departures") if departures is None
                          else ("--departures", "--arrivals"))
        _err(f"{missing}: missing; {given} needs it (give both files, or neither to read "
             f"the registry)")
        raise typer.Exit(2)
    with tempfile.TemporaryDirectory(prefix="nseers-entry-exit-") as scratch:
        # A snapshot keeps the feeds it was made from, so that it can be reproduced.
        folder = snapshot / "registry_feeds" if snapshot is not None else Path(scratch)
        feeds = _registry_feeds(user, folder, _as_of(as_of))
        _report(feeds.arrivals, feeds.departures, status_changes or feeds.status_changes,
                fiscal_year, as_of, engine, output_format, links, review, decisions,
                snapshot, None, reviewer)


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


def _as_of(as_of: str) -> date:
    """``--as-of`` read before the registry is (``_report`` reads it again, as before)."""
    try:
        return date.fromisoformat(as_of)
    except ValueError:
        _err(f"--as-of: not a date: {as_of!r} (expected YYYY-MM-DD)")
        raise typer.Exit(2) from None


def _registry_feeds(user: str | None, folder: Path, as_of: date) -> RegistryFeeds:
    """The registry's arrivals and departures written as feeds in ``folder``."""
    from nseers.bootstrap import open_registry  # noqa: PLC0415 - only the registry path
    from nseers.services.entry_exit_feeds import write_registry_feeds  # noqa: PLC0415

    actor = Actor(user or os.environ.get("NSEERS_USER") or getpass.getuser(), Role.ANALYST,
                  "the Entry/Exit Overstay Report")
    registry = open_registry()
    try:
        feeds = write_registry_feeds(registry, actor, folder, as_of)
    except NseersError as error:
        _err(f"the registry could not be read: {error}")
        raise typer.Exit(1) from None
    finally:
        registry.database.dispose()
    _err(f"... read from the registry: {feeds.counts['arrivals']} arrivals, "
         f"{feeds.counts['departures']} departures (the registry records no status "
         f"changes)")
    return feeds


def _report(arrivals: Path, departures: Path, status_changes: Path | None, fiscal_year: int,
            as_of: str, engine: str, output_format: str, links: Path | None,
            review: Path | None, decisions: Path | None, snapshot: Path | None,
            model: dict[str, Any] | None, reviewer: Actor | None = None) -> None:
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
        applied = _decisions(decisions)
        if reviewer is not None:
            applied = _with_queue_decisions(reviewer, applied)
        result = _run(engine, arrivals, departures, status_changes, defs,
                      decisions=applied, model=model,
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
        result.links.write_csv(links)
    if review is not None:
        review.write_text(json.dumps(result.review, indent=1), encoding="utf-8")
    if reviewer is not None:
        _publish(reviewer, result.review, _run_label(fiscal_year, as_of_date, arrivals,
                                                     departures), snapshot)
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
