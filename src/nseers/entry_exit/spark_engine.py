"""The pipeline on Apache Spark: the same steps, the same SQL, the same report and links.

What runs where:

- The feeds are read and checked on the driver by :mod:`~nseers.entry_exit.inputs` on an
  embedded DuckDB, exactly as the DuckDB engine reads them (same bad rows, same
  messages); the kept rows and the name map are then handed to Spark as Arrow tables.
- Every SQL step of :mod:`~nseers.entry_exit.sql` runs on Spark, translated from DuckDB's
  dialect by sqlglot; ``CREATE OR REPLACE TABLE t AS q`` becomes a temporary view of
  ``q``'s checkpointed result. The one rewrite beyond sqlglot: a ``YYYY-MM-DD`` text that
  the reader has already checked is read by ``try_to_date`` (Spark has no ``strptime``).
- Splink predicts on Spark through its ``SparkAPI``. Its Jaro-Winkler and
  Damerau-Levenshtein levels call Python UDFs of :mod:`~nseers.entry_exit.similarity`
  that score as DuckDB's built-ins, not Splink's Scala jar (which scores otherwise);
  Levenshtein is Spark's built-in, the same distance as DuckDB's.
- The model is trained on the driver's embedded DuckDB over the residual records (see
  :func:`nseers.entry_exit.pipeline.train`), because Splink's u sampling draws with each
  engine's own random function; the trained model is then the same on both engines.

The Spark master comes from ``NSEERS_SPARK_MASTER`` (see :mod:`nseers.settings`):
``local[2]`` by default, ``spark://host:7077`` (or ``yarn``, ``k8s://...``) for a
cluster, whose executors need this package and rapidfuzz installed for the UDFs. A
session that is already running in the process is used as it is and left running;
otherwise one is started quietly (log level WARN, no web UI) and stopped at the end.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from sqlglot import exp

from nseers.entry_exit import similarity
from nseers.entry_exit.definitions import Definitions, LinkageSettings
from nseers.entry_exit.duckdb_engine import connect
from nseers.entry_exit.inputs import COLUMNS
from nseers.entry_exit.pipeline import Progress, RunResult, run_pipeline
from nseers.entry_exit.report import Decision

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import DataFrame, SparkSession

DEFAULT_MASTER = "local[2]"
_LOCAL_SHUFFLE_PARTITIONS = "4"
# pyspark warns about pandas 3 on import of its pandas helpers; no pandas path is used.
_PANDAS_WARNING = "PySpark does not yet fully support pandas"


def _dates_as_casts(node: exp.Expression) -> exp.Expression:
    """``CAST(TRY_STRPTIME(x, '%Y-%m-%d') AS DATE)`` as ``TRY_TO_DATE(x)``."""
    inner = node.this if isinstance(node, exp.Cast) else None
    if (isinstance(inner, exp.Anonymous) and inner.name.upper() == "TRY_STRPTIME"
            and inner.expressions[1:] == [exp.Literal.string("%Y-%m-%d")]):
        return exp.Anonymous(this="TRY_TO_DATE", expressions=[inner.expressions[0]])
    return node


def spark_sql(statement: str) -> tuple[str | None, str]:
    """A DuckDB statement as Spark SQL: ``(table it makes or None, the query)``."""
    tree = sqlglot.parse_one(statement, read="duckdb")
    target = None
    if isinstance(tree, exp.Create):
        target = tree.this.name
        tree = tree.expression
    return target, tree.transform(_dates_as_casts).sql(dialect="spark")


class SparkEngine:
    """The pipeline's SQL on a Spark session; tables are checkpointed temporary views."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark

    def _frame(self, query: str) -> DataFrame:
        _, translated = spark_sql(query)
        return self.spark.sql(translated)

    def execute(self, statement: str) -> None:
        """Run one statement; a ``CREATE OR REPLACE TABLE`` makes a view of its result."""
        target, translated = spark_sql(statement)
        frame = self.spark.sql(translated)
        if target is None:
            frame.collect()
            return
        frame.localCheckpoint(eager=True).createOrReplaceTempView(target)

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        """The rows of a query."""
        return [tuple(row) for row in self._frame(query).collect()]

    def arrow(self, query: str) -> pa.Table:
        """The result of a query as an Arrow table."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_PANDAS_WARNING)
            return self._frame(query).toArrow()

    def put(self, name: str, table: pa.Table) -> None:
        """Make (or replace) the view ``name`` holding ``table``."""
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_PANDAS_WARNING)
            frame = self.spark.createDataFrame(table)
        frame.localCheckpoint(eager=True).createOrReplaceTempView(name)

    def write_parquet(self, query: str, path: Path) -> None:
        """Write the result of a query as one Parquet file on the driver.

        Spark's own writers make a folder of part files on the executors' file system;
        the pipeline wants one local file in the query's order, so the result comes to
        the driver as Arrow (as it did before the links left engines as files) and is
        written from there.
        """
        pq.write_table(self.arrow(query), path)

    def columns(self, table: str) -> list[str]:
        """The column names of a table."""
        return list(self.spark.table(table).columns)

    dialect = "spark"

    def splink_tables(self) -> tuple[Any, list[Any]]:
        """Splink's Spark API on this session, with the residual tables."""
        from splink import SparkAPI  # noqa: PLC0415 - Splink is slow to import

        # Splink's SparkAPI is untyped. Intermediate tables are persisted, not written as
        # Parquet to a checkpoint folder; the jar's UDFs are not used (see the module).
        api = SparkAPI(spark_session=self.spark,  # type: ignore[no-untyped-call]
                       break_lineage_method="persist", register_udfs_automatically=False)
        return api, [api.register("link_arr", table_name="arrivals"),
                     api.register("link_dep", table_name="departures")]

    def register_similarity(self) -> None:
        """The UDFs Splink's levels call, scoring as DuckDB does."""
        from pyspark.sql.types import DoubleType, LongType  # noqa: PLC0415

        self.spark.udf.register("jaro_winkler", similarity.jaro_winkler, DoubleType())
        self.spark.udf.register("damerau_levenshtein", similarity.damerau_levenshtein,
                                LongType())

    def take_feeds(self, reader: duckdb.DuckDBPyConnection) -> None:
        """The kept rows of every feed, from the reader's DuckDB to Spark."""
        for kind in COLUMNS:
            self.put(f"{kind}_ok", reader.sql(
                f"SELECT * FROM {kind}_ok ORDER BY _row").to_arrow_table())


