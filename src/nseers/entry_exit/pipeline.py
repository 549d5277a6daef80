"""The report's steps in order, written once for every engine that runs them.

An engine (:mod:`~nseers.entry_exit.duckdb_engine`, :mod:`~nseers.entry_exit.spark_engine`)
only executes SQL, returns rows and takes tables in; this module decides what runs when.
The feeds are always read and checked by :mod:`~nseers.entry_exit.inputs` on an embedded
DuckDB connection, so bad rows are found and reported the same way whatever engine counts;
the engine then gets the rows that were kept.

What is not SQL is done here, in Python, identically for every engine: the name map, the
Splink model's training (always on an embedded DuckDB over the residual records, so that
both engines score with the same m and u values), the rounding of match probabilities,
and the evidence strings of probabilistic links.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

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
from nseers.entry_exit.linkage import (
    EM_BLOCKING,
    LINK_COLUMNS,
    fired_levels,
    for_dialect,
    settings,
)
from nseers.entry_exit.links import FILE_NAME, Links, links_folder
from nseers.entry_exit.names import name_map
from nseers.entry_exit.report import Decision, build_report

Progress = Callable[[str], None]

PROBABILITY_DIGITS = 6
"""Match probabilities are kept to six decimals (rounded in Python, the same on every
engine), so that the links file and the assignment's tie-breaks do not depend on the last
bits of an engine's floating point."""

_PROB_LINKS = pa.schema([("dep_id", pa.string()), ("arr_id", pa.string()),
                         ("probability", pa.float64()), ("evidence", pa.string())])
_DECISIONS = pa.schema([("arr_id", pa.string()), ("dep_id", pa.string()),
                        ("decision", pa.string())])
_LINK_SELECT = ", ".join("CAST(birth_year AS BIGINT) AS birth_year" if c == "birth_year"
                         else c for c in LINK_COLUMNS)


@dataclass
class RunResult:
    """A report run: the report, its links, the review queue and what the feeds gave."""

    report: dict[str, Any]
    links: Links
    review: list[dict[str, Any]]
    loads: list[LoadResult]
    model: dict[str, Any] | None
    evidence: dict[tuple[str, str], str] = field(default_factory=dict)


class Engine(Protocol):
    """What the pipeline needs of an engine. Statements are written in DuckDB's dialect
    (:mod:`~nseers.entry_exit.sql`); an engine with another dialect translates them."""

    def execute(self, statement: str) -> None:
        """Run one statement (``CREATE OR REPLACE TABLE name AS ...`` makes a table)."""

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        """The rows of a query."""

    def arrow(self, query: str) -> pa.Table:
        """The result of a query as an Arrow table."""

    def put(self, name: str, table: pa.Table) -> None:
        """Make (or replace) the table ``name`` holding ``table``."""

    def write_parquet(self, query: str, path: Path) -> None:
        """Write the result of a query, in its order, as one Parquet file at ``path`` on
        this machine (the links leave the engine this way: see
        :mod:`~nseers.entry_exit.links`)."""

    def columns(self, table: str) -> list[str]:
        """The column names of a table."""

    @property
    def dialect(self) -> str:
        """Splink's name for this engine's SQL dialect."""

    def splink_tables(self) -> tuple[Any, list[Any]]:
        """A Splink database API on this engine and the tables ``link_arr`` (as
        ``arrivals``) and ``link_dep`` (as ``departures``) registered on it."""


def count(engine: Engine, table: str) -> int:
    """The number of rows of a table."""
    rows = engine.rows(f"SELECT count(*) FROM {table}")
    return int(rows[0][0]) if rows else 0


def drop(engine: Engine, *tables: str) -> None:
    """Drop tables no later step reads, where they exist.

    At 50M arrivals every table of a step is gigabytes; left standing, DuckDB keeps them
    in its memory, or writes them to its spill folder to make room, until the run ends.
    """
    for table in tables:
        engine.execute(f"DROP TABLE IF EXISTS {table}")


def read_feeds(con: duckdb.DuckDBPyConnection, arrivals: Path, departures: Path,
               status_changes: Path | None) -> list[LoadResult]:
    """Read and check the feeds into ``<kind>_ok`` tables of ``con``."""
    return [load_feed(con, "arrivals", arrivals), load_feed(con, "departures", departures),
            load_feed(con, "status_changes", status_changes) if status_changes
            else empty_feed(con, "status_changes")]


