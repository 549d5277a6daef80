"""End-to-end speed as a user times it: whole ``nseers`` processes, with a baseline each.

    python benchmarks/bench_cli.py [--cases 20000] [--large] [--mrzs 100000] [--seed 7]
                                   [--rows-json FILE]

Every figure is measured in this run, and each is printed beside a peer or baseline that
is measured in the same run, with the ratio:

- ``nseers evaluate`` on ``--cases`` JSON Lines cases, one process pinned to one core,
  start-up, reading and writing included (target 20,000 cases/s), against the engine
  in-process (parse and evaluate, no I/O: what ``bench_rules.py`` measures);
- the same with ``--workers 2`` (target 35,000 cases/s), against one worker; up to
  100,000 cases each is the median of five whole runs, one and two workers in turn, with
  the range beside it;
- peak resident memory of each run (flat: ``--large`` adds 1,000,000 cases to compare);
- one case from a cold process, bytecode compiled (median of 5; target under 0.3 s),
  against the bare interpreter's start;
- MRZ parse-and-validate in-process on one core (target 100,000/s), against the ``mrz``
  package's checker on the same strings;
- ``nseers mrz read --many`` on a file of MRZs, against the in-process parser.

A benchmark, not a test: it asserts nothing, and its numbers depend on the machine and its
load (printed at the start).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).parent))
from bench_documents import random_passport
from bench_rules import generate
from bench_table import Row, add_rows_option, machine, print_table, write_rows

NSEERS = [sys.executable, "-m", "nseers"]
MRZ_DATE = date(2024, 6, 1)


def _pin_to_one_core() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _process(command: list[str], *, stdin: Path | None = None, stdout: Path | None = None,
             pin: bool = False) -> tuple[float, float]:
    """Run ``command`` to the end: its wall seconds and peak resident memory in MiB."""
    with Path(stdin or os.devnull).open("rb") as source, \
            Path(stdout or os.devnull).open("wb") as target:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdin=source, stdout=target,  # noqa: S603
                                   preexec_fn=_pin_to_one_core if pin else None)  # noqa: PLW1509 - no threads here
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with status {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def _cases_file(directory: Path, count: int, seed: int) -> Path:
    rng = random.Random(seed)
    path = directory / f"cases-{count}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(count):
            handle.write(json.dumps(generate(rng)) + "\n")
    return path


def _in_process_rate(path: Path, limit: int = 20_000) -> float:
    from nseers.rules.case import parse_case  # noqa: PLC0415 - after the processes
    from nseers.rules.engine import Engine  # noqa: PLC0415

    with path.open(encoding="utf-8") as handle:
        raws = [json.loads(line) for _, line in zip(range(limit), handle, strict=False)]
    engine = Engine()
    for raw in raws[:200]:
        engine.evaluate(parse_case(raw))  # the law of the dates seen, as a warm process has
    started = time.perf_counter()
    for raw in raws:
        engine.evaluate(parse_case(raw))
    return len(raws) / (time.perf_counter() - started)


Rows = Callable[[], list[Row]]
"""What a benchmark measures in this process, after every process has run: a child's
peak resident memory counts that of the process it was forked from (Linux carries the
high-water mark across ``exec``), so this one must still be small when it forks."""


#: Whole runs of each ``nseers evaluate`` command up to this many cases, one and two
#: workers in turn, of which the median is printed: a single run moved by a quarter from
#: one to the next on a shared host (issue 18). Larger inputs run once.
REPEAT: Final = 5
REPEAT_UP_TO: Final = 100_000


def bench_evaluate(directory: Path, sizes: list[int], seed: int) -> Rows:
    """``nseers evaluate`` throughput and memory, one core and two workers."""
    runs = []
    for size in sizes:
        cases = _cases_file(directory, size, seed)
        output = directory / "results.json"
        ones: list[float] = []
        twos: list[float] = []
        one_rss = two_rss = 0.0
        for _ in range(REPEAT if size <= REPEAT_UP_TO else 1):
            one, rss = _process([*NSEERS, "evaluate", str(cases)], stdout=output, pin=True)
            ones.append(one)
            one_rss = max(one_rss, rss)
            two, rss = _process([*NSEERS, "evaluate", "--workers", "2", str(cases)],
                                stdout=output)
            twos.append(two)
            two_rss = max(two_rss, rss)
        output.unlink()
        runs.append((size, cases, ones, one_rss, twos, two_rss))
    return lambda: _evaluate_rows(runs)


def _rates(size: int, seconds: list[float]) -> str:
    """The median rate, and the range where there were several runs."""
    median = size / statistics.median(seconds)
    if len(seconds) == 1:
        return f"{median:,.0f} cases/s"
    return (f"{median:,.0f} cases/s (median of {len(seconds)}: "
            f"{size / max(seconds):,.0f}-{size / min(seconds):,.0f})")


def _evaluate_rows(runs: list[tuple[int, Path, list[float], float, list[float], float]]
                   ) -> list[Row]:
    rows: list[Row] = []
    for size, cases, ones, one_rss, twos, two_rss in runs:
        engine = _in_process_rate(cases)
        one, two = statistics.median(ones), statistics.median(twos)
        rows.append((f"evaluate {size:,} cases, 1 core, end to end",
                     _rates(size, ones), f"engine in-process {engine:,.0f}/s",
                     f"{size / one / engine:.2f}x"))
        rows.append((f"evaluate {size:,} cases, --workers 2",
                     _rates(size, twos), f"1 core {size / one:,.0f}/s",
                     f"{one / two:.2f}x"))
        megabytes = cases.stat().st_size / 2**20
        rows.append((f"evaluate {size:,} cases, peak RSS (1 core / 2 workers)",
                     f"{one_rss:,.0f} / {two_rss:,.0f} MiB", f"input {megabytes:,.0f} MiB",
                     "-"))
        cases.unlink()
    return rows


def _median_seconds(command: list[str], runs: int = 5) -> float:
    _process(command)  # compiles bytecode, warms the page cache
    return statistics.median(_process(command)[0] for _ in range(runs))


def bench_start(directory: Path) -> list[Row]:
    """One case from a cold process, against the interpreter's own start."""
    case = Path(__file__).parent.parent / "examples" / "iranian_canadian_dual_2003.json"
    one = _median_seconds([*NSEERS, "evaluate", str(case)])
    bare = _median_seconds([sys.executable, "-c", "pass"])
    del directory
    return [("evaluate one case, cold process (median of 5)", f"{one:.3f} s",
             f"bare python {bare:.3f} s", f"{one / bare:.1f}x")]


