"""One generated fiscal year on DuckDB and on Spark: the same report, links and model.

One Spark session (``local[2]``) serves the module; the engine uses a running session and
leaves it running, and the fixture stops it at the end.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest
from typer.testing import CliRunner

from nseers.cli.main import app
from nseers.demo.entry_exit import Generated, generate
from nseers.entry_exit import duckdb_engine, spark_engine
from nseers.entry_exit.definitions import definitions_for
from nseers.entry_exit.pipeline import RunResult
from nseers.entry_exit.report import Decision, links_csv
from nseers.entry_exit.similarity import damerau_levenshtein, jaro_winkler
from nseers.rules.policy.store import default_policy
from nseers.settings import Settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

AS_OF = date(2024, 12, 31)


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    with spark_engine.spark_session("local[2]") as session:
        yield session


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(tmp_path_factory.mktemp("feeds"), 4_000, seed=11, file_format="csv")


@pytest.fixture(scope="module")
def rejected(feeds: Generated) -> Decision:
    """An analyst's rejection of one probabilistic link, for both engines to apply."""
    first = duckdb_engine.run(feeds.arrivals, feeds.departures, feeds.status_changes,
                              definitions_for(default_policy(), 2024, AS_OF))
    arrival, departure = next((a, d) for a, d, m, _ in first.links if m == "probabilistic")
    return Decision(arrival, departure, "reject", "analyst", "not the same person")


@pytest.fixture(scope="module")
def on_duckdb(feeds: Generated, rejected: Decision) -> RunResult:
    return duckdb_engine.run(feeds.arrivals, feeds.departures, feeds.status_changes,
                             definitions_for(default_policy(), 2024, AS_OF),
                             decisions=[rejected])


def _model(result: RunResult) -> dict[str, Any]:
    # Splink names each linker with a random id; it is no part of the model.
    return {k: v for k, v in (result.model or {}).items() if k != "linker_uid"}


def test_both_engines_give_the_same_report_links_review_and_model(
        spark: SparkSession, feeds: Generated, rejected: Decision,
        on_duckdb: RunResult) -> None:
    on_spark = spark_engine.run(feeds.arrivals, feeds.departures, feeds.status_changes,
                                definitions_for(default_policy(), 2024, AS_OF),
                                decisions=[rejected])
    assert json.dumps(on_spark.report, indent=2) == json.dumps(on_duckdb.report, indent=2)
    assert links_csv(on_spark.links) == links_csv(on_duckdb.links)
    assert on_spark.review == on_duckdb.review
    assert _model(on_spark) == _model(on_duckdb)
    assert [vars(load) for load in on_spark.loads] == [vars(load) for load in on_duckdb.loads]
    # The probabilistic tier ran on Spark, and the rejected link stayed out.
    assert {m for _, _, m, _ in on_spark.links} == {"document", "deterministic",
                                                   "probabilistic"}
    assert (rejected.arrival_record_id, rejected.departure_record_id) not in {
        (a, d) for a, d, _, _ in on_spark.links}
    assert spark.sparkContext.master == "local[2]"


def test_the_command_runs_on_spark_and_the_snapshot_records_it(
        spark: SparkSession, feeds: Generated, tmp_path: Path) -> None:
    links, snapshot = tmp_path / "links.csv", tmp_path / "snapshot"
    args = ["entry-exit", "report", "--arrivals", str(feeds.arrivals), "--departures",
            str(feeds.departures), "--status-changes", str(feeds.status_changes),
            "--fiscal-year", "2024", "--as-of", AS_OF.isoformat()]
    on_duckdb = CliRunner().invoke(app, args)
    on_spark = CliRunner(env={"NSEERS_SPARK_MASTER": "local[2]"}).invoke(
        app, [*args, "--engine", "spark", "--links", str(links), "--snapshot", str(snapshot)])
    assert on_spark.exit_code == 0, on_spark.output
    assert on_spark.stdout == on_duckdb.stdout
    assert "on Spark (local[2])" in on_spark.stderr
    expected = duckdb_engine.run(feeds.arrivals, feeds.departures, feeds.status_changes,
                                 definitions_for(default_policy(), 2024, AS_OF))
    assert links.read_text(encoding="utf-8") == links_csv(expected.links)
    manifest = json.loads((snapshot / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "spark"
    assert spark.sparkContext.master == "local[2]"


def test_an_unknown_engine_is_refused() -> None:
    result = CliRunner().invoke(app, [
        "entry-exit", "report", "--arrivals", "a.csv", "--departures", "d.csv",
        "--fiscal-year", "2024", "--as-of", "2024-12-31", "--engine", "flink"])
    assert result.exit_code == 2
    assert "--engine: not duckdb or spark: 'flink'" in result.stderr


def test_the_spark_master_is_a_setting() -> None:
    assert Settings.from_mapping({}).spark_master == "local[2]"
    assert Settings.from_mapping(
        {"NSEERS_SPARK_MASTER": "spark://spark.example:7077"}
    ).spark_master == "spark://spark.example:7077"


def test_the_similarity_udfs_score_as_duckdb_does() -> None:
    rng = random.Random(3)  # noqa: S311 - test data, not secrets
    pairs = [("MARTHA", "MARHTA"), ("TABU", "TOBEU"), ("CCFTYDARTLWJ", "CFYTDARTLW"),
             ("", ""), ("A", ""), ("1990-03-04", "1990-04-03")]
    for _ in range(3_000):
        a = "".join(rng.choice("ABCDE ") for _ in range(rng.randint(1, 12)))
        b = list(a)
        for _ in range(rng.randint(0, 3)):
            b.insert(rng.randrange(len(b) + 1), rng.choice("ABCDE"))
        pairs.append((a, "".join(b)))
    con = duckdb.connect()
    con.execute("CREATE TABLE p (a VARCHAR, b VARCHAR)")
    con.executemany("INSERT INTO p VALUES (?, ?)", pairs)
    for a, b, jw, dl in con.execute(
            "SELECT a, b, jaro_winkler_similarity(a, b), damerau_levenshtein(a, b) "
            "FROM p").fetchall():
        assert (jaro_winkler(a, b), damerau_levenshtein(a, b)) == (jw, dl), (a, b)
    assert jaro_winkler(None, "A") is None
    assert damerau_levenshtein("A", None) is None