def name_table(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """``raw``, ``norm``, ``phon`` for every distinct name string of the kept rows."""
    distinct = con.execute(
        "SELECT DISTINCT v FROM (SELECT surname AS v FROM arrivals_ok UNION "
        "SELECT given_names FROM arrivals_ok UNION SELECT surname FROM departures_ok "
        "UNION SELECT given_names FROM departures_ok) WHERE v IS NOT NULL ORDER BY v"
    ).fetchall()
    return pa.table(name_map(row[0] for row in distinct))


def _load(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    for name, table in tables.items():
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow "
                    f"ORDER BY record_id")
        con.unregister(f"{name}_arrow")


def _unobserved_as_such(model: dict[str, Any]) -> dict[str, Any]:
    """A u value of zero (no sampled pair of different people fell in that level, as on
    small feeds) written as Splink's own "level not observed in training dataset", which
    it scores as a small probability: a zero u would make the level's weight, and the
    prior that expectation maximisation starts from in a block on it, infinite."""
    from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT  # noqa: PLC0415

    for comparison in model.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            if not level.get("is_null_level") and level.get("u_probability") == 0:
                level["u_probability"] = LEVEL_NOT_OBSERVED_TEXT
    return model


def prior(n_arrivals: int, n_departures: int) -> float:
    """The chance that a random arrival and departure are one person's, if every record of
    the smaller side has its match on the other: at most one half, so that two records
    left alone are not taken to match before they are compared."""
    if not n_arrivals or not n_departures:
        return 0.0
    return min(0.5, min(n_arrivals, n_departures) / (n_arrivals * n_departures))


def train(u_records: tuple[pa.Table, pa.Table], m_records: tuple[pa.Table, pa.Table],
          scored_prior: float, linkage: LinkageSettings,
          connect: Callable[[], duckdb.DuckDBPyConnection]) -> dict[str, Any]:
    """Train the Splink model on a fresh embedded DuckDB: u on ``u_records``, m on
    ``m_records`` (each arrivals, departures); the model's prior is ``scored_prior``.

    Every engine trains here: Splink's u sampling draws its random pairs with the engine's
    own random function, so a model trained on Spark would differ from DuckDB's. Tables
    are sorted by ``record_id`` so the sample depends on the data alone.

    u, the chance that two records of different people agree, is sampled from records not
    chosen by what is compared (see :func:`_training_sample`). m, the chance that two
    records of one person agree, cannot be learnt from the residual records the model
    scores: the exact tiers have taken every pair that agrees on name and birth date, so
    among the residuals the pairs that look most alike are namesakes, and expectation
    maximisation settles on them as the matching class (it once learnt there that a
    person's two records mostly disagree on the birth date). m is therefore trained on a
    sample of every record (:func:`_training_sample`), exact pairs included, where one
    person's records are the common case.
    """
    from splink import DuckDBAPI, Linker  # noqa: PLC0415 - Splink is slow to import

    con = connect()
    # One thread: DuckDB's parallel sums add in no fixed order, and expectation
    # maximisation carries the difference in the last bits into the model, so two runs on
    # the same records (or on the two engines) could train models that differ.
    con.execute("SET threads = 1")
    try:
        names = {"u_arr": u_records[0], "u_dep": u_records[1],
                 "m_arr": m_records[0], "m_dep": m_records[1]}
        _load(con, names)
        api = DuckDBAPI(con)
        linker = Linker([api.register("u_arr", table_name="arrivals"),
                         api.register("u_dep", table_name="departures")],
                        settings(prior(m_records[0].num_rows, m_records[1].num_rows)),
                        log_level=logging.ERROR)
        linker.training.estimate_u_using_random_sampling(
            max_pairs=linkage.max_pairs_for_u, seed=linkage.seed)
        with_u = _unobserved_as_such(dict(linker.misc.save_model_to_json()))
        api = DuckDBAPI(con)
        linker = Linker([api.register("m_arr", table_name="arrivals"),
                         api.register("m_dep", table_name="departures")],
                        with_u, log_level=logging.ERROR)
        for rule, fix_prior in EM_BLOCKING:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True,
                fix_probability_two_random_records_match=fix_prior)
        model = dict(linker.misc.save_model_to_json())
        model["probability_two_random_records_match"] = scored_prior
        return model
    finally:
        con.close()


