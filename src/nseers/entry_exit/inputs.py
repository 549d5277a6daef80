"""Reading arrival, departure and status-change feeds (CSV or Parquet) into DuckDB.

Real feeds carry bad rows. A file that cannot be read at all, or lacks a column, is an
error naming the file and the column; a bad row is set aside with every problem it has
(file, row, column, why) and counted, and never costs the rest of the file. Nothing is
dropped silently: the report's caller gets the problems and prints them.

Row numbers count data rows from 1 (the header is not a row); for a CSV file the line is
the row plus one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from nseers.core.errors import FieldProblem, InvalidInputError
from nseers.entry_exit.definitions import (
    ARRIVAL_COLUMNS,
    DEPARTURE_COLUMNS,
    DURATION_OF_STATUS_WORDS,
    MODES,
    STATUS_CHANGE_COLUMNS,
    STATUS_CHANGE_KINDS,
)

COLUMNS = {"arrivals": ARRIVAL_COLUMNS, "departures": DEPARTURE_COLUMNS,
           "status_changes": STATUS_CHANGE_COLUMNS}
MAX_LISTED_PROBLEMS = 200


class InputFileError(InvalidInputError):
    """A feed that cannot be read at all: the file and the reason are named."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One bad value in one row of one file."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column {self.column}: {self.message}"


