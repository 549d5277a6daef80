"""The one table of ``make bench``: rows every benchmark can print and hand to the runner.

A row is (what, figure, the peer or baseline measured in the same run, the ratio). A
benchmark prints its rows itself when run alone, and with ``--rows-json FILE`` also writes
them as JSON for ``benchmarks/run_all.py``, which prints every benchmark's rows as one
table under the machine's details.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
from pathlib import Path

Row = tuple[str, str, str, str]
HEADERS: Row = ("what", "figure", "peer or baseline (same run)", "ratio")


def machine() -> str:
    """CPU model, cores, load average now, and the interpreter."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{model}; {os.cpu_count()} cores; load average at start {load}; "
            f"{platform.python_implementation()} {platform.python_version()}")


def print_table(rows: list[Row], machine_line: str) -> None:
    """One table: what, figure, the peer or baseline of the same run, the ratio."""
    widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(4)]
    print(f"machine: {machine_line}")
    for row in [HEADERS, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


def add_rows_option(parser: argparse.ArgumentParser) -> None:
    """``--rows-json FILE``: also write the rows for ``run_all.py``."""
    parser.add_argument("--rows-json", type=Path, default=None,
                        help="also write the table's rows to this file as JSON")


def write_rows(path: Path | None, rows: list[Row]) -> None:
    """Write ``rows`` to ``path`` as JSON (nothing when ``path`` is None)."""
    if path is not None:
        path.write_text(json.dumps([list(r) for r in rows]), encoding="utf-8")


def read_rows(path: Path) -> list[Row]:
    """The rows a benchmark wrote with :func:`write_rows`."""
    return [(a, b, c, d) for a, b, c, d in json.loads(path.read_text(encoding="utf-8"))]
