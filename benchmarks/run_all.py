"""``make bench``: every benchmark that gives rows, at a size that finishes in minutes, as
one table.

    python benchmarks/run_all.py [--large]

Each benchmark runs as its own process with ``--rows-json`` and the sizes below, then its
rows are printed together under the machine's details (CPU, cores, load average at the
start). Every figure is measured in this run beside a peer or baseline of the same run.
``--large`` runs the sizes of the issues instead (much longer; see docs/benchmarks.md).
The registry and API benchmarks run on SQLite and on a PostgreSQL database they create for
themselves (and drop) on ``NSEERS_BENCH_POSTGRES_URL``'s server; when it cannot be reached
their rows say so. A benchmark that fails gives a row saying so, and the table still
prints. A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_table import Row, machine, print_table, read_rows

HERE = Path(__file__).parent
#: (script, arguments at the size of minutes, arguments at the issues' sizes); ``{work}``
#: is this run's temporary directory, removed at the end.
BENCHMARKS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("bench_cli.py", ["--cases", "20000", "--mrzs", "50000"], ["--large", "--mrzs", "500000"]),
    ("bench_rules.py", ["--cases", "50000"], ["--cases", "1000000"]),
    ("bench_entry_exit.py", ["--arrivals", "200000"],
     ["--arrivals", "1000000", "10000000", "50000000", "--pandas-up-to", "1000000"]),
    ("bench_registry.py",
     ["--inspections", "20000", "--encounters", "200000", "--queries", "1000",
      "--sqlite-dir", "{work}"],
     ["--inspections", "1000000", "--encounters", "10000000", "--sqlite-dir", "{work}"]),
    ("bench_api.py", ["--duration", "5", "--paced-duration", "5"],
     ["--duration", "20", "--paced-duration", "20"]),
    ("bench_documents.py", ["--mrzs", "100000", "--pages", "20"],
     ["--mrzs", "200000", "--pages", "200"]),
    ("bench_biometrics.py", ["--gallery", "400000", "--queries", "200",
                             "--print-gallery", "10000"],
     ["--gallery", "1000000", "--queries", "500", "--print-gallery", "20000"]),
    ("bench_screening.py", ["--size", "100000", "--queries", "1000",
                            "--baseline-queries", "30"], ["--full"]),
)


def main() -> None:
    """Run each benchmark and print the one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="the issues' sizes")
    parser.add_argument("--only", action="append", default=None, metavar="SCRIPT",
                        help="run only this benchmark (repeatable), e.g. bench_api.py")
    args = parser.parse_args()
    machine_line = machine()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nseers-bench-") as name:
        for script, small, large in BENCHMARKS:
            if args.only and script not in args.only:
                continue
            path = Path(name) / f"{script}.json"
            work = Path(name) / script.removesuffix(".py")
            work.mkdir()
            print(f"running {script} ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            done = subprocess.run(  # noqa: S603 - our own scripts
                [sys.executable, str(HERE / script),
                 *(a.format(work=work) for a in (large if args.large else small)),
                 "--rows-json", str(path)], check=False, stdout=subprocess.DEVNULL)
            print(f"  {script}: {time.perf_counter() - started:.0f} s", file=sys.stderr,
                  flush=True)
            if done.returncode != 0 or not path.exists():
                # One broken benchmark must not hide the others' figures.
                rows.append((script, "failed", f"exit status {done.returncode}", "-"))
                continue
            rows += read_rows(path)
    print_table(rows, machine_line)


if __name__ == "__main__":
    main()
