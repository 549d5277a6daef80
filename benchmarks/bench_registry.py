"""Registry throughput and timeline latency, on SQLite and on PostgreSQL.

    python benchmarks/bench_registry.py [--inspections 1000000] [--encounters 10000000]
        [--databases sqlite,postgresql] [--batch 1000] [--queries 2000] [--rows-json FILE]

1. Ingest: arrivals and departures of a synthetic population (``nseers.demo``) go through
   the service layer in batch mode (``nseers.services.movements.ingest``, one transaction
   per batch: evaluation, persons, documents, encounters, registrations with their FINs and
   obligations, I-94s, violations, audit entries). Generating the commands is not timed.
   Prints inspections per second and rows written per second. Target: 5,000 inspections/s
   on SQLite.
2. Timeline: with ``--encounters`` encounters in the database (bulk-loaded straight into
   the tables, since the ingest rate is measured above, then checkpointed, and on
   PostgreSQL vacuumed, as a registry that grew to this size would be), the p50/p99 latency
   of a person's timeline through the service (``nseers.services.reports.timeline``, audit
   entry included). Target: p99 under 10 ms.

Baselines measured in the same run, on the same database: the ingest's rows per second
beside the bulk load's (plain executemany or COPY of person and encounter rows, no service),
and the timeline's latency beside a plain SQL select of the same persons' encounters.
``--rows-json FILE`` also writes the rows of ``make bench``'s table (``run_all.py``);
a PostgreSQL server that cannot be reached gives a row saying so.

PostgreSQL: a database ``nseers_bench_<pid>`` is created on the server named by
``NSEERS_BENCH_POSTGRES_URL`` (default postgres on 127.0.0.1:5432) and dropped at the end.
This is a benchmark, not a test: it asserts nothing, and its numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench_table import Row, add_rows_option, write_rows
from nseers.bootstrap import system_clock
from nseers.core.actors import SYSTEM_ACTOR, Actor, Role
from nseers.core.errors import NseersError
from nseers.db.audit import AuditEntry
from nseers.db.base import Base
from nseers.db.engine import create_database_engine
from nseers.db.migrate import upgrade
from nseers.demo.loader import movements
from nseers.demo.population import generate
from nseers.registry.encounters import Encounter
from nseers.rules.engine import Engine
from nseers.services.context import Registry
from nseers.services.movements import Movement, ingest
from nseers.services.reports import timeline

ADMIN_URL = os.environ.get("NSEERS_BENCH_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ANALYST_OFFICER = Actor("bench", Role.SECONDARY_OFFICER, "benchmark")


def commands(total: int, seed: int, batch: int) -> Iterator[list[Movement]]:
    """Batches of arrival and departure commands, about ``total`` in all."""
    pending: list[Movement] = []
    produced = 0
    for traveller in generate(10**9, seed):
        for _, command in movements(traveller, seed, use_keys=False):
            pending.append(command)
        if len(pending) >= batch:
            produced += len(pending)
            yield pending
            pending = []
            if produced >= total:
                return
    if pending:
        yield pending


def row_count(registry: Registry) -> int:
    with registry.sessions() as session:
        return sum(int(session.execute(select(func.count()).select_from(table)).scalar_one())
                   for table in Base.metadata.sorted_tables)


def bench_ingest(registry: Registry, total: int, seed: int, batch: int
                 ) -> tuple[int, float, float]:
    """Inspections ingested, inspections per second and rows written per second."""
    rows_before = row_count(registry)
    done, timed, refused = 0, 0.0, 0
    generated = 0.0
    started = time.perf_counter()
    batches = commands(total, seed, batch)
    while True:
        tick = time.perf_counter()
        chunk = next(batches, None)
        generated += time.perf_counter() - tick
        if chunk is None:
            break
        tick = time.perf_counter()
        try:
            ingest(registry, SYSTEM_ACTOR, chunk)
        except NseersError:
            # A command the registry refuses (the generator is not perfect) refuses its
            # batch; record the rest one by one, as a port's feed would.
            for command in chunk:
                try:
                    ingest(registry, SYSTEM_ACTOR, [command])
                except NseersError:
                    refused += 1
        timed += time.perf_counter() - tick
        done += len(chunk)
        if done % (batch * 100) < batch:
            print(f"  ... {done:,} inspections, {done / timed:,.0f}/s", flush=True)
    rows = row_count(registry) - rows_before
    print(f"  ingest: {done:,} inspections in {timed:.1f} s of service time "
          f"({time.perf_counter() - started:.1f} s wall, {generated:.1f} s generating)")
    print(f"  ingest: {refused:,} commands refused by the registry (batches retried one by one)")
    print(f"  ingest: {done / timed:,.0f} inspections/s, {rows / timed:,.0f} rows/s "
          f"({rows:,} rows)")
    return done, done / timed, rows / timed


ENCOUNTER_COLUMNS = ("person_id", "kind", "outcome", "port_code", "mode", "occurred_at",
                     "occurred_on", "officer", "admission_class", "duration_of_status",
                     "policy_version", "determinations")
PERSON_COLUMNS = ("id", "surname", "given_names", "date_of_birth", "sex", "created_at")


def bulk_encounters(registry: Registry, total: int, per_person: int = 10) -> float:
    """Add ``total`` encounters for ``total / per_person`` new persons, straight into SQL
    (executemany on SQLite, COPY on PostgreSQL): the ingest rate is measured above.
    Answers the rows loaded per second, the ingest's baseline."""
    people = -(-total // per_person)
    with registry.database.begin() as connection:
        first = int(connection.execute(text("SELECT coalesce(max(id), 0) FROM persons"))
                    .scalar_one()) + 1
    base = datetime(2002, 1, 1)  # noqa: DTZ001 - written as the naive UTC the columns hold
    persons = ((first + i, f"BENCH{i}", "TRAVELLER",
                date(1970, 1, 1) + timedelta(days=i % 15000), "M", base)
               for i in range(people))
    encounters = ((first + i // per_person, "arrival" if i % 2 == 0 else "departure",
                   "admitted" if i % 2 == 0 else "departed", "JFK", "air",
                   base + timedelta(days=(i % per_person) * 40),
                   (base + timedelta(days=(i % per_person) * 40)).date(), "bench", "B2",
                   False, "bench", "{}")
                  for i in range(total))
    seconds = _copy(registry, "persons", PERSON_COLUMNS, persons, people)
    seconds += _copy(registry, "encounters", ENCOUNTER_COLUMNS, encounters, total)
    return (people + total) / seconds


def _copy(registry: Registry, table: str, columns: tuple[str, ...],
          rows: Iterator[tuple[object, ...]], total: int, chunk: int = 200_000) -> float:
    """Load ``rows`` into ``table``; answers the seconds spent writing (not generating)."""
    started = time.perf_counter()
    writing = 0.0
    raw = registry.database.raw_connection()
    try:
        cursor = raw.cursor()
        names = ", ".join(columns)
        done = 0
        while done < total:
            block = [next(rows) for _ in range(min(chunk, total - done))]
            tick = time.perf_counter()
            if registry.dialect == "postgresql":
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for row in block:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - fixed names
                                   [tuple(_sqlite(v) for v in row) for row in block])
            raw.commit()
            writing += time.perf_counter() - tick
            done += len(block)
            if done % 1_000_000 < chunk:
                print(f"  ... {done:,} {table} loaded "
                      f"({done / (time.perf_counter() - started):,.0f}/s)", flush=True)
    finally:
        raw.close()
    return writing


