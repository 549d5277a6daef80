"""A run's links leave the engine as a Parquet file and are read from it lazily."""

from __future__ import annotations

import gc
import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nseers.demo.entry_exit import Generated, generate
from nseers.entry_exit.definitions import definitions_for
from nseers.entry_exit.duckdb_engine import run
from nseers.entry_exit.links import SCHEMA, Links
from nseers.entry_exit.report import links_csv
from nseers.rules.policy.store import default_policy

AS_OF = date(2024, 12, 31)


@pytest.fixture(scope="module")
def feeds(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(tmp_path_factory.mktemp("feeds"), 3_000, seed=5, file_format="csv")


def _awkward() -> pa.Table:
    """Ids a CSV writer must quote (comma, quote, line break) and some that it must not."""
    return pa.table({
        "arr_id": ["a,1", 'b"2', " c ", "d\ne", "é", "f"],
        "dep_id": ["1", "2", "3", "4", "5", "6"],
        "method": ["document", "deterministic", "probabilistic", "probabilistic",
                   "document", "probabilistic"],
        "probability": [1.0, 0.1234565, 0.9999995, 1e-7, 0.5, 0.333333333]}, schema=SCHEMA)


def test_the_links_outlive_the_run_and_read_back_as_the_engine_wrote_them(
        feeds: Generated) -> None:
    result = run(feeds.arrivals, feeds.departures, feeds.status_changes,
                 definitions_for(default_policy(), 2024, AS_OF))
    links = result.links
    assert links.path.is_file()
    written = pq.read_table(links.path)
    assert written.num_rows == len(links) > 2_000
    rows = [(r["arr_id"], r["dep_id"], r["method"], r["probability"])
            for r in written.to_pylist()]
    assert list(links) == rows
    # In the order the engine sorted them, by arrival then departure.
    assert rows == sorted(rows, key=lambda r: (r[0], r[1]))
    assert links[0] == rows[0]
    assert links[-1] == rows[-1]
    assert links.table.equals(written.cast(SCHEMA))


def test_the_length_is_read_from_the_file_without_reading_the_links(
        tmp_path: Path) -> None:
    path = tmp_path / "links.parquet"
    many = 400_000
    pq.write_table(pa.table({
        "arr_id": [f"A{i:09d}" for i in range(many)],
        "dep_id": [f"D{i:09d}" for i in range(many)],
        "method": ["document"] * many, "probability": [1.0] * many}, schema=SCHEMA), path)
    gc.collect()
    before = pa.total_allocated_bytes()
    links = Links(path)
    assert len(links) == many
    # The table is some 10 MB of Arrow; only the metadata was read.
    assert pa.total_allocated_bytes() - before < 1_000_000
    assert links[many - 1] == (f"A{many - 1:09d}", f"D{many - 1:09d}", "document", 1.0)


def test_a_link_is_found_by_its_index_in_any_row_group(tmp_path: Path) -> None:
    path = tmp_path / "links.parquet"
    rows = [(f"A{i:03d}", f"D{i:03d}", "deterministic", i / 100) for i in range(100)]
    pq.write_table(pa.table({name: [r[k] for r in rows] for k, name in
                             enumerate(SCHEMA.names)}, schema=SCHEMA), path,
                   row_group_size=7)  # 15 groups, the last one short
    links = Links(path)
    assert [links[i] for i in range(len(links))] == rows
    assert links[-1] == rows[-1]


def test_the_links_file_is_written_byte_for_byte_as_links_csv(tmp_path: Path) -> None:
    links = Links.from_table(_awkward())
    target = tmp_path / "links.csv"
    links.write_csv(target)
    rows = [(r["arr_id"], r["dep_id"], r["method"], r["probability"])
            for r in _awkward().to_pylist()]
    assert target.read_bytes() == links_csv(rows).encode("utf-8")


def test_no_links_write_only_the_header(tmp_path: Path) -> None:
    links = Links.from_table(_awkward().slice(0, 0))
    target = tmp_path / "links.csv"
    links.write_csv(target)
    assert len(links) == 0
    assert list(links) == []
    assert target.read_text(encoding="utf-8") == links_csv([])


def test_owned_links_remove_their_file_once_unreferenced_or_closed() -> None:
    links = Links.from_table(_awkward())
    folder = links.path.parent
    assert folder.is_relative_to(tempfile.gettempdir())
    del links
    gc.collect()
    assert not folder.exists()
    closed = Links.from_table(_awkward())
    closed.close()
    assert not closed.path.exists()


def test_links_over_a_file_they_do_not_own_leave_it(tmp_path: Path) -> None:
    path = tmp_path / "links.parquet"
    pq.write_table(_awkward(), path)
    links = Links(path)
    links.close()
    del links
    gc.collect()
    assert path.is_file()