def _rate(function: Callable[[str], Any], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        function(text)
    return len(texts) / (time.perf_counter() - started)


def bench_mrz(directory: Path, count: int, seed: int) -> Rows:
    """MRZ parse-and-validate beside the ``mrz`` package, and ``mrz read --many``."""
    rng = random.Random(seed)
    path = directory / "mrzs.txt"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(count):
            handle.write(random_passport(rng).replace("\n", " ") + "\n")
    elapsed, rss = _process([*NSEERS, "mrz", "read", "--many", "--as-of",
                             MRZ_DATE.isoformat(), str(path)], pin=True)
    return lambda: _mrz_rows(count, seed, elapsed, rss)


def _mrz_rows(count: int, seed: int, elapsed: float, rss: float) -> list[Row]:
    from nseers.documents import parse_mrz  # noqa: PLC0415

    rng = random.Random(seed)
    texts = [random_passport(rng) for _ in range(count)]  # the strings of the file
    ours = _rate(lambda t: parse_mrz(t, reference_date=MRZ_DATE), texts)
    rows: list[Row] = []
    try:
        from mrz.checker.td3 import TD3CodeChecker  # noqa: PLC0415 - dev-only oracle
    except ImportError:
        rows.append(("MRZ parse and validate (TD3), 1 core", f"{ours:,.0f} /s",
                     "mrz package not installed", "-"))
    else:
        peer = _rate(lambda t: TD3CodeChecker(t).report.fields, texts[:max(2_000,
                                                                          count // 10)])
        rows.append(("MRZ parse and validate (TD3), 1 core", f"{ours:,.0f} /s",
                     f"mrz package {peer:,.0f}/s", f"{ours / peer:.1f}x"))
    rows.append((f"mrz read --many, {count:,} lines, 1 core, end to end",
                 f"{count / elapsed:,.0f} /s ({rss:,.0f} MiB)",
                 f"parser in-process {ours:,.0f}/s", f"{count / elapsed / ours:.2f}x"))
    return rows


def _compile_bytecode() -> None:
    """Compile the package's bytecode first, as an installed package has it: the targets
    are for a start "with bytecode compiled", and with ``PYTHONDONTWRITEBYTECODE`` set (as
    in some shells and containers) the warm-up run would not write it."""
    import compileall  # noqa: PLC0415 - only here

    import nseers  # noqa: PLC0415

    compileall.compile_dir(Path(nseers.__file__).parent, quiet=1)


def main() -> None:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--large", action="store_true", help="also 1,000,000 cases")
    parser.add_argument("--mrzs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    add_rows_option(parser)
    args = parser.parse_args()
    machine_line = machine()
    _compile_bytecode()
    sizes = [args.cases, *([1_000_000] if args.large else [])]
    with tempfile.TemporaryDirectory(prefix="nseers-bench-") as name:
        directory = Path(name)
        rows = bench_start(directory)
        later = [bench_evaluate(directory, sizes, args.seed),
                 bench_mrz(directory, args.mrzs, args.seed)]
        for finish in later:
            rows += finish()
    print_table(rows, machine_line)
    write_rows(args.rows_json, rows)


if __name__ == "__main__":
    main()
