"""The Entry/Exit Overstay Report at fiscal-year scale: speed, memory and link quality.

    python benchmarks/bench_entry_exit.py [--arrivals 1000000 10000000 50000000]
        [--pandas-up-to 2000000] [--memory-limit 6GB] [--rows-json FILE]

For each size: generate a synthetic fiscal year (``nseers.demo.entry_exit``, Parquet),
run the report end to end on DuckDB (``nseers.entry_exit.duckdb_engine.run``: reading and
checking the feeds, name normalisation, document, deterministic and Splink tiers,
assignment, status changes, tables), and print wall time, peak resident memory of the
process (``ru_maxrss``), and link precision and recall against the generator's truth.
Then, at sizes up to ``--pandas-up-to``, the plain pandas implementation of the same
definitions below (the exact tiers only: pandas has no Splink) on the same files, and the
speed-up. Targets (issue 12): 50M under 5 minutes and 8 GB; precision >= 0.995, recall
>= 0.98; at least 10x faster than pandas. This is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from bench_table import Row, add_rows_option, write_rows
from nseers.demo.entry_exit import generate
from nseers.entry_exit.definitions import Definitions, definitions_for
from nseers.entry_exit.duckdb_engine import run
from nseers.entry_exit.links import Links
from nseers.entry_exit.names import name_map
from nseers.rules.policy.store import default_policy

AS_OF = date(2024, 12, 31)


def peak_gb() -> float:
    """Peak resident memory so far in GiB (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def pandas_report(arrivals: Path, departures: Path, changes: Path,
                  defs: Definitions) -> dict[str, int]:
    """The same definitions in plain pandas: a baseline, not the product."""
    a = pd.read_parquet(arrivals)
    d = pd.read_parquet(departures)
    s = pd.read_parquet(changes)
    raws = pd.unique(pd.concat([a.surname, a.given_names, d.surname, d.given_names]).dropna())
    mapping = pd.DataFrame(name_map(str(r) for r in raws)).set_index("raw")
    for frame in (a, d):
        sn = frame.surname.map(mapping.norm).fillna("")
        gn = frame.given_names.map(mapping.norm).fillna("")
        frame["name_key"] = (sn + " " + gn).str.split().map(lambda t: " ".join(sorted(t)))
        frame["doc"] = frame.document_number.fillna("").str.upper().str.replace(
            "[^A-Z0-9]", "", regex=True)
    d = d[pd.to_datetime(d.departure_date) <= pd.Timestamp(defs.as_of)]
    key = ["name_key", "date_of_birth", "citizenship"]
    by_doc = d[d.doc != ""].merge(a[a.doc != ""], on=["doc", "document_issuer"],
                                  suffixes=("_d", "_a"))[["record_id_d", "record_id_a"]]
    by_key = d[d.name_key != ""].merge(a[a.name_key != ""], on=key, suffixes=("_d", "_a"))[
        ["record_id_d", "record_id_a"]]
    links = pd.concat([by_doc, by_key]).drop_duplicates()
    links = links.merge(a[["record_id", "arrival_date"]], left_on="record_id_a",
                        right_on="record_id").merge(
        d[["record_id", "departure_date"]], left_on="record_id_d", right_on="record_id")
    links = links[links.arrival_date <= links.departure_date]
    links = links.sort_values(["record_id_d", "arrival_date"]).groupby("record_id_d").tail(1)
    first = links.groupby("record_id_a").departure_date.min()
    cls = a.admission_class.str.upper().str.replace("[^A-Z0-9]", "", regex=True)
    grace = cls.map(defs.grace_days)
    end = pd.to_datetime(a.program_end_date, errors="coerce")
    until = pd.to_datetime(a.admit_until, errors="coerce")
    edd = (end + pd.to_timedelta(grace, unit="D")).where(grace.notna() & end.notna(), until)
    a["edd"] = edd
    a["left"] = False
    s = s.sort_values(["filed_date", "record_id"])
    s["n"] = s.groupby("arrival_record_id").cumcount() + 1
    a = a.set_index("record_id", drop=False)
    for step in range(1, int(s.n.max() if len(s) else 0) + 1):
        c = s[s.n == step].set_index("arrival_record_id").reindex(a.index)
        due = c.filed_date.notna() & ~a.left & (pd.to_datetime(c.filed_date) <= a.edd)
        extend = due & (c.kind == "extension")
        a.loc[extend, "edd"] = pd.to_datetime(c.new_admit_until[extend])
        a.loc[due & (c.kind != "extension"), "left"] = True
    out = set(a.record_id[a.left])
    scope = a[a["mode"].isin(defs.in_scope_modes) & ~a.record_id.isin(out)
              & a.edd.between(pd.Timestamp(defs.fy_start), pd.Timestamp(defs.fy_end))]
    dep = pd.to_datetime(scope.record_id.map(first))
    return {"expected_departures": len(scope),
            "out_of_country_overstays": int((dep > scope.edd).sum()),
            "suspected_in_country_overstays": int(
                (dep.isna() & (pd.Timestamp(defs.as_of) > scope.edd)).sum())}


def quality(truth: Path, departures: Path, links: Links,
            memory_limit: str) -> tuple[float, float]:
    # Under the report's memory limit: at 50M the truth and the links are some 90 million
    # rows, and DuckDB's default (80 % of the machine) would set the process's peak.
    con = duckdb.connect(config={"memory_limit": memory_limit})
    con.execute(f"CREATE TABLE t AS SELECT departure_record_id AS d, arrival_record_id AS a "
                f"FROM read_csv('{truth}', all_varchar=true) WHERE arrival_record_id IS NOT "
                f"NULL AND departure_record_id IN (SELECT record_id FROM "
                f"read_parquet('{departures}') WHERE departure_date <= '{AS_OF}')")
    # The links' own file, read by DuckDB: neither tuples nor an Arrow table of some
    # 45 million links at 50M in this process.
    source = str(links.path).replace("'", "''")
    con.execute(f"CREATE VIEW l AS SELECT arr_id AS a, dep_id AS d "
                f"FROM read_parquet('{source}')")
    row = con.execute("SELECT (SELECT count(*) FROM l JOIN t USING (a, d)), "
                      "(SELECT count(*) FROM l), (SELECT count(*) FROM t)").fetchone()
    correct, made, true = row if row else (0, 0, 0)
    return correct / max(made, 1), correct / max(true, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrivals", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--pandas-up-to", type=int, default=2_000_000)
    parser.add_argument("--memory-limit", default="6GB")
    add_rows_option(parser)
    args = parser.parse_args()
    rows: list[Row] = []
    defs = definitions_for(default_policy(), 2024, AS_OF)
    print(f"entry-exit benchmark, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    for size in args.arrivals:
        with tempfile.TemporaryDirectory(prefix="nseers-bench-ee-") as folder:
            started = time.perf_counter()
            feeds = generate(Path(folder), size, seed=3, memory_limit=args.memory_limit)
            generated = time.perf_counter() - started
            print(f"    generated {size:,} arrivals in {generated:.1f} s (peak RSS so far "
                  f"{peak_gb():.2f} GiB)", flush=True)
            started = time.perf_counter()
            stages: list[tuple[str, float]] = []

            def say(message: str, stages: list[tuple[str, float]] = stages,
                    started: float = started) -> None:
                stages.append((message, time.perf_counter() - started))
                # As it happens too: a 50M run takes many minutes, and one that fails
                # should still say how far it got.
                print(f"    ... {stages[-1][1]:7.1f} s  {message}  (peak RSS so far "
                      f"{peak_gb():.2f} GiB)", flush=True)

            result = run(feeds.arrivals, feeds.departures, feeds.status_changes, defs,
                         memory_limit=args.memory_limit, progress=say)
            elapsed = time.perf_counter() - started
            report_peak = peak_gb()
            precision, recall = quality(feeds.truth, feeds.departures, result.links,
                                        args.memory_limit)
            print(f"{size:>11,} arrivals ({feeds.counts['departures']:,} departures): "
                  f"generated in {generated:.1f} s; report end to end {elapsed:.1f} s; "
                  f"peak RSS {report_peak:.2f} GiB ({peak_gb():.2f} GiB after counting "
                  f"precision and recall); precision {precision:.5f}; "
                  f"recall {recall:.5f}; review queue {len(result.review)}; "
                  f"links {len(result.links):,}")
            print(f"    grand total {result.report['grand_total']}")
            print("    stages (seconds from the start): " + "; ".join(
                f"{message} {at:.1f}" for message, at in stages))
            rows += [(f"entry-exit report, {size:,} arrivals, end to end",
                      f"{elapsed:.1f} s", "", ""),
                     (f"entry-exit {size:,}: link precision / recall",
                      f"{precision:.5f} / {recall:.5f}", "targets 0.995 / 0.98", ""),
                     (f"entry-exit {size:,}: peak RSS",
                      f"{report_peak:.2f} GiB ({report_peak * 2**30 / 1e9:.2f} GB)",
                      "target 8 GB at 50M", "")]
            if size <= args.pandas_up_to:
                started = time.perf_counter()
                baseline = pandas_report(feeds.arrivals, feeds.departures,
                                         feeds.status_changes, defs)
                pandas_s = time.perf_counter() - started
                print(f"    pandas baseline (exact tiers) {pandas_s:.1f} s: speed-up "
                      f"{pandas_s / elapsed:.1f}x; its totals {baseline}")
                rows[-3] = (rows[-3][0], rows[-3][1],
                            f"pandas, exact tiers only: {pandas_s:.1f} s",
                            f"{pandas_s / elapsed:.1f}x")
            else:
                print("    pandas baseline skipped at this size (--pandas-up-to)")
    print(f"load after: {os.getloadavg()}")
    write_rows(args.rows_json, rows)


if __name__ == "__main__":
    main()
