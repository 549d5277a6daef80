"""``nseers demo``: synthetic data to explore and measure the registry with."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from nseers.bootstrap import open_registry
from nseers.demo.loader import LoadReport, load
from nseers.demo.population import generate
from nseers.demo.retention import place_demo_hold
from nseers.services.context import Registry
from nseers.settings import Settings

demo_app = typer.Typer(help="Generate and load synthetic demonstration data.",
                       no_args_is_help=True)

DEMO_TRAVELLERS = 400
DEMO_SEED = 2002


def _load(registry: Registry, travellers: int, seed: int) -> LoadReport:
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn()) as progress:
        task = progress.add_task("loading travellers", total=travellers)
        report = load(registry, generate(travellers, seed), seed=seed,
                      progress=lambda done: progress.advance(task, done))
    place_demo_hold(registry, seed)
    print(f"{report.travellers} travellers: {report.recorded} events recorded, "
          f"{report.refused} refused, {report.skipped} skipped, "
          f"{report.refused_entry} refusals of entry")
    if report.skipped:
        print(f"  {report.skipped_summary()}")
    for refusal in report.refusals:
        print(f"  refused: {refusal}")
    return report


@demo_app.command("generate")
def demo_generate(
        travellers: Annotated[int, typer.Option(
            "--travellers", min=1, help="How many synthetic travellers to make.")] = 1000,
        seed: Annotated[int, typer.Option(
            "--seed", help="The same seed always makes the same population.")] = 1) -> None:
    """Make a realistic synthetic population and record it in the configured database.

    Names in several scripts, a realistic nationality mix, arrivals and departures at real
    ports from 2002 to 2026, registrants of every basis, on-time and late departures and
    missed obligations, all through the same services officers use. Deterministic: the
    same --travellers and --seed give the same data, and loading it twice records nothing
    twice.
    """
    _load(open_registry(Settings.from_mapping()), travellers, seed)


@demo_app.command("load")
def demo_load() -> None:
    """Load the small demonstration set into the database ($NSEERS_DATA_DIR, default ./data)."""
    _load(open_registry(Settings.from_mapping()), DEMO_TRAVELLERS, DEMO_SEED)


# -- Entry-exit feeds (issue 12) -----------------------------------------------------------
@demo_app.command("entry-exit")
def demo_entry_exit(
        arrivals: Annotated[int, typer.Option("--arrivals", min=1,
                                              help="How many arrivals to make.")] = 10_000,
        out: Annotated[str, typer.Option("--out", help="Directory for the files.")]
        = "entry-exit-demo",
        seed: Annotated[int, typer.Option("--seed")] = 1,
        fiscal_year: Annotated[int, typer.Option("--fiscal-year")] = 2024,
        file_format: Annotated[str, typer.Option("--format", help="parquet or csv.")]
        = "parquet") -> None:
    """Write a synthetic fiscal year of arrival, departure and status-change feeds, with the
    noise of real feeds and the truth (truth.csv) to measure linkage against."""
    from pathlib import Path  # noqa: PLC0415

    from nseers.demo.entry_exit import generate as generate_feeds  # noqa: PLC0415

    made = generate_feeds(Path(out), arrivals, seed=seed, fiscal_year=fiscal_year,
                          file_format=file_format)
    for name, count in made.counts.items():
        print(f"{name}: {count} rows")
    print(f"truth: {made.truth}")
