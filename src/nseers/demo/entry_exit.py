"""Synthetic fiscal-year feeds for the entry-exit report, with the noise of real ones and
the truth kept aside.

Generated in DuckDB SQL from counter-based hashes (:func:`_draw`), so fifty
million arrivals take a minute and the same ``--arrivals`` and ``--seed`` always give the
same files. Departure records carry what real feeds carry: surname typos, renewed
passports, other transliterations of the same name (from the demo name lists), surname and
given names swapped, day and month swapped in the birth date, missing document numbers;
and the population has namesakes born the same year, twins, repeat travellers, late and
missing departures, and departures with no arrival. ``truth.csv`` says which arrival each
departure really belongs to.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from nseers.demo.names import name_lists

COUNTRIES = {
    "english": ["GBR", "GBR", "AUS", "IRL", "NZL", "CAN", "CAN", "JAM"],
    "french": ["FRA", "FRA", "BEL", "CAN", "HTI"], "german": ["DEU", "DEU", "AUT", "CHE"],
    "spanish": ["MEX", "MEX", "MEX", "ESP", "COL", "ARG", "VEN", "GTM"],
    "portuguese": ["BRA", "BRA", "PRT"], "italian": ["ITA"], "dutch": ["NLD"],
    "nordic": ["SWE", "NOR", "DNK"], "polish": ["POL"], "turkish": ["TUR"],
    "vietnamese": ["VNM"], "filipino": ["PHL"], "indian": ["IND"], "nigerian": ["NGA"],
    "indonesian": ["IDN"], "somali": ["SOM"], "eritrean": ["ERI"],
    "arabic": ["SAU", "EGY", "JOR", "IRQ"], "maghrebi": ["MAR", "DZA", "TUN"],
    "persian": ["IRN"], "urdu": ["PAK"], "bengali": ["BGD"], "hindi": ["IND"],
    "russian": ["RUS"], "ukrainian": ["UKR"], "greek": ["GRC"], "hebrew": ["ISR"],
    "chinese": ["CHN", "CHN", "TWN"], "japanese": ["JPN"], "korean": ["KOR"],
}
CLASSES = ["B2"] * 40 + ["WT"] * 20 + ["B1"] * 8 + ["F1"] * 6 + ["J1"] * 3 + ["M1"] + \
    ["H1B"] * 5 + ["L1"] * 2 + ["E2"] * 2 + ["O1"] + ["CP"] * 2


@dataclass(frozen=True, slots=True)
class Generated:
    """Where the files went and how many rows each has."""

    arrivals: Path
    departures: Path
    status_changes: Path
    truth: Path
    counts: dict[str, int]


def _vocabulary(con: duckdb.DuckDBPyConnection) -> None:
    langs: list[tuple[int, str]] = []
    countries: list[tuple[int, int, str]] = []
    surnames: list[tuple[int, int, list[str]]] = []
    givens: list[tuple[int, int, list[str]]] = []
    for index, (key, names) in enumerate(sorted(name_lists().items())):
        langs.append((index, key))
        countries.extend((index, k, c) for k, c in enumerate(COUNTRIES.get(key, ["XXX"])))
        surnames.extend((index, k, list(p.latin)) for k, p in enumerate(names.surnames))
        givens.extend((index, k, list(p.latin))
                      for k, p in enumerate((*names.male, *names.female)))
    for table, rows, cols in (("v_lang", langs, ("lang", "key")),
                              ("v_cit", countries, ("lang", "k", "cit")),
                              ("v_sn", surnames, ("lang", "k", "variants")),
                              ("v_gn", givens, ("lang", "k", "variants"))):
        arrow = pa.table({c: [r[i] for r in rows]
                          for i, c in enumerate(cols)})
        con.register(f"{table}_arrow", arrow)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM {table}_arrow")
        con.execute(f"CREATE TABLE {table}_n AS SELECT lang, count(*) AS n FROM {table} "
                    f"GROUP BY lang")
    classes = ", ".join(f"'{c}'" for c in CLASSES)
    con.execute(f"CREATE TABLE v_class AS SELECT list_value({classes}) AS classes")


_DRAWS_PER_ROW = 64
"""Room for the draws of one row: ``k`` runs below this."""


def _draw(on: str, seed: int, k: int) -> str:
    """Draw ``k`` of the row numbered ``on``: one hash of one integer, so that every draw
    is independent of every other.

    Not ``hash(on, seed, k)``: DuckDB combines the hashes of several values by XOR, so
    every draw of a row was one hash of the row with a constant XORed in, and the draws
    shared their low bits. A person's sex was then fixed by the parity of their birth
    date, and two people born on the same day agreed on the low bits of every name pick,
    which made namesakes with one birth date some twenty times as common as independent
    draws give.
    """
    if not 0 <= k < _DRAWS_PER_ROW:
        raise ValueError(f"draw {k} is outside 0..{_DRAWS_PER_ROW - 1}")
    return f"hash(({on}) * {_DRAWS_PER_ROW} + {k} + {seed} * {2 ** 38})"


_RENEWAL = 500_000_000
"""Person numbers run below this (fifty million arrivals are some 46 million people), so a
renewed passport's number never meets a first one's."""


def _document(pid: str, seed: int, *, renewed: bool = False) -> str:
    """A person's passport number: nine digits, unique within the issuer, as a real issuer's
    are, so that two people never share one (drawn at random, fifty million people gave
    some thousands of shared numbers, and a shared number is a false identity).

    Multiplying by 3^18, which shares no factor with 10^9, then adding an offset, permutes
    0..10^9 - 1: distinct people and renewals give distinct numbers that do not look
    sequential.
    """
    number = f"(({pid}) + {_RENEWAL if renewed else 0})"
    return (f"lpad(CAST(({number} * {3 ** 18} + {seed * 7919}) % 1000000000 AS VARCHAR), "
            f"9, '0')")


def _sql(arrivals: int, seed: int, fiscal_year: int) -> list[str]:
    fy_start = date(fiscal_year - 1, 10, 1).isoformat()
    people = max(1, int(arrivals / 1.08))

    def h(k: int, on: str = "i") -> str:
        return _draw(on, seed, k)

    return [
        f"""CREATE TABLE person AS
        WITH base AS (SELECT range AS i FROM range({people})),
        picks AS (SELECT i, {h(1)} % 30 AS lang, {h(2)} AS hs, {h(3)} AS hg, {h(4)} AS hc,
                         {h(5)} % 2 AS female, {h(6)} % 20000 AS dob_day, {h(7)} % 1000 AS kin
                  FROM base)
        SELECT p.i AS pid, p.lang, p.hs, p.hg, p.hc, p.female, p.dob_day, p.kin
        FROM picks p""",
        # Twins (0.4 %): the previous person's surname, birth date and citizenship, another
        # given name. Namesakes (0.4 %): the previous person's name and citizenship, born
        # another day of the same year.
        """CREATE TABLE person2 AS
        SELECT p.pid, coalesce(CASE WHEN p.kin < 8 THEN q.lang END, p.lang) AS lang,
               coalesce(CASE WHEN p.kin < 8 THEN q.hs END, p.hs) AS hs,
               CASE WHEN p.kin BETWEEN 4 AND 7 THEN coalesce(q.hg, p.hg)
                    WHEN p.kin < 4 THEN p.hg + 1 ELSE p.hg END AS hg,
               coalesce(CASE WHEN p.kin < 8 THEN q.hc END, p.hc) AS hc,
               coalesce(CASE WHEN p.kin BETWEEN 4 AND 7 THEN q.female END, p.female) AS female,
               CASE WHEN p.kin < 4 THEN coalesce(q.dob_day, p.dob_day)
                    WHEN p.kin < 8 THEN coalesce(q.dob_day - q.dob_day % 365
                                                 + (p.dob_day % 365), p.dob_day)
                    ELSE p.dob_day END AS dob_day
        FROM person p LEFT JOIN person q ON q.pid = p.pid - 1""",
        """CREATE TABLE pick AS
        SELECT p.pid, p.lang, p.female, p.dob_day,
               CAST(p.hs % sc.n AS BIGINT) AS sk, CAST(p.hg % gc.n AS BIGINT) AS gk,
               CAST(p.hc % cc.n AS BIGINT) AS ck
        FROM person2 p JOIN v_sn_n sc ON sc.lang = p.lang JOIN v_gn_n gc ON gc.lang = p.lang
        JOIN v_cit_n cc ON cc.lang = p.lang""",
        """CREATE TABLE ident AS
        SELECT p.pid, p.female,
               upper(sn.variants[1]) AS surname,
               CASE WHEN len(sn.variants) > 1 THEN upper(sn.variants[2]) END AS sn_alt,
               upper(gn.variants[1]) AS given,
               CASE WHEN len(gn.variants) > 1 THEN upper(gn.variants[2]) END AS gn_alt,
               c.cit, DATE '1945-01-01' + CAST(p.dob_day AS INTEGER) AS dob
        FROM pick p
        JOIN v_sn sn ON sn.lang = p.lang AND sn.k = p.sk
        JOIN v_gn gn ON gn.lang = p.lang AND gn.k = p.gk
        JOIN v_cit c ON c.lang = p.lang AND c.k = p.ck""",
        # Trips: every person arrives once in the year; 8 % (the first person numbers: a
        # person's draws are independent of their number) arrive a second time, 2 to 121
        # days after the first arrival, and leave in between (below). Stays are drawn so
        # that EDDs fall across the fiscal year.
        f"""CREATE TABLE trip AS
        SELECT i AS a, CASE WHEN i < {people} THEN i ELSE i - {people} END AS pid,
               CASE WHEN i < {people} THEN 1 ELSE 2 END AS trip
        FROM range({arrivals}) t(i)""",
        f"""CREATE TABLE arr_g AS
        SELECT t.a, t.pid, t.trip, x.cit, x.surname, x.given, x.sn_alt, x.gn_alt,
               x.dob, CASE WHEN x.female = 1 THEN 'F' ELSE 'M' END AS sex,
               x.cit || {_document('t.pid', seed)} AS doc,
               (SELECT classes FROM v_class)[1 + CAST({h(21, 't.a')} % {len(CLASSES)} AS INTEGER)]
                   AS cls,
               CASE WHEN {h(22, 't.a')} % 100 < 82 THEN 'air'
                    WHEN {h(22, 't.a')} % 100 < 88 THEN 'sea' ELSE 'land' END AS mode,
               DATE '{fy_start}' - 200 + CAST({h(23, 't.pid')} % 420 AS INTEGER)
                   + CASE WHEN t.trip = 2 THEN 2 + CAST({h(25, 't.a')} % 120 AS INTEGER)
                          ELSE 0 END AS arrival_date,
               {h(24, 't.a')} AS hx
        FROM trip t JOIN ident x USING (pid)""",
        """CREATE TABLE arrivals AS
        SELECT 'A' || lpad(CAST(a AS VARCHAR), 9, '0') AS record_id, surname,
               given AS given_names, strftime(dob, '%Y-%m-%d') AS date_of_birth, sex,
               citizenship, doc AS document_number, cit AS document_issuer,
               strftime(arrival_date, '%Y-%m-%d') AS arrival_date,
               CASE mode WHEN 'air' THEN 'JFK' WHEN 'sea' THEN 'MIA' ELSE 'SYS' END AS port,
               mode, cls AS admission_class,
               CASE WHEN cls IN ('F1', 'J1', 'M1') THEN 'D/S'
                    ELSE strftime(arrival_date + stay, '%Y-%m-%d') END AS admit_until,
               CASE WHEN cls IN ('F1', 'J1', 'M1')
                    THEN strftime(arrival_date + stay, '%Y-%m-%d') END AS program_end_date
        FROM (SELECT *, cit AS citizenship,
                     CASE WHEN cls = 'WT' THEN 90 WHEN cls IN ('F1', 'J1', 'M1')
                          THEN 120 + CAST(hx % 300 AS INTEGER)
                          WHEN cls IN ('H1B', 'L1', 'E2', 'O1') THEN 200 + CAST(hx % 200 AS INTEGER)
                          ELSE 30 + CAST(hx % 150 AS INTEGER) END AS stay FROM arr_g)""",
    ]


def _departure_sql(seed: int, as_of: date) -> list[str]:
    def h(k: int) -> str:
        return _draw("g.a", seed, k)

    return [
        # The fate of each admission: most leave on time, some late, some never (yet).
        f"""CREATE TABLE fate AS
        SELECT g.*, a.record_id, a.admit_until, a.program_end_date,
               CAST(coalesce(TRY_CAST(a.admit_until AS DATE),
                    TRY_CAST(a.program_end_date AS DATE) + 30) AS DATE) AS due,
               {h(30)} % 1000 AS fate, {h(31)} AS hn, {h(32)} % 1000 AS noise
        FROM arr_g g JOIN arrivals a ON a.record_id = 'A' || lpad(CAST(g.a AS VARCHAR), 9, '0')""",
        # A first trip whose person came back left before the second arrival: no one leaves
        # twice without arriving in between.
        """CREATE TABLE dep_g AS
        SELECT f.* EXCLUDE (leave), CASE WHEN n.next_arrival IS NOT NULL
                                         THEN least(f.leave, n.next_arrival - 1)
                                         ELSE f.leave END AS departure_date
        FROM (SELECT *, CASE WHEN fate < 940 THEN arrival_date + 1
                        + CAST(hn % greatest(date_diff('day', arrival_date, due), 1) AS INTEGER)
                       ELSE due + 1 + CAST(hn % 120 AS INTEGER) END AS leave
              FROM fate WHERE fate < 975) f
        LEFT JOIN (SELECT pid, arrival_date AS next_arrival FROM arr_g WHERE trip = 2) n
               ON n.pid = f.pid AND f.trip = 1""",
        # The departure records, with the noise of real feeds.
        f"""CREATE TABLE departures AS
        WITH noisy AS (
            SELECT d.*, {_draw("a", seed, 40)} % 100 AS pos FROM dep_g d)
        SELECT 'D' || lpad(CAST(a AS VARCHAR), 9, '0') AS record_id,
               CASE WHEN noise BETWEEN 0 AND 29 THEN given
                    WHEN noise BETWEEN 30 AND 69 AND length(surname) > 3 THEN
                        substr(surname, 1, CAST(1 + pos % (length(surname) - 1) AS INTEGER))
                        || chr(CAST(65 + pos % 26 AS INTEGER))
                        || substr(surname, CAST(3 + pos % (length(surname) - 1) AS INTEGER))
                    WHEN noise BETWEEN 70 AND 109 AND sn_alt IS NOT NULL THEN sn_alt
                    ELSE surname END AS surname,
               CASE WHEN noise BETWEEN 0 AND 29 THEN surname
                    WHEN noise BETWEEN 110 AND 139 AND gn_alt IS NOT NULL THEN gn_alt
                    ELSE given END AS given_names,
               CASE WHEN noise BETWEEN 140 AND 169 AND day(dob) <= 12
                    THEN strftime(dob, '%Y-%d-%m') ELSE strftime(dob, '%Y-%m-%d') END
                   AS date_of_birth,
               sex, cit AS citizenship,
               CASE WHEN noise BETWEEN 170 AND 209 OR noise % 7 = 0 AND noise < 170
                    THEN cit || {_document('pid', seed, renewed=True)}
                    WHEN noise BETWEEN 210 AND 219 THEN NULL ELSE doc END AS document_number,
               cit AS document_issuer, strftime(departure_date, '%Y-%m-%d') AS departure_date,
               'JFK' AS port, CASE WHEN mode = 'land' THEN 'land' ELSE 'air' END AS mode,
               'carrier_manifest' AS source, pid AS true_pid
        FROM noisy WHERE departure_date <= DATE '{as_of.isoformat()}' + 400""",
        f"""CREATE TABLE strays AS
        SELECT 'X' || lpad(CAST(range AS VARCHAR), 9, '0') AS record_id, 'NOARRIVAL' AS surname,
               'STRAY' || CAST(range AS VARCHAR) AS given_names, '1970-01-01' AS date_of_birth,
               'M' AS sex, 'GBR' AS citizenship, 'GBRX' || CAST(range AS VARCHAR)
               AS document_number, 'GBR' AS document_issuer,
               strftime(DATE '{as_of.isoformat()}' - 30, '%Y-%m-%d') AS departure_date,
               'JFK' AS port, 'air' AS mode, 'biometric_exit' AS source,
               CAST(NULL AS BIGINT) AS true_pid
        FROM range((SELECT count(*) // 100 FROM departures))""",
        f"""CREATE TABLE status_changes AS
        SELECT 'S' || lpad(CAST(g.a AS VARCHAR), 9, '0') AS record_id,
               f.record_id AS arrival_record_id,
               strftime(f.due - 20 + CAST({h(50)} % 10 AS INTEGER)
                        + CASE WHEN {h(51)} % 10 = 0 THEN 60 ELSE 0 END, '%Y-%m-%d')
                   AS filed_date,
               CASE WHEN {h(52)} % 3 = 0 THEN 'change_of_status' ELSE 'extension' END AS kind,
               strftime(f.due + 90 + CAST({h(53)} % 90 AS INTEGER), '%Y-%m-%d')
                   AS new_admit_until
        FROM arr_g g JOIN fate f USING (a) WHERE {h(54)} % 100 < 3""",
    ]


#: The tables each step leaves unread by the steps after it, dropped once it is made.
_DONE_AFTER: dict[str, tuple[str, ...]] = {
    "person2": ("person",), "pick": ("person2",), "ident": ("pick",),
    "arr_g": ("trip", "ident"), "departures": ("dep_g",), "status_changes": ("fate",)}


def generate(out: Path, arrivals: int, *, seed: int = 1, fiscal_year: int = 2024,
             as_of: date | None = None, file_format: str = "parquet",
             memory_limit: str = "6GB") -> Generated:
    """Write ``arrivals``, ``departures``, ``status_changes`` and ``truth`` under ``out``."""
    as_of = as_of or date(fiscal_year, 12, 31)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    # Spill where the pipeline spills, not into a ``.tmp`` under the working directory.
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/nseers-duckdb'")
    _vocabulary(con)
    for statement in [*_sql(arrivals, seed, fiscal_year), *_departure_sql(seed, as_of)]:
        con.execute(statement)
        made = statement.split(None, 3)[2]
        for done in _DONE_AFTER.get(made, ()):
            # A table no later statement reads: at 50M arrivals, keeping every step's
            # table spilled more than 64 GB to disk before the files were written.
            con.execute(f"DROP TABLE {done}")
    con.execute("CREATE TABLE all_dep AS SELECT * FROM departures UNION ALL "
                "SELECT * FROM strays")
    con.execute("DROP TABLE departures")
    con.execute("DROP TABLE strays")
    paths = {}
    counts = {}
    extension = "parquet" if file_format == "parquet" else "csv"
    options = "(FORMAT parquet)" if extension == "parquet" else "(FORMAT csv, HEADER true)"
    for name, query in (
            ("arrivals", "SELECT * FROM arrivals ORDER BY record_id"),
            ("departures", "SELECT * EXCLUDE (true_pid) FROM all_dep ORDER BY record_id"),
            ("status_changes", "SELECT * FROM status_changes ORDER BY record_id")):
        path = out / f"{name}.{extension}"
        con.execute(f"COPY ({query}) TO '{path}' {options}")
        paths[name] = path
        row = con.execute(f"SELECT count(*) FROM ({query})").fetchone()
        counts[name] = int(row[0]) if row else 0
    truth = out / "truth.csv"
    # The truth applies the report's own assignment rule to the true identities: a
    # departure belongs to its person's latest arrival on or before it.
    con.execute(f"""COPY (
        SELECT d.record_id AS departure_record_id, arg_max(
            'A' || lpad(CAST(g.a AS VARCHAR), 9, '0'), g.arrival_date) AS arrival_record_id
        FROM all_dep d LEFT JOIN arr_g g ON g.pid = d.true_pid
             AND g.arrival_date <= CAST(d.departure_date AS DATE)
        GROUP BY d.record_id ORDER BY d.record_id) TO '{truth}' (FORMAT csv, HEADER true)""")
    con.close()
    return Generated(paths["arrivals"], paths["departures"], paths["status_changes"], truth,
                     counts)