def _sqlite(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def bench_timeline(registry: Registry, encounters: int, queries: int, seed: int
                   ) -> tuple[float | None, list[Row]]:
    """The bulk load's rows per second (None when nothing was loaded) and the timeline's
    row beside a plain SQL select of the same persons' encounters."""
    bulk_rate = None
    with registry.sessions() as session:
        existing = int(session.execute(select(func.count()).select_from(Encounter))
                       .scalar_one())
    if existing < encounters:
        print(f"  loading {encounters - existing:,} encounters to reach {encounters:,} ...")
        tick = time.perf_counter()
        bulk_rate = bulk_encounters(registry, encounters - existing)
        print(f"  loaded in {time.perf_counter() - tick:.0f} s")
        with registry.database.begin() as connection:
            connection.execute(text("ANALYZE"))
    if registry.dialect == "sqlite":
        # Fold the bulk load's write-ahead log into the database first, as SQLite's own
        # checkpointing would have done long before a real registry reached this size.
        raw = registry.database.raw_connection()  # outside any transaction
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
    else:
        # Likewise on PostgreSQL: vacuum (which also sets the hint bits the first reads of
        # freshly copied rows would otherwise write) and checkpoint, as autovacuum and the
        # server's own checkpoints would have long before a registry reached this size.
        with registry.database.connect().execution_options(
                isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
            connection.execute(text("CHECKPOINT"))
    # Chosen after the vacuum: on ten million freshly copied rows the distinct persons are
    # an index-only scan only once the visibility map is set (before, it outran the
    # statement timeout).
    with registry.sessions() as session:
        people = list(session.execute(select(Encounter.person_id).distinct()
                                      .limit(200_000)).scalars())
        total = int(session.execute(select(func.count()).select_from(Encounter)).scalar_one())
    rng = random.Random(seed)
    for _ in range(min(500, queries)):  # warm-up: connections, statement caches
        timeline(registry, ANALYST_OFFICER, rng.choice(people))
    latencies = []
    sizes = []
    for _ in range(queries):
        person_id = rng.choice(people)
        tick = time.perf_counter()
        result = timeline(registry, ANALYST_OFFICER, person_id)
        latencies.append((time.perf_counter() - tick) * 1000)
        sizes.append(len(result["events"]))
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"  timeline: {queries:,} queries over {total:,} encounters "
          f"(about {statistics.mean(sizes):.0f} events each, audit entry included): "
          f"p50 {statistics.median(latencies):.2f} ms, p99 {p99:.2f} ms, "
          f"max {latencies[-1]:.2f} ms")
    with registry.sessions() as session:
        entries = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    print(f"  audit trail: {entries:,} entries")
    plain = []
    statement = text("SELECT * FROM encounters WHERE person_id = :person "
                     "ORDER BY occurred_at")
    with registry.database.connect() as connection:
        for _ in range(queries):
            person_id = rng.choice(people)
            tick = time.perf_counter()
            connection.execute(statement, {"person": person_id}).fetchall()
            plain.append((time.perf_counter() - tick) * 1000)
    plain.sort()
    plain_p99 = plain[int(len(plain) * 0.99) - 1]
    print(f"  baseline, a plain SQL select of a person's encounters: p50 "
          f"{statistics.median(plain):.2f} ms, p99 {plain_p99:.2f} ms")
    return bulk_rate, [(f"registry timeline over {total:,} encounters, {registry.dialect}",
                        f"p99 {p99:.2f} ms (p50 {statistics.median(latencies):.2f})",
                        f"plain SQL select p99 {plain_p99:.2f} ms",
                        f"{p99 / plain_p99:.1f}x")]


def run(kind: str, args: argparse.Namespace) -> list[Row]:
    """Both measurements on one database of ``kind``; answers the table's rows."""
    print(f"\n== {kind}")
    if kind == "sqlite":
        directory = Path(args.sqlite_dir or tempfile.mkdtemp(prefix="nseers-bench-"))
        url = f"sqlite:///{directory / 'bench.db'}"
        print(f"  database: {directory / 'bench.db'} (kept; --sqlite-dir reuses it)")
        cleanup = None
    else:
        name = f"nseers_bench_{os.getpid()}"
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError as error:
            server = make_url(ADMIN_URL).render_as_string(hide_password=True)
            print(f"  not run: PostgreSQL not reachable at {server}: "
                  f"{str(error.orig).strip().splitlines()[0]}")
            admin.dispose()
            return [("registry on postgresql", "not run",
                     f"PostgreSQL not reachable at {server}", "-")]
        url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)

        def cleanup() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    database = create_database_engine(url)
    rows: list[Row] = []
    try:
        upgrade(database)
        registry = Registry(database=database, rules=Engine(), clock=system_clock)
        ingested = None
        if args.inspections:
            ingested = bench_ingest(registry, args.inspections, args.seed, args.batch)
        if args.encounters:
            bulk_rate, rows = bench_timeline(registry, args.encounters, args.queries,
                                             args.seed)
            if ingested is not None:
                done, rate, rows_rate = ingested
                peer = (f"plain bulk insert {bulk_rate:,.0f} rows/s" if bulk_rate
                        else "no bulk load in this run")
                what = f"registry ingest through the service, {done:,} inspections, {kind}"
                rows.insert(0, (what, f"{rate:,.0f} inspections/s ({rows_rate:,.0f} rows/s)",
                                peer, f"{rows_rate / bulk_rate:.3f}x" if bulk_rate else "-"))
    finally:
        database.dispose()
        if cleanup is not None:
            cleanup()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inspections", type=int, default=1_000_000)
    parser.add_argument("--encounters", type=int, default=10_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sqlite-dir", default=None,
                        help="Reuse the SQLite database of an earlier run in this directory.")
    add_rows_option(parser)
    args = parser.parse_args()
    print(f"nseers registry benchmark on {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} CPUs")
    rows: list[Row] = []
    for kind in args.databases.split(","):
        rows += run(kind.strip(), args)
    write_rows(args.rows_json, rows)


if __name__ == "__main__":
    main()
