"""Rules-engine throughput and latency: evaluate generated cases in-process on one core.

    python benchmarks/bench_rules.py [--cases 1000000] [--seed 7] [--rows-json FILE]

Prints cases per second (evaluation of parsed cases, and parsing of raw JSON-like cases
separately) and the p50/p99/max latency of a single evaluation. Targets (issue 2): at
least 20,000 cases/s on one core and p99 under 1 ms. This is a benchmark, not a test: it
asserts nothing and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from nseers.rules.case import parse_case
from nseers.rules.engine import Engine

sys.path.insert(0, str(Path(__file__).parent))
from bench_table import Row, add_rows_option, write_rows

PORTS = [("JFK", "air", "NY"), ("OAK", "air", "CA"), ("MEM", "air", "TN"),
         ("NOGALES", "land", "AZ"), ("LUKEVILLE", "land", "AZ"), ("COLUMBUS", "land", "NM"),
         ("LAREDO", "land", "TX"), ("BLAINE", "land", "WA"), ("MIAMI", "sea", "FL"),
         ("ZZZ", "air", "OH")]
COUNTRIES = ["IRN", "SYR", "PAK", "SAU", "YEM", "MEX", "CAN", "GBR", "IND", "CHN", "EGY",
             "FRA", "DEU", "BRA", "NGA", "VGB", "ARM"]
CLASSES = ["B1", "B2", "F1", "H1B", "J1", "A1", "G4", "C3", "WT", "E1", "NATO2", "L1"]
STATUSES = ["nonimmigrant"] * 8 + ["us_citizen", "lpr", "immigrant", "none"]
FIRST_DAY = date(2000, 1, 1)
SPAN_DAYS = (date(2026, 11, 1) - FIRST_DAY).days


def generate(rng: random.Random) -> dict[str, Any]:
    """One random but well-formed contract case."""
    day = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
    code, mode, state = rng.choice(PORTS)
    status = rng.choice(STATUSES)
    event = "departure" if rng.random() < 0.25 else "arrival"
    citizenships = rng.sample(COUNTRIES, k=rng.choice((1, 1, 1, 2)))
    case: dict[str, Any] = {
        "event": event,
        "date": day.isoformat(),
        "port": {"code": code, "mode": mode, "state": state},
        "traveler": {
            "claimed_status": status,
            "citizenships": citizenships,
            "date_of_birth": (day - timedelta(days=rng.randrange(365 * 90))).isoformat(),
            "sex": rng.choice("MF"),
            "residence": rng.choice(COUNTRIES),
        },
        "admission_class": rng.choice(CLASSES) if status == "nonimmigrant" else None,
        "documents": [{"kind": "passport", "issuer": citizenships[0]},
                      {"kind": rng.choice(("visa", "bcc", "i94"))}],
        "circumstances": {
            "citizenship_established": status == "us_citizen" and rng.random() < 0.9,
            "stowaway": rng.random() < 0.01, "fear_expressed": rng.random() < 0.5,
            "officer_designation": rng.random() < 0.05, "paroled": rng.random() < 0.02,
        },
        "itinerary": {"max_distance_from_border_miles": rng.choice((None, 10, 40, 70, 100)),
                      "length_of_stay_days": rng.choice((1, 2, 3, 10, 30, 60)),
                      "destination": None},
    }
    if event == "departure" and rng.random() < 0.6:
        case["registration"] = {
            "basis": rng.choice(("designated_nationality", "individual")),
            "date": (day - timedelta(days=rng.randrange(1, 2000))).isoformat(), "fin": "F1"}
        if rng.random() < 0.8:
            case["departure_report"] = {
                "port_code": code if rng.random() < 0.9 else "JFK",
                "date": day.isoformat() if rng.random() < 0.9 else (
                    day - timedelta(days=1)).isoformat()}
    return case


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--chunk", type=int, default=20_000)
    add_rows_option(parser)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(args.seed)
    engine = Engine()
    latencies: list[int] = []
    evaluate_seconds = parse_seconds = 0.0
    done = 0
    outcomes: dict[str, int] = {}
    clock = time.perf_counter_ns
    while done < args.cases:
        size = min(args.chunk, args.cases - done)
        raws = [generate(rng) for _ in range(size)]
        started = time.perf_counter()
        cases = [parse_case(raw) for raw in raws]
        parse_seconds += time.perf_counter() - started
        started = time.perf_counter()
        for case in cases:
            t0 = clock()
            result = engine.evaluate(case)
            latencies.append(clock() - t0)
            key = result.determinations["special_registration"].outcome
            outcomes[key] = outcomes.get(key, 0) + 1
        evaluate_seconds += time.perf_counter() - started
        done += size

    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] / 1e6

    print(f"nseers rules benchmark — {platform.python_implementation()} "
          f"{platform.python_version()} on {platform.machine()}, one core")
    print(f"cases evaluated          {done:,} (seed {args.seed}; special registration "
          f"outcomes {outcomes})")
    print(f"evaluate throughput      {done / evaluate_seconds:,.0f} cases/s  (target >= 20,000)")
    print(f"parse throughput         {done / parse_seconds:,.0f} cases/s")
    print(f"evaluate+parse           {done / (evaluate_seconds + parse_seconds):,.0f} cases/s")
    print(f"latency p50              {pct(0.50):.3f} ms")
    print(f"latency p99              {pct(0.99):.3f} ms  (target < 1 ms)")
    print(f"latency max              {latencies[-1] / 1e6:.3f} ms (includes first-use of a "
          f"date's law)")
    evaluate_rate, parse_rate = done / evaluate_seconds, done / parse_seconds
    rows: list[Row] = [
        (f"rules: evaluate {done:,} parsed cases, 1 core", f"{evaluate_rate:,.0f} cases/s",
         f"parse the same {parse_rate:,.0f}/s", f"{evaluate_rate / parse_rate:.2f}x"),
        ("rules: one evaluation, latency p99", f"{pct(0.99):.3f} ms",
         f"p50 {pct(0.50):.3f} ms", f"{pct(0.99) / pct(0.50):.1f}x"),
    ]
    write_rows(args.rows_json, rows)


if __name__ == "__main__":
    main()
