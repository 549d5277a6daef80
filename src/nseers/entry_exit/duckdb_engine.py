"""The pipeline on DuckDB embedded: read the feeds, resolve identities, count overstays.

Exact tiers run as set-based SQL over every record; Splink scores only what they left,
under tight blocking, so a national fiscal year stays a few hash joins plus a small
probabilistic problem. DuckDB spills to disk past ``memory_limit``.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from nseers.entry_exit import sql
from nseers.entry_exit.definitions import (
    ARRIVAL_COLUMNS,
    DEPARTURE_COLUMNS,
    Definitions,
    LinkageSettings,
)
from nseers.entry_exit.inputs import LoadResult, empty_feed, load_feed
from nseers.entry_exit.linkage import EM_BLOCKING, LINK_COLUMNS, fired_levels, settings
from nseers.entry_exit.names import name_map
from nseers.entry_exit.report import Decision, build_report

Progress = Callable[[str], None]


@dataclass
class RunResult:
    """A report run: the report, its links, the review queue and what the feeds gave."""

    report: dict[str, Any]
    links: list[tuple[str, str, str, float]]
    review: list[dict[str, Any]]
    loads: list[LoadResult]
    model: dict[str, Any] | None
    evidence: dict[tuple[str, str], str] = field(default_factory=dict)


def _connect(memory_limit: str, threads: int | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/nseers-duckdb'")
    con.execute("SET preserve_insertion_order = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _normalise_names(con: duckdb.DuckDBPyConnection) -> None:
    distinct = con.execute(
        "SELECT DISTINCT v FROM (SELECT surname AS v FROM arrivals_ok UNION "
        "SELECT given_names FROM arrivals_ok UNION SELECT surname FROM departures_ok "
        "UNION SELECT given_names FROM departures_ok) WHERE v IS NOT NULL ORDER BY v"
    ).fetchall()
    mapping = pa.table(name_map(row[0] for row in distinct))
    con.register("name_map_arrow", mapping)
    con.execute("CREATE OR REPLACE TABLE name_map AS SELECT * FROM name_map_arrow")
    con.unregister("name_map_arrow")


def _probabilistic(con: duckdb.DuckDBPyConnection, linkage: LinkageSettings,
                   model: dict[str, Any] | None) -> dict[str, Any] | None:
    """Score residual departures against residual arrivals with Splink; ``prob_links``."""
    con.execute("CREATE OR REPLACE TABLE prob_links (dep_id VARCHAR, arr_id VARCHAR, "
                "probability DOUBLE, evidence VARCHAR)")
    n_dep, n_arr = _count(con, "res_dep"), _count(con, "res_arr")
    if n_dep == 0 or n_arr == 0:
        return model
    from splink import DuckDBAPI, Linker  # noqa: PLC0415 - Splink is slow to import

    logging.getLogger("splink").setLevel(logging.ERROR)
    columns = ", ".join(LINK_COLUMNS)
    con.execute(f"CREATE OR REPLACE TABLE link_arr AS SELECT {columns} FROM res_arr "
                f"ORDER BY record_id")
    con.execute(f"CREATE OR REPLACE TABLE link_dep AS SELECT {columns} FROM res_dep "
                f"ORDER BY record_id")
    api = DuckDBAPI(con)
    tables = [api.register("link_arr", table_name="arrivals"),
              api.register("link_dep", table_name="departures")]
    if model is None:
        prior = min(n_dep, n_arr) / (n_dep * n_arr)
        linker = Linker(tables, settings(prior), log_level=logging.ERROR)
        linker.training.estimate_u_using_random_sampling(
            max_pairs=linkage.max_pairs_for_u, seed=linkage.seed)
        for rule in EM_BLOCKING:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True)
        model = linker.misc.save_model_to_json()
    else:
        linker = Linker(tables, model, log_level=logging.ERROR)
    predictions = linker.inference.predict(
        threshold_match_probability=linkage.link_threshold).as_duckdbpyrelation()
    gammas = [c for c in predictions.columns if c.startswith("gamma_")]
    evidence = " || ';' || ".join(f"'{g[6:]}=' || CAST({g} AS VARCHAR)" for g in gammas)
    con.register("predictions", predictions)
    con.execute(f"""
        INSERT INTO prob_links
        SELECT CASE WHEN source_dataset_l = 'departures' THEN record_id_l ELSE record_id_r END,
               CASE WHEN source_dataset_l = 'departures' THEN record_id_r ELSE record_id_l END,
               round(match_probability, 6), {evidence or "''"}
        FROM predictions""")
    con.unregister("predictions")
    return model


def _apply_decisions(con: duckdb.DuckDBPyConnection, decisions: Sequence[Decision]) -> None:
    con.execute("CREATE OR REPLACE TABLE decisions (arr_id VARCHAR, dep_id VARCHAR, "
                "decision VARCHAR)")
    if decisions:
        con.executemany("INSERT INTO decisions VALUES (?, ?, ?)",
                        [(d.arrival_record_id, d.departure_record_id, d.decision)
                         for d in decisions])
    con.execute("DELETE FROM prob_links p USING decisions d WHERE d.arr_id = p.arr_id "
                "AND d.dep_id = p.dep_id AND d.decision = 'reject'")


def _rows(con: duckdb.DuckDBPyConnection, kind: str, columns: Sequence[str],
          ids: set[str]) -> dict[str, dict[str, str | None]]:
    """The input rows of ``kind`` with these record ids, as the feed gave them."""
    if not ids:
        return {}
    con.execute("CREATE OR REPLACE TEMP TABLE wanted (record_id VARCHAR)")
    con.executemany("INSERT INTO wanted VALUES (?)", [(i,) for i in sorted(ids)])
    found = con.execute(f"SELECT TRIM(f.record_id), {', '.join('f.' + c for c in columns)} "
                        f"FROM {kind}_ok f JOIN wanted w ON w.record_id = TRIM(f.record_id)"
                        ).fetchall()
    return {str(row[0]): dict(zip(columns, row[1:], strict=True)) for row in found}


def _review(con: duckdb.DuckDBPyConnection, linkage: LinkageSettings,
            model: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The links under the confident threshold no decision covers, with what an analyst
    needs to judge them: the probability, the comparison levels that fired and both input
    rows."""
    pending = con.execute(
        f"SELECT p.arr_id, p.dep_id, p.probability, p.evidence FROM prob_links p "
        f"ANTI JOIN decisions x ON x.arr_id = p.arr_id AND x.dep_id = p.dep_id "
        f"WHERE p.probability < {float(linkage.confident_threshold)} "
        f"ORDER BY p.probability, p.arr_id, p.dep_id").fetchall()
    arrivals = _rows(con, "arrivals", ARRIVAL_COLUMNS, {str(r[0]) for r in pending})
    departures = _rows(con, "departures", DEPARTURE_COLUMNS, {str(r[1]) for r in pending})
    return [{"arrival_record_id": a, "departure_record_id": d, "probability": float(p),
             "comparison_levels": e, "levels": fired_levels(model, str(e or "")),
             "arrival": arrivals.get(str(a), {}), "departure": departures.get(str(d), {})}
            for a, d, p, e in pending]