@contextmanager
def spark_session(master: str = DEFAULT_MASTER) -> Iterator[SparkSession]:
    """The running Spark session, or a quiet new one on ``master``, stopped at the end."""
    from pyspark.sql import SparkSession  # noqa: PLC0415 - the JVM starts with it

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_PANDAS_WARNING)
        active = SparkSession.getActiveSession()
        if active is not None:
            yield active
            return
        session = _start(SparkSession.builder, master)
        try:
            yield session
        finally:
            session.stop()


def _start(builder: Any, master: str) -> SparkSession:
    builder = (builder.master(master).appName("nseers entry-exit")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    if master.startswith("local"):
        # Local Python workers run this interpreter (pyspark reads only the environment
        # for it), so they import the UDFs' rapidfuzz from the same installation.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.sql.shuffle.partitions", _LOCAL_SHUFFLE_PARTITIONS)
    session: SparkSession = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    return session


def run(arrivals: Path, departures: Path, status_changes: Path | None, defs: Definitions,
        linkage: LinkageSettings | None = None, *, decisions: Sequence[Decision] = (),
        model: dict[str, Any] | None = None, progress: Progress | None = None,
        master: str = DEFAULT_MASTER) -> RunResult:
    """Run the whole report on Spark; the same result as the DuckDB engine's ``run``."""
    say = progress or (lambda _message: None)
    reader = connect()
    try:
        with spark_session(master) as spark:
            say(f"running on Spark ({spark.sparkContext.master})")
            engine = SparkEngine(spark)
            engine.register_similarity()
            return run_pipeline(engine, reader, arrivals, departures, status_changes, defs,
                                linkage or LinkageSettings(), decisions=decisions,
                                model=model, say=say, connect=connect,
                                hand_over=lambda: engine.take_feeds(reader))
    finally:
        reader.close()
