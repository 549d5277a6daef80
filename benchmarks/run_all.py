"""``make bench``: every benchmark that gives rows, at a size that finishes in minutes, as
one table.

    python benchmarks/run_all.py [--large]

Each benchmark runs as its own process with ``--rows-json`` and the sizes below, then its
rows are printed together under the machine's details (CPU, cores, load average at the
start). Every figure is measured in this run beside a peer or baseline of the same run.
``--large`` runs the sizes of the issues instead (much longer; see docs/benchmarks.md).
A benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_table import Row, machine, print_table, read_rows

HERE = Path(__file__).parent
#: (script, arguments at the size of minutes, arguments at the issues' sizes).
BENCHMARKS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("bench_cli.py", ["--cases", "20000", "--mrzs", "50000"], ["--large", "--mrzs", "500000"]),
    ("bench_rules.py", ["--cases", "50000"], ["--cases", "1000000"]),
    ("bench_entry_exit.py", ["--arrivals", "200000"],
     ["--arrivals", "1000000", "10000000", "50000000", "--pandas-up-to", "1000000"]),
)


def main() -> None:
    """Run each benchmark and print the one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="the issues' sizes")
    args = parser.parse_args()
    machine_line = machine()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="nseers-bench-") as name:
        for script, small, large in BENCHMARKS:
            path = Path(name) / f"{script}.json"
            print(f"running {script} ...", file=sys.stderr, flush=True)
            subprocess.run(  # noqa: S603 - our own scripts
                [sys.executable, str(HERE / script), *(large if args.large else small),
                 "--rows-json", str(path)], check=True, stdout=subprocess.DEVNULL)
            rows += read_rows(path)
    print_table(rows, machine_line)


if __name__ == "__main__":
    main()