_SAMPLE_KEY = ("CAST(year(dob) AS VARCHAR) || '-' || "
               "CAST(least(day(dob), month(dob)) AS VARCHAR)")
"""What the training sample is drawn by: the birth year and the lesser of day and month, so
that a departure whose day and month were swapped stays in the sample with its arrival."""


def _training_sample(engine: Engine, linkage: LinkageSettings) -> bool:
    """``train_arr`` and ``train_dep``: every record whose sample key (:data:`_SAMPLE_KEY`)
    is one in so many, chosen from the sorted keys so that about ``training_arrivals``
    arrivals are kept. True when that is every record: then the sample is also the
    population u is sampled from, since nothing chose it; otherwise u is sampled from
    the residual records, as the sample's birth dates are chosen ones."""
    keys = engine.rows(f"SELECT k, count(*) FROM (SELECT {_SAMPLE_KEY} AS k FROM arr) "
                       f"WHERE k IS NOT NULL GROUP BY k ORDER BY k")
    total = sum(int(n) for _, n in keys)
    stride = max(1, -(-total // max(1, linkage.training_arrivals)))
    if stride == 1:
        for name, source in (("train_arr", "arr"), ("train_dep", "dep")):
            engine.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {_LINK_SELECT} "
                           f"FROM {source}")
        return True
    engine.put("train_keys", pa.table({"k": [str(k) for k, _ in keys[::stride]]}))
    for name, source in (("train_arr", "arr"), ("train_dep", "dep")):
        engine.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {_LINK_SELECT} FROM "
                       f"(SELECT *, {_SAMPLE_KEY} AS k FROM {source}) "
                       f"SEMI JOIN train_keys USING (k)")
    return False


def _probabilistic(engine: Engine, linkage: LinkageSettings, model: dict[str, Any] | None,
                   connect: Callable[[], duckdb.DuckDBPyConnection], say: Progress
                   ) -> dict[str, Any] | None:
    """Score residual departures against residual arrivals with Splink; ``prob_scored``."""
    scored: list[tuple[str, str, float, str]] = []
    if count(engine, "res_dep") and count(engine, "res_arr"):
        from splink import Linker  # noqa: PLC0415 - Splink is slow to import

        logging.getLogger("splink").setLevel(logging.ERROR)
        for name, source in (("link_arr", "res_arr"), ("link_dep", "res_dep")):
            engine.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT {_LINK_SELECT} "
                           f"FROM {source} ORDER BY record_id")
        if model is None:
            def table(name: str) -> pa.Table:
                return engine.arrow(f"SELECT * FROM {name} ORDER BY record_id")

            say("training the Splink model")
            every_record = _training_sample(engine, linkage)
            sample = (table("train_arr"), table("train_dep"))
            model = train(sample if every_record else (table("link_arr"), table("link_dep")),
                          sample, prior(count(engine, "link_arr"), count(engine, "link_dep")),
                          linkage, connect)
        say("predicting links with Splink")
        _, tables = engine.splink_tables()
        linker = Linker(tables, for_dialect(model, engine.dialect), log_level=logging.ERROR)
        predictions = linker.inference.predict(
            threshold_match_probability=linkage.link_threshold)
        gammas = [c for c in engine.columns(predictions.physical_name)
                  if c.startswith("gamma_")]
        listed = ", ".join(gammas)
        say("reading the scored pairs")
        for source, left, right, probability, *levels in engine.rows(
                f"SELECT source_dataset_l, record_id_l, record_id_r, match_probability"
                f"{', ' + listed if listed else ''} FROM {predictions.physical_name}"):
            dep, arr = (left, right) if source == "departures" else (right, left)
            evidence = ";".join(f"{g[6:]}={level}" for g, level in zip(gammas, levels,
                                                                        strict=True))
            scored.append((str(dep), str(arr),
                           round(float(probability), PROBABILITY_DIGITS), evidence))
        # Splink leaves its own tables (the records with term frequencies, the pairs) in
        # the engine; untyped in Splink.
        linker.table_management.delete_tables_created_by_splink_from_db()  # type: ignore[no-untyped-call]
        drop(engine, "link_arr", "link_dep", "train_arr", "train_dep", "train_keys")
    scored.sort()
    engine.put("prob_scored", pa.Table.from_pylist(
        [dict(zip(_PROB_LINKS.names, row, strict=True)) for row in scored],
        schema=_PROB_LINKS))
    return model


