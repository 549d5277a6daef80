"""A run's links, held as one Arrow table and read as ``(arrival, departure, method,
probability)`` tuples.

A fiscal year assigns about one link per departure: ten million at 10M arrivals. As a list
of Python tuples that is some three gigabytes (a tuple, three strings and a float each)
on top of what the engine holds; as Arrow columns it is a few hundred megabytes, and
users that only write or count the links (the links file, a snapshot, the benchmark's
precision and recall) never make the tuples at all, or make them one batch at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

import pyarrow as pa

Link = tuple[str, str, str, float]
"""``(arrival_record_id, departure_record_id, method, probability)``."""

SCHEMA = pa.schema([("arr_id", pa.string()), ("dep_id", pa.string()),
                    ("method", pa.string()), ("probability", pa.float64())])


class Links(Sequence[Link]):
    """The links of a run in the order the engine gave them (by arrival, then departure).

    A read-only sequence of :data:`Link` tuples; :attr:`table` is the Arrow table
    itself, columns ``arr_id``, ``dep_id``, ``method``, ``probability``.
    """

    __slots__ = ("table",)

    def __init__(self, table: pa.Table) -> None:
        self.table = table.select(SCHEMA.names).cast(SCHEMA)

    def __len__(self) -> int:
        return int(self.table.num_rows)

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
        row = self.table.slice(index, 1).to_pylist()[0]
        return (str(row["arr_id"]), str(row["dep_id"]), str(row["method"]),
                float(row["probability"]))

    def __iter__(self) -> Iterator[Link]:
        for batch in self.table.to_batches(max_chunksize=65536):
            columns = [batch.column(i).to_pylist() for i in range(4)]
            yield from zip(*columns, strict=True)

    def __repr__(self) -> str:
        return f"Links({len(self)} links)"