@dataclass
class LoadResult:
    """What one feed gave: the rows kept, the rows set aside, and why."""

    kind: str
    file: str
    rows_read: int = 0
    rows_kept: int = 0
    bad_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _raw_relation(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return (f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _row "
                f"FROM read_parquet({_quote(path)}, file_row_number=true)")
    if suffix in (".csv", ".txt"):
        return (f"SELECT *, row_number() OVER () AS _row FROM read_csv({_quote(path)}, "
                f"all_varchar=true, header=true, null_padding=true, strict_mode=false, "
                f"auto_detect=true, delim=',', quote='\"')")
    raise InputFileError([FieldProblem(str(path), "not a .csv or .parquet file")])


_DATE = "TRY_STRPTIME(TRIM({c}), '%Y-%m-%d')"
_BLANK = "(NULLIF(TRIM({c}), '') IS NULL)"


def _checks(kind: str) -> list[tuple[str, str, str]]:
    """``(column, SQL condition that makes the value bad, why)`` for one kind of feed."""
    def blank(c: str) -> str:
        return _BLANK.format(c=c)

    def bad_date(c: str, *, required: bool, allow: tuple[str, ...] = ()) -> str:
        allowed = "".join(f" AND UPPER(TRIM({c})) <> '{w}'" for w in allow)
        optional = "" if required else f"NOT {blank(c)} AND "
        return f"({optional}{_DATE.format(c=c)} IS NULL{allowed})"

    modes = ", ".join(f"'{m}'" for m in MODES)
    kinds = ", ".join(f"'{k}'" for k in STATUS_CHANGE_KINDS)
    if kind == "status_changes":
        return [
            ("record_id", blank("record_id"), "missing"),
            ("arrival_record_id", blank("arrival_record_id"), "missing"),
            ("filed_date", bad_date("filed_date", required=True),
             "not a date (expected YYYY-MM-DD)"),
            ("kind", f"LOWER(TRIM(COALESCE(kind, ''))) NOT IN ({kinds})",
             f"not one of {', '.join(STATUS_CHANGE_KINDS)}"),
            ("new_admit_until",
             (f"(LOWER(TRIM(COALESCE(kind, ''))) = 'extension' AND "
             f"{_DATE.format(c='new_admit_until')} IS NULL) OR "
             f"({bad_date('new_admit_until', required=False)})"),
             "an extension needs a date (YYYY-MM-DD)"),
        ]
    event = "arrival_date" if kind == "arrivals" else "departure_date"
    checks = [
        ("record_id", blank("record_id"), "missing"),
        ("citizenship", ("NOT regexp_full_match(UPPER(TRIM(COALESCE(citizenship, ''))), "
                        "'[A-Z]{3}')"), "not a three-letter country code"),
        ("date_of_birth", bad_date("date_of_birth", required=False),
         "not a date (expected YYYY-MM-DD)"),
        (event, bad_date(event, required=True), "not a date (expected YYYY-MM-DD)"),
        ("mode", f"LOWER(TRIM(COALESCE(mode, ''))) NOT IN ({modes})",
         f"not one of {', '.join(MODES)}"),
        ("date_of_birth", f"{_DATE.format(c='date_of_birth')} > {_DATE.format(c=event)}",
         f"after the {event.replace('_', ' ')}"),
    ]
    if kind == "arrivals":
        checks += [
            ("admission_class", blank("admission_class"), "missing"),
            ("admit_until", bad_date("admit_until", required=False,
                                     allow=DURATION_OF_STATUS_WORDS),
             "not a date (expected YYYY-MM-DD, or D/S)"),
            ("program_end_date", bad_date("program_end_date", required=False),
             "not a date (expected YYYY-MM-DD)"),
        ]
    return checks


def _duplicates(kind: str) -> str:
    """The rows whose trimmed ``record_id`` an earlier row already has.

    Grouped, not windowed: a window over every row sorts the whole feed, where the keys
    seen twice are few and only their rows need comparing."""
    key = "TRIM(record_id)"
    return (f"SELECT r._row, 'record_id' AS col, "
            f"'duplicate record_id (first seen in an earlier row)' AS why, "
            f"r.record_id AS value FROM {kind}_raw r JOIN "
            f"(SELECT {key} AS k, min(_row) AS first FROM {kind}_raw "
            f"WHERE NOT {_BLANK.format(c='record_id')} GROUP BY k HAVING count(*) > 1) d "
            f"ON d.k = TRIM(r.record_id) AND r._row > d.first")


def load_feed(con: duckdb.DuckDBPyConnection, kind: str, path: Path) -> LoadResult:
    """Read ``path`` into the table ``<kind>_ok`` and set bad rows aside.

    The table ``<kind>_ok`` holds the good rows in the file's order (every column as
    text, plus ``_row``); ``<kind>_problems`` holds one row per problem.

    The file is read once: its rows are stored as text, the rows that fail any check are
    found in one scan (one condition, the checks joined by ``OR``) and only those are
    told apart check by check; the bad rows are then deleted, which keeps the file's
    order without sorting it.
    """
    columns = COLUMNS[kind]
    if not path.is_file():
        raise InputFileError([FieldProblem(str(path), "no such file")])
    relation = _raw_relation(path)
    try:
        present = set(con.sql(relation).columns)
    except duckdb.Error as error:
        raise InputFileError([FieldProblem(str(path), f"cannot be read: {error}")]) from None
    missing = [c for c in columns if c not in present]
    if missing:
        raise InputFileError([FieldProblem(f"{path}: column {c}", "missing from the header")
                              for c in missing])
    casts = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" for c in columns)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {kind}_raw AS SELECT {casts}, _row "
                    f"FROM ({relation})")
    except duckdb.Error as error:
        raise InputFileError([FieldProblem(str(path), f"cannot be read: {error}")]) from None
    checks = _checks(kind)
    failing = " OR ".join(f"({condition})" for _, condition, _ in checks)
    parts = [f"SELECT _row, '{column}' AS col, '{why}' AS why, {column} AS value "
             f"FROM bad WHERE {condition}"
             for column, condition, why in checks]
    con.execute(f"CREATE OR REPLACE TABLE {kind}_problems AS "
                f"WITH bad AS MATERIALIZED (SELECT * FROM {kind}_raw WHERE {failing}) "
                f"SELECT DISTINCT * FROM ({' UNION ALL '.join(parts)} "
                f"UNION ALL {_duplicates(kind)})")
    result = LoadResult(kind=kind, file=str(path))
    result.rows_read = _count(con, f"{kind}_raw")
    con.execute(f"DELETE FROM {kind}_raw WHERE _row IN "
                f"(SELECT DISTINCT _row FROM {kind}_problems)")
    con.execute(f"DROP TABLE IF EXISTS {kind}_ok")
    con.execute(f"ALTER TABLE {kind}_raw RENAME TO {kind}_ok")
    result.rows_kept = _count(con, f"{kind}_ok")
    result.bad_rows = result.rows_read - result.rows_kept
    result.problem_count = _count(con, f"{kind}_problems")
    listed = con.execute(
        f"SELECT _row, col, why, value FROM {kind}_problems ORDER BY _row, col, why "
        f"LIMIT {MAX_LISTED_PROBLEMS}").fetchall()
    result.problems = [RowProblem(str(path), int(r), str(c),
                                  f"{why}: {v!r}" if v is not None else str(why))
                       for r, c, why, v in listed]
    return result


def empty_feed(con: duckdb.DuckDBPyConnection, kind: str) -> LoadResult:
    """An empty ``<kind>_ok`` table, for a feed that was not given (no status changes)."""
    columns = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in COLUMNS[kind])
    con.execute(f"CREATE OR REPLACE TABLE {kind}_ok AS SELECT {columns}, "
                f"CAST(NULL AS BIGINT) AS _row WHERE false")
    return LoadResult(kind=kind, file="")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
