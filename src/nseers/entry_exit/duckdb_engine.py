"""The pipeline on DuckDB embedded: read the feeds, resolve identities, count overstays.

Exact tiers run as set-based SQL over every record; Splink scores only what they left,
under tight blocking, so a national fiscal year stays a few hash joins plus a small
probabilistic problem. DuckDB spills to disk past ``memory_limit``. The steps themselves
are :func:`nseers.entry_exit.pipeline.run_pipeline`'s; this module only executes them.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from nseers.entry_exit.definitions import Definitions, LinkageSettings
from nseers.entry_exit.pipeline import Progress, RunResult, run_pipeline
from nseers.entry_exit.report import Decision

__all__ = ["DuckDBEngine", "RunResult", "connect", "run"]


TRAINING_SHARE = 4
"""The Splink model trains on a DuckDB of its own (:func:`nseers.entry_exit.pipeline.train`)
beside the engine's, which still holds the identity tables: with the run's whole memory
limit each, the process held both at once (9.99 GB peak RSS at 50M arrivals under a
6 GB limit, 2026-12-06, all of it while training). The training database gets this
fraction of the limit instead: its records are the residuals and a sample of 40,000
arrivals, and DuckDB spills past its limit where it must."""

_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def training_limit(memory_limit: str) -> str:
    """The memory limit of the training database: :data:`TRAINING_SHARE` of the run's, in
    bytes, read as DuckDB reads it (``GB`` is 10^9 bytes, ``GiB`` 2^30); a limit written
    otherwise is given unchanged."""
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*", memory_limit)
    unit = _UNITS.get(match.group(2).lower()) if match else None
    if match is None or unit is None:
        return memory_limit
    return f"{int(float(match.group(1)) * unit) // TRAINING_SHARE}B"


def connect(memory_limit: str = "6GB", threads: int | None = None
            ) -> duckdb.DuckDBPyConnection:
    """An embedded DuckDB with the pipeline's settings (memory, spill folder, order).

    Insertion order is kept: the reader keeps a feed's rows in the file's order, and
    Splink's training samples rows in the order of its tables.
    """
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/nseers-duckdb'")
    con.execute("SET preserve_insertion_order = true")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


class DuckDBEngine:
    """The pipeline's SQL executed as written, on one embedded connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def take_feeds(self) -> None:
        """From reading to the steps: insertion order is no longer kept.

        Every step after the reading makes a table from joins, groups and windows whose
        row order nothing reads (what is read in order says ``ORDER BY``); kept, DuckDB
        holds each result back to write it in order, memory the steps need at 50M.
        """
        self.con.execute("SET preserve_insertion_order = false")

    def execute(self, statement: str) -> None:
        """Run one statement."""
        self.con.execute(statement)

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        """The rows of a query."""
        return list(self.con.execute(query).fetchall())

    def arrow(self, query: str) -> pa.Table:
        """The result of a query as an Arrow table."""
        return self.con.sql(query).to_arrow_table()

    def put(self, name: str, table: pa.Table) -> None:
        """Make (or replace) the table ``name`` holding ``table``."""
        self.con.register(f"{name}_arrow", table)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        self.con.unregister(f"{name}_arrow")

    def write_parquet(self, query: str, path: Path) -> None:
        """Write the result of a query as Parquet, by DuckDB itself: the rows never come
        into Python. A query's ``ORDER BY`` is kept in the file even with insertion
        order off."""
        target = str(path).replace("'", "''")
        self.con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet)")

    def columns(self, table: str) -> list[str]:
        """The column names of a table."""
        return [str(row[0]) for row in self.con.execute(f"DESCRIBE {table}").fetchall()]

    dialect = "duckdb"

    def splink_tables(self) -> tuple[Any, list[Any]]:
        """Splink's DuckDB API on this connection, with the residual tables."""
        from splink import DuckDBAPI  # noqa: PLC0415 - Splink is slow to import

        api = DuckDBAPI(self.con)
        return api, [api.register("link_arr", table_name="arrivals"),
                     api.register("link_dep", table_name="departures")]


def run(arrivals: Path, departures: Path, status_changes: Path | None, defs: Definitions,
        linkage: LinkageSettings | None = None, *, decisions: Sequence[Decision] = (),
        model: dict[str, Any] | None = None, progress: Progress | None = None,
        memory_limit: str = "6GB", threads: int | None = None) -> RunResult:
    """Run the whole report over the feeds; see :mod:`nseers.entry_exit.definitions`."""
    con = connect(memory_limit, threads)
    engine = DuckDBEngine(con)
    try:
        return run_pipeline(engine, con, arrivals, departures, status_changes,
                            defs, linkage or LinkageSettings(), decisions=decisions,
                            model=model, say=progress or (lambda _message: None),
                            connect=partial(connect, training_limit(memory_limit),
                                            threads),
                            hand_over=engine.take_feeds)
    finally:
        con.close()