def _apply_decisions(engine: Engine, decisions: Sequence[Decision]) -> None:
    """``prob_links``: the scored links less those an analyst rejected."""
    engine.put("decisions", pa.Table.from_pylist(
        [{"arr_id": d.arrival_record_id, "dep_id": d.departure_record_id,
          "decision": d.decision} for d in decisions], schema=_DECISIONS))
    engine.execute("CREATE OR REPLACE TABLE prob_links AS SELECT p.* FROM prob_scored p "
                   "ANTI JOIN (SELECT arr_id, dep_id FROM decisions "
                   "WHERE decision = 'reject') d ON d.arr_id = p.arr_id "
                   "AND d.dep_id = p.dep_id")


#: The feeds whose kept rows are set aside once the identity tables are built.
_SET_ASIDE = ("arrivals", "departures")


def _set_aside(reader: duckdb.DuckDBPyConnection, where: Path) -> None:
    """Move the kept arrival and departure rows out of memory, into Parquet under ``where``.

    After the identity tables (``arr``, ``dep``) are built, the feeds as given are needed
    only to show the input rows of the few links under review. Kept in the reader, they
    held about a third of the memory limit at ten million arrivals and pushed the exact
    tiers' joins to spill; written once, compressed, they are read back for those rows.
    """
    for kind in _SET_ASIDE:
        target = str(where / f"{kind}.parquet").replace("'", "''")
        reader.execute(f"COPY {kind}_ok TO '{target}' (FORMAT parquet)")
        reader.execute(f"DROP TABLE {kind}_ok")


def _input_rows(reader: duckdb.DuckDBPyConnection, kind: str, columns: Sequence[str],
                ids: set[str], aside: Path) -> dict[str, dict[str, str | None]]:
    """The input rows of ``kind`` with these record ids, as the feed gave them (from the
    rows :func:`_set_aside` put under ``aside``)."""
    if not ids:
        return {}
    source = str(aside / f"{kind}.parquet").replace("'", "''")
    reader.register("wanted", pa.table({"record_id": sorted(ids)}))
    try:
        found = reader.execute(
            f"SELECT TRIM(f.record_id), {', '.join('f.' + c for c in columns)} "
            f"FROM read_parquet('{source}') f "
            f"JOIN wanted w ON w.record_id = TRIM(f.record_id)").fetchall()
    finally:
        reader.unregister("wanted")
    return {str(row[0]): dict(zip(columns, row[1:], strict=True)) for row in found}


def _review(engine: Engine, reader: duckdb.DuckDBPyConnection, linkage: LinkageSettings,
            model: dict[str, Any] | None, aside: Path) -> list[dict[str, Any]]:
    """The links under the confident threshold no decision covers, with what an analyst
    needs to judge them: the probability, the comparison levels that fired and both input
    rows (as ``reader`` loaded them, from where :func:`_set_aside` put them: ``aside``)."""
    pending = engine.rows(
        f"SELECT p.arr_id, p.dep_id, p.probability, p.evidence FROM prob_links p "
        f"ANTI JOIN decisions x ON x.arr_id = p.arr_id AND x.dep_id = p.dep_id "
        f"WHERE p.probability < {float(linkage.confident_threshold)} "
        f"ORDER BY p.probability, p.arr_id, p.dep_id")
    arrivals = _input_rows(reader, "arrivals", ARRIVAL_COLUMNS, {str(r[0]) for r in pending},
                           aside)
    departures = _input_rows(reader, "departures", DEPARTURE_COLUMNS,
                             {str(r[1]) for r in pending}, aside)
    return [{"arrival_record_id": a, "departure_record_id": d, "probability": float(p),
             "comparison_levels": e, "levels": fired_levels(model, str(e or "")),
             "arrival": arrivals.get(str(a), {}), "departure": departures.get(str(d), {})}
            for a, d, p, e in pending]


