"""HTTP API throughput and latency: arrival inspections through ``nseers serve``.

    python benchmarks/bench_api.py [--databases sqlite,postgresql] [--workers 1]
        [--client httpx|raw] [--concurrency 16] [--duration 20] [--rate 300]
        [--paced-duration 20] [--saturation-workers 2] [--saturation-concurrency 128]
        [--rows-json FILE]

For each database (a temporary SQLite data directory; a temporary PostgreSQL database
``nseers_bench_api_<pid>`` on the server named by ``NSEERS_BENCH_POSTGRES_URL``, dropped at
the end) the benchmark creates a user with ``nseers users create``, starts ``nseers serve``
as a subprocess, signs in over HTTP and drives ``POST /api/v1/arrivals`` over loopback with
httpx (an asyncio client with a connection pool), or with ``--client raw``, a minimal
HTTP/1.1 client on asyncio streams (one keep-alive connection per worker) that costs the
machine much less CPU than httpx:

1. Throughput: ``--concurrency`` requests in flight for ``--duration`` seconds; prints
   inspections per second and p50/p99 latency. Target: 600 inspections/s.
2. Paced: requests sent at a fixed ``--rate`` per second for ``--paced-duration`` seconds,
   whatever the answers' speed (open loop), latency measured from each request's scheduled
   time, so queueing counts; prints p50/p99. Target: p99 under 50 ms at 300/s.
3. Saturated: a server of ``--saturation-workers`` processes (default 2) kept busy with
   ``--saturation-concurrency`` requests in flight (default 128) for ``--duration`` seconds,
   so that every worker always has a batch to record: the throughput the server sustains.
   Always with the raw client (httpx with 128 connections saturates itself).
   Target (issue 18): 1,500 inspections/s on PostgreSQL. ``--saturation-workers 0`` skips it.

Each request is a distinct traveller (a unique passport number): mostly visitors who get an
I-94, and a share (``--registrants``) of men of a designated country in 2003 who are
registered with a FIN and obligations. The client runs on the same machine as the server
and the database, and its own CPU time is printed: on a small machine it competes with the
server. The baseline of each figure is the same measurement on the other database in the
same run; ``--rows-json FILE`` also writes the rows of ``make bench``'s table
(``benchmarks/run_all.py``), and a PostgreSQL server that cannot be reached gives a row
saying so. This is a benchmark, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bench_table import Row, add_rows_option, write_rows

ADMIN_URL = os.environ.get("NSEERS_BENCH_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
NSEERS = str(Path(sys.executable).with_name("nseers"))
PASSWORD = "throughput measurement account 2026"  # noqa: S105 - a throwaway account's password
#: Used when ``nseers serve`` is not (yet) a registered command of the ``nseers`` script.
SERVE_FALLBACK = ("import typer; from nseers.cli.users import serve_command; "
                  "typer.run(serve_command)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_argv() -> list[str]:
    """``nseers serve``, or the same command through the CLI module until it is registered."""
    probe = subprocess.run([NSEERS, "serve", "--help"], capture_output=True, check=False)  # noqa: S603 - this project's own command
    if probe.returncode == 0:
        return [NSEERS, "serve"]
    return [sys.executable, "-c", SERVE_FALLBACK]


def users_argv() -> list[str]:
    probe = subprocess.run([NSEERS, "users", "--help"], capture_output=True, check=False)  # noqa: S603 - this project's own command
    if probe.returncode == 0:
        return [NSEERS, "users", "create"]
    # A Typer app with one command runs it without the command's name.
    return [sys.executable, "-c", "from nseers.cli.users import users_app; users_app()"]


class Unreachable(Exception):  # noqa: N818 - reads as what happened to the server
    """The database server named for the benchmark cannot be reached."""


@dataclass(frozen=True)
class Measured:
    """One database's figures: closed-loop throughput and p99, the paced p99, and the
    saturated throughput."""

    throughput: float
    p99_ms: float
    paced_p99_ms: float
    #: Throughput and p99 with ``--saturation-workers`` and ``--saturation-concurrency``.
    saturated: tuple[float, float] | None = None


@contextmanager
def database(kind: str) -> Iterator[dict[str, str]]:
    """The environment naming a fresh database of ``kind``; removed afterwards."""
    if kind == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="nseers-bench-api-"))
        try:
            yield {"NSEERS_DATA_DIR": str(directory)}
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return
    name = f"nseers_bench_api_{os.getpid()}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        server = make_url(ADMIN_URL).render_as_string(hide_password=True)
        raise Unreachable(f"PostgreSQL not reachable at {server}") from error
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield {"NSEERS_DATABASE_URL": url}
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_cpu(pid: int) -> float:
    """CPU seconds used by the process ``pid`` and its children (uvicorn's workers), from
    /proc (Linux); the database server's own processes are not counted."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@contextmanager
def server(env: dict[str, str], port: int, workers: int) -> Iterator[tuple[str, int]]:
    """``nseers serve`` running on ``port``; its base URL and process id."""
    process = subprocess.Popen(  # noqa: S603 - this project's own command
        [*serve_argv(), "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         "--no-access-log"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"nseers serve exited: {error[-2000:]}")
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("nseers serve did not answer within 60 s")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


class Travellers:
    """Distinct arriving travellers, as request bodies."""

    def __init__(self, registrants: float, seed: str) -> None:
        self.count = 0
        self.registrants = registrants
        self.seed = seed

    def next(self) -> dict[str, Any]:
        self.count += 1
        number = f"{self.seed}{self.count:07d}"
        day = 1 + self.count % 28
        if self.registrants and self.count % round(1 / self.registrants) == 0:
            return {
                "port_code": "JFK", "occurred_at": f"2003-06-{day:02d}T10:00:00-05:00",
                "person": {"surname": "AHMADI", "given_names": f"REZA {self.count}",
                           "date_of_birth": "1970-05-01", "sex": "M", "citizenships": ["IRN"]},
                "documents": [{"kind": "passport", "number": "X" + number, "issuer": "IRN"},
                              {"kind": "visa", "issuer": "USA", "admission_class": "B2"}],
                "admission_class": "B2", "admit_until": "2003-12-31",
                "answers": {"us_address": "1 Main St, New York, NY", "purpose": "tourism"},
                # No FIN without the captures (8 CFR 264.1(f)): references to them.
                "photograph_ref": f"bench-photo-{number}",
                "fingerprints_ref": f"bench-prints-{number}"}
        return {
            "port_code": "IAD", "occurred_at": f"2010-04-{day:02d}T10:00:00-04:00",
            "person": {"surname": "MULLER", "given_names": f"ANNE {self.count}",
                       "date_of_birth": "1980-02-02", "sex": "F", "citizenships": ["FRA"]},
            "documents": [{"kind": "passport", "number": "P" + number, "issuer": "FRA"}],
            "admission_class": "B2", "admit_until": "2010-10-01"}


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)

    def record(self, started: float, status: int | None, error: str = "") -> None:
        if status == 201:
            self.latencies.append((time.perf_counter() - started) * 1000)
            return
        key = error or f"HTTP {status}"
        self.failures[key] = self.failures.get(key, 0) + 1

    def p99(self) -> float:
        """The 99th percentile of the successful requests' latency in ms (nan if none)."""
        ordered = sorted(self.latencies)
        return ordered[max(0, int(len(ordered) * 0.99) - 1)] if ordered else float("nan")

    def percentiles(self) -> str:
        if not self.latencies:
            return "no successful request"
        ordered = sorted(self.latencies)
        p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
        return (f"p50 {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms, "
                f"max {ordered[-1]:.1f} ms")


class Sender(Protocol):
    """Posts an arrival and answers the HTTP status."""

    async def post(self, body: dict[str, Any]) -> int: ...

    async def close(self) -> None: ...


class HttpxSender:
    """httpx's asyncio client; one pool shared by every worker."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def post(self, body: dict[str, Any]) -> int:
        return (await self.client.post("/api/v1/arrivals", json=body)).status_code

    async def close(self) -> None:
        """The shared client is closed by its owner."""


class RawSender:
    """A minimal HTTP/1.1 client on one keep-alive connection (asyncio streams): the same
    bytes on the wire as any client, at a fraction of the CPU, so that on a small machine
    the load generator takes less of the server's CPU."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 head: bytes) -> None:
        self.reader, self.writer, self.head = reader, writer, head

    @classmethod
    async def open(cls, base: str, token: str) -> RawSender:
        url = httpx.URL(base)
        reader, writer = await asyncio.open_connection(url.host, url.port)
        head = (f"POST /api/v1/arrivals HTTP/1.1\r\nHost: {url.host}:{url.port}\r\n"
                f"Authorization: Bearer {token}\r\nPurpose: benchmark\r\n"
                f"Content-Type: application/json\r\n").encode()
        return cls(reader, writer, head)

    async def post(self, body: dict[str, Any]) -> int:
        payload = json.dumps(body).encode()
        self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(payload) + payload)
        header = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in header.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return int(header[9:12])

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def send(sender: Sender, body: dict[str, Any], tally: Tally, started: float) -> None:
    try:
        status = await sender.post(body)
    except (httpx.HTTPError, OSError, asyncio.IncompleteReadError, ValueError) as error:
        tally.record(started, None, type(error).__name__)
        return
    tally.record(started, status)


@asynccontextmanager
async def senders(kind: str, base: str, token: str, count: int
                  ) -> AsyncIterator[list[Sender]]:
    """``count`` senders: connections of a shared httpx pool, or raw connections."""
    if kind == "httpx":
        async with httpx.AsyncClient(
                base_url=base, headers={"Authorization": f"Bearer {token}",
                                        "Purpose": "benchmark"},
                limits=httpx.Limits(max_connections=count, max_keepalive_connections=count),
                timeout=30) as client:
            yield [HttpxSender(client)] * count
        return
    opened: list[Sender] = [await RawSender.open(base, token) for _ in range(count)]
    try:
        yield opened
    finally:
        for sender in opened:
            await sender.close()


async def closed_loop(kind: str, base: str, token: str, travellers: Travellers,
                      concurrency: int, duration: float) -> tuple[Tally, float]:
    """``concurrency`` requests always in flight for ``duration`` seconds."""
    tally = Tally()
    async with senders(kind, base, token, concurrency) as pool:
        started = time.perf_counter()
        stop = started + duration

        async def worker(sender: Sender) -> None:
            while time.perf_counter() < stop:
                await send(sender, travellers.next(), tally, time.perf_counter())

        await asyncio.gather(*(worker(s) for s in pool))
        return tally, time.perf_counter() - started


async def open_loop(kind: str, base: str, token: str, travellers: Travellers, rate: float,
                    duration: float, connections: int) -> tuple[Tally, float]:
    """Request ``i`` is due at ``i / rate`` seconds, whatever the answers' speed; each of
    ``connections`` workers sends the next due request (at once if it is late), and latency
    counts from when the request was due, so queueing behind a slow answer counts too."""
    tally = Tally()
    total = int(rate * duration)
    claimed = 0
    async with senders(kind, base, token, connections) as pool:
        started = time.perf_counter()

        async def worker(sender: Sender) -> None:
            nonlocal claimed
            while claimed < total:
                due = started + claimed / rate
                claimed += 1
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                await send(sender, travellers.next(), tally, due)

        await asyncio.gather(*(worker(s) for s in pool))
        return tally, time.perf_counter() - started


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def sign_in(base: str) -> str:
    signed_in = httpx.post(f"{base}/api/v1/auth/token",
                           json={"username": "bench", "password": PASSWORD}, timeout=30)
    signed_in.raise_for_status()
    return str(signed_in.json()["access_token"])


def cpu_line(pid: int, served: float, cpu: float, done: int, elapsed: float) -> str:
    return (f"    server CPU {(server_cpu(pid) - served) / max(done, 1) * 1000:.2f} ms "
            f"per inspection ({(server_cpu(pid) - served) / elapsed:.0%} of a core); "
            f"client CPU {(cpu_seconds() - cpu) / elapsed:.0%} of a core; load average "
            f"{os.getloadavg()[0]:.2f}")


def measure_closed(args: argparse.Namespace, base: str, pid: int, travellers: Travellers,
                   concurrency: int, label: str, client: str | None = None
                   ) -> tuple[float, float]:
    """A warm-up, then ``concurrency`` requests in flight for ``--duration``: the
    throughput and its p99, printed."""
    token = sign_in(base)
    client = client or args.client
    asyncio.run(closed_loop(client, base, token, travellers, concurrency, 3))  # warm up
    print(f"  load average before: {os.getloadavg()[0]:.2f}", flush=True)
    cpu, served = cpu_seconds(), server_cpu(pid)
    tally, elapsed = asyncio.run(closed_loop(client, base, token, travellers,
                                             concurrency, args.duration))
    done = len(tally.latencies)
    print(f"  {label}: {done:,} inspections in {elapsed:.1f} s = "
          f"{done / elapsed:,.0f} inspections/s at {concurrency} in flight; "
          f"{tally.percentiles()}; failures {tally.failures or 'none'}", flush=True)
    print(cpu_line(pid, served, cpu, done, elapsed), flush=True)
    return done / elapsed, tally.p99()


def run(kind: str, args: argparse.Namespace) -> Measured:
    print(f"\n== {kind}, {args.workers} worker process(es), {args.client} client",
          flush=True)
    with database(kind) as database_env:
        env = {**os.environ, **database_env, "NSEERS_SECRET_KEY": secrets.token_urlsafe(48),
               "NSEERS_USER": "bench"}
        subprocess.run([*users_argv(), "bench", "--role", "secondary_officer",  # noqa: S603 - this project's own command
                        "--password-stdin"], input=f"{PASSWORD}\n".encode(), env=env,
                       check=True, capture_output=True)
        travellers = Travellers(args.registrants, secrets.token_hex(3).upper())
        with server(env, free_port(), args.workers) as (base, pid):
            throughput, p99 = measure_closed(args, base, pid, travellers, args.concurrency,
                                             "throughput")
            token = sign_in(base)
            cpu, served = cpu_seconds(), server_cpu(pid)
            tally, elapsed = asyncio.run(open_loop(args.client, base, token, travellers,
                                                   args.rate, args.paced_duration,
                                                   args.concurrency * 2))
            done = len(tally.latencies)
            print(f"  paced at {args.rate:g}/s: {done:,} inspections in {elapsed:.1f} s; "
                  f"{tally.percentiles()}; failures {tally.failures or 'none'}", flush=True)
            print(cpu_line(pid, served, cpu, done, elapsed), flush=True)
            paced_p99 = tally.p99()
        saturated: tuple[float, float] | None = None
        if args.saturation_workers:
            # Throughput is what the server sustains when kept busy: enough requests in
            # flight that every worker always has a batch to record (issue 18's target).
            print(f"  -- saturated: {args.saturation_workers} worker process(es)", flush=True)
            with server(env, free_port(), args.saturation_workers) as (base, pid):
                # Always the raw client: httpx with 128 connections saturates itself.
                saturated = measure_closed(args, base, pid, travellers,
                                           args.saturation_concurrency, "saturated", "raw")
        return Measured(throughput, p99, paced_p99, saturated)


def rows_for(measured: dict[str, Measured | str], args: argparse.Namespace) -> list[Row]:
    """SQLite's figures beside PostgreSQL's of the same run (or why one was not run)."""
    first, other = "sqlite", "postgresql"
    if first not in measured:
        first, other = other, first
    ours, peer = measured.get(first, "not run"), measured.get(other, "not run (--databases)")
    what = f"API POST /api/v1/arrivals, {args.workers} worker(s), {args.client}"
    if isinstance(ours, str):
        return [(f"{what}, {first}", "not run", ours, "-")]

    def rate(figure: tuple[float, float]) -> str:
        return f"{figure[0]:,.0f} /s (p99 {figure[1]:.1f} ms)"

    def row(label: str, figure: Callable[[Measured], tuple[float, float] | None],
            shown: Callable[[tuple[float, float]], str]) -> Row | None:
        mine = figure(ours)
        if mine is None:
            return None
        theirs = figure(peer) if isinstance(peer, Measured) else None
        if theirs is None:
            return (f"{label}, {first}", shown(mine), f"{other} {peer}"
                    if isinstance(peer, str) else f"{other} not measured", "-")
        return (f"{label}, {first}", shown(mine), f"{other} {shown(theirs)}",
                f"{mine[0] / theirs[0]:.2f}x")

    rows = [
        row(f"{what}, {args.concurrency} in flight", lambda m: (m.throughput, m.p99_ms),
            rate),
        row(f"{what}, paced {args.rate:g}/s, p99", lambda m: (m.paced_p99_ms, 0.0),
            lambda f: f"{f[0]:.1f} ms"),
        row(f"API POST /api/v1/arrivals, saturated: {args.saturation_workers} worker(s), "
            f"{args.saturation_concurrency} in flight, raw",
            lambda m: m.saturated, rate),
    ]
    return [r for r in rows if r is not None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--rate", type=float, default=300)
    parser.add_argument("--paced-duration", type=float, default=20)
    parser.add_argument("--client", choices=("httpx", "raw"), default="httpx",
                        help="httpx's asyncio client, or a minimal HTTP/1.1 client on asyncio "
                             "streams that leaves more of a small machine to the server")
    parser.add_argument("--saturation-workers", type=int, default=2,
                        help="worker processes of the saturated throughput run (0: none)")
    parser.add_argument("--saturation-concurrency", type=int, default=128,
                        help="requests in flight in the saturated throughput run")
    parser.add_argument("--registrants", type=float, default=0.05,
                        help="share of arrivals that are registered with a FIN")
    add_rows_option(parser)
    args = parser.parse_args()
    print(f"nseers API benchmark on {platform.python_implementation()} "
          f"{platform.python_version()}, {os.cpu_count()} CPUs, httpx {httpx.__version__}")
    measured: dict[str, Measured | str] = {}
    for kind in (k.strip() for k in args.databases.split(",")):
        try:
            measured[kind] = run(kind, args)
        except Unreachable as error:
            print(f"  not run: {error}", flush=True)
            measured[kind] = str(error)
    write_rows(args.rows_json, rows_for(measured, args))


if __name__ == "__main__":
    main()