def run(arrivals: Path, departures: Path, status_changes: Path | None, defs: Definitions,
        linkage: LinkageSettings | None = None, *, decisions: Sequence[Decision] = (),
        model: dict[str, Any] | None = None, progress: Progress | None = None,
        memory_limit: str = "6GB", threads: int | None = None) -> RunResult:
    """Run the whole report over the feeds; see :mod:`nseers.entry_exit.definitions`."""
    linkage = linkage or LinkageSettings()
    say = progress or (lambda _message: None)
    con = _connect(memory_limit, threads)
    say("reading the feeds")
    loads = [load_feed(con, "arrivals", arrivals), load_feed(con, "departures", departures),
             load_feed(con, "status_changes", status_changes) if status_changes
             else empty_feed(con, "status_changes")]
    say("normalising names")
    _normalise_names(con)
    for statement in sql.people_tables(defs):
        con.execute(statement)
    say("linking by document and by name, birth date and citizenship")
    con.execute(sql.IDENTITY_LINKS)
    for statement in sql.RESIDUALS:
        con.execute(statement)
    say(f"scoring {_count(con, 'res_dep')} residual departures with Splink")
    model = _probabilistic(con, linkage, model)
    _apply_decisions(con, decisions)
    say("assigning departures to arrivals")
    con.execute(sql.ASSIGNMENT)
    say("computing expected departure dates and status changes")
    for statement in sql.expected_departures(defs):
        con.execute(statement)
    steps = con.execute("SELECT coalesce(max(n), 0) FROM changes").fetchone()
    for step in range(1, int(steps[0] if steps else 0) + 1):
        con.execute(sql.STATUS_CHANGE_STEP.format(step=step))
    con.execute(sql.admissions(defs))
    counts = con.execute(sql.COUNTS).fetchall()
    report = build_report(defs, counts)
    links = [(str(a), str(d), str(m), float(p)) for a, d, m, p in con.execute(
        "SELECT arr_id, dep_id, method, probability FROM assigned "
        "ORDER BY arr_id, dep_id").fetchall()]
    review = _review(con, linkage, model)
    con.close()
    say("done")
    return RunResult(report=report, links=links, review=review, loads=loads, model=model)