def _resolve_and_count(engine: Engine, defs: Definitions, linkage: LinkageSettings,
                       decisions: Sequence[Decision], model: dict[str, Any] | None,
                       say: Progress, connect: Callable[[], duckdb.DuckDBPyConnection]
                       ) -> tuple[dict[str, Any], Links, dict[str, Any] | None]:
    """From the identity tables to the report: the tiers, the assignment, the expected
    departure dates and the counts; the report, its links and the model that scored."""
    say("linking by document and by name, birth date and citizenship")
    engine.execute(sql.IDENTITY_LINKS)
    for statement in sql.RESIDUALS:
        engine.execute(statement)
    drop(engine, "id_links")
    say(f"scoring {count(engine, 'res_dep')} residual departures with Splink")
    model = _probabilistic(engine, linkage, model, connect, say)
    drop(engine, "res_arr", "res_dep")
    _apply_decisions(engine, decisions)
    say("assigning departures to arrivals")
    engine.execute(sql.ASSIGNMENT)
    drop(engine, "id_assigned", "prob_scored")
    say("computing expected departure dates and status changes")
    for statement in sql.expected_departures(defs):
        engine.execute(statement)
    steps = engine.rows("SELECT coalesce(max(n), 0) FROM changes")
    for step in range(1, int(steps[0][0] if steps else 0) + 1):
        engine.execute(sql.STATUS_CHANGE_STEP.format(step=step))
    engine.execute(sql.admissions(defs))
    drop(engine, "arr", "dep", "edd0", "edd_state", "changes", "grace")
    counts = [(str(s), str(c), str(g), int(e), int(o), int(i))
              for s, c, g, e, o, i in engine.rows(sql.COUNTS)]
    drop(engine, "adm")
    return build_report(defs, counts), _links(engine), model


def _links(engine: Engine) -> Links:
    """The assigned links, written by the engine into a file of their own.

    Not fetched into this process: at 50M arrivals they are some 45 million rows, about
    2.5 GB as Arrow on top of the engine's memory. The file outlives the run's temporary
    directory; it belongs to the :class:`Links` returned (see its module on lifetime).
    """
    folder = links_folder()
    try:
        engine.write_parquet(
            "SELECT CAST(arr_id AS VARCHAR) AS arr_id, CAST(dep_id AS VARCHAR) AS dep_id, "
            "CAST(method AS VARCHAR) AS method, CAST(probability AS DOUBLE) AS probability "
            "FROM assigned ORDER BY arr_id, dep_id", folder / FILE_NAME)
        return Links(folder / FILE_NAME, owned=True)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def run_pipeline(engine: Engine, reader: duckdb.DuckDBPyConnection, arrivals: Path,
                 departures: Path, status_changes: Path | None, defs: Definitions,
                 linkage: LinkageSettings, *, decisions: Sequence[Decision],
                 model: dict[str, Any] | None, say: Progress,
                 connect: Callable[[], duckdb.DuckDBPyConnection],
                 hand_over: Callable[[], None] | None = None) -> RunResult:
    """Run the whole report: read with ``reader``, then every step on ``engine``.

    ``hand_over`` moves the kept rows from ``reader`` to the engine (when the engine is
    ``reader`` itself, it only readies it for the steps); ``connect`` opens the DuckDB the
    model trains on.
    """
    say("reading the feeds")
    loads = read_feeds(reader, arrivals, departures, status_changes)
    if hand_over is not None:
        hand_over()
    say("normalising names")
    engine.put("name_map", name_table(reader))
    for statement in sql.people_tables(defs):
        engine.execute(statement)
    with tempfile.TemporaryDirectory(prefix="nseers-feeds-") as aside:
        _set_aside(reader, Path(aside))
        report, links, model = _resolve_and_count(engine, defs, linkage, decisions, model,
                                                  say, connect)
        review = _review(engine, reader, linkage, model, Path(aside))
    say("done")
    return RunResult(report=report, links=links, review=review, loads=loads, model=model)
