"""A run's links, kept in a Parquet file and read as ``(arrival, departure, method,
probability)`` tuples.

A fiscal year assigns about one link per departure: some 45 million at 50M arrivals. As a
list of Python tuples that is over ten gigabytes; even as one Arrow table it was some
2.5 GB in the Python process on top of the engine's own memory, which alone put a 50M run
over its 8 GB. So the links leave the engine as a file (the engine writes it, sorted by
arrival then departure) and :class:`Links` reads that file only as far as it is asked:
its length from the file's metadata, its tuples one row group at a time, the whole Arrow
table only when :attr:`Links.table` is read. Users that only write or count the links
(the links file, a snapshot, the benchmark's precision and recall) read the file itself
(:attr:`Links.path`, :meth:`Links.write_csv`) and never make the tuples at all.

Lifetime: the file belongs to its :class:`Links`. It is written into a temporary directory
of its own (not the run's, which is gone when the run returns) and that directory is
removed when the :class:`Links` is garbage collected, when :meth:`Links.close` is called,
or at the latest when the interpreter exits. Whoever wants the links beyond that copies
the file or writes the CSV.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

Link = tuple[str, str, str, float]
"""``(arrival_record_id, departure_record_id, method, probability)``."""

SCHEMA = pa.schema([("arr_id", pa.string()), ("dep_id", pa.string()),
                    ("method", pa.string()), ("probability", pa.float64())])

FILE_NAME = "links.parquet"

CSV_HEADER = ("arrival_record_id", "departure_record_id", "method", "probability")

_BATCH_ROWS = 65536


def links_folder() -> Path:
    """A new temporary directory for one run's links file (see the module on lifetime)."""
    return Path(tempfile.mkdtemp(prefix="nseers-links-"))


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


class Links(Sequence[Link]):
    """The links of a run in the order the engine wrote them (by arrival, then departure).

    A read-only sequence of :data:`Link` tuples over the Parquet file at :attr:`path`
    (columns ``arr_id``, ``dep_id``, ``method``, ``probability``); :attr:`table` reads
    the whole file as one Arrow table. ``owned`` says the file's directory is this
    object's to remove (see the module on lifetime); a file not owned is left as it is.
    """

    __slots__ = ("__weakref__", "_file", "_finalizer", "_rows", "_starts", "path")

    def __init__(self, path: Path, *, owned: bool = False) -> None:
        self.path = path
        self._file: pq.ParquetFile | None = None
        metadata = pq.read_metadata(path)
        self._rows = int(metadata.num_rows)
        starts = [0]
        for group in range(metadata.num_row_groups):
            starts.append(starts[-1] + metadata.row_group(group).num_rows)
        self._starts = starts
        self._finalizer = (weakref.finalize(self, shutil.rmtree, path.parent,
                                            ignore_errors=True) if owned else None)

    @classmethod
    def from_table(cls, table: pa.Table) -> Links:
        """Links held in a file of their own, written from an Arrow table."""
        path = links_folder() / FILE_NAME
        pq.write_table(table.select(SCHEMA.names).cast(SCHEMA), path)
        return cls(path, owned=True)

    def close(self) -> None:
        """Remove the file now, where this object owns it; the links are gone after."""
        if self._finalizer is not None:
            self._finalizer()

    def _parquet(self) -> pq.ParquetFile:
        if self._file is None:
            self._file = pq.ParquetFile(self.path)
        return self._file

    @property
    def table(self) -> pa.Table:
        """Every link as one Arrow table, read from the file each time it is asked for."""
        return pq.read_table(self.path, schema=SCHEMA)

    def __len__(self) -> int:
        return self._rows

    @overload
    def __getitem__(self, index: int) -> Link: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Link]: ...

    def __getitem__(self, index: int | slice) -> Link | Sequence[Link]:
        if isinstance(index, slice):
            return list(self)[index]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        group = bisect_right(self._starts, index) - 1
        row = self._parquet().read_row_group(group).slice(
            index - self._starts[group], 1).to_pylist()[0]
        return (str(row["arr_id"]), str(row["dep_id"]), str(row["method"]),
                float(row["probability"]))

    def __iter__(self) -> Iterator[Link]:
        for batch in self._parquet().iter_batches(batch_size=_BATCH_ROWS,
                                                  columns=SCHEMA.names):
            columns = [batch.column(i).to_pylist() for i in range(4)]
            yield from zip(*columns, strict=True)

    def write_csv(self, target: Path) -> None:
        """The links as ``arrival_record_id,departure_record_id,method,probability``, in
        their order, byte for byte what :func:`nseers.entry_exit.report.links_csv` writes
        (probabilities to six decimals), written by DuckDB from the file: no tuples are
        made, whatever the number of links."""
        con = duckdb.connect()
        try:
            con.execute("SET preserve_insertion_order = true")
            con.execute(
                f"COPY (SELECT arr_id AS {CSV_HEADER[0]}, dep_id AS {CSV_HEADER[1]}, "
                f"method AS {CSV_HEADER[2]}, printf('%.6f', probability) AS {CSV_HEADER[3]} "
                f"FROM read_parquet('{_quoted(self.path)}')) TO '{_quoted(target)}' "
                f"(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"', "
                f"NEW_LINE '\\n')")
        finally:
            con.close()

    def __repr__(self) -> str:
        return f"Links({len(self)} links in {self.path})"
