"""Fail fast when the database hangs (issue 16): a TCP proxy between the server and
PostgreSQL stops forwarding (a silent network cut: no refusal, no reset), and the API
answers 503 with Retry-After within a second or two, keeps answering what needs no
database, and recovers without a restart when the network comes back."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from api.bodies import visitor
from api.conftest import Clock, bearer, settings
from nseers.api.app import create_app
from nseers.core.actors import Role
from nseers.db.engine import create_database_engine
from nseers.rules.engine import Engine
from nseers.services.context import Registry


class StallingProxy:
    """Forwards TCP to ``target``; :meth:`stall` stops moving bytes (connections stay
    open, as in a network cut), :meth:`resume` moves them again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.flowing = threading.Event()
        self.flowing.set()
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not self.stopped.is_set():
                data = source.recv(65536)
                if not data:
                    break
                while not self.flowing.wait(0.2):
                    if self.stopped.is_set():
                        return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def stall(self) -> None:
        self.flowing.clear()

    def resume(self) -> None:
        self.flowing.set()

    def close(self) -> None:
        self.stopped.set()
        self.flowing.set()
        self.listener.close()
        for end in self.sockets:
            end.close()


@pytest.fixture
def proxied(postgres_url: str, engine: Engine, clock: Clock) -> Iterator[
        tuple[StallingProxy, Registry]]:
    url = make_url(postgres_url)
    proxy = StallingProxy((url.host or "127.0.0.1", url.port or 5432))
    database = create_database_engine(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
        connect_timeout=1, statement_timeout_ms=2000)
    try:
        yield proxy, Registry(database=database, rules=engine, clock=clock)
    finally:
        proxy.resume()
        database.dispose()
        proxy.close()


def timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def test_a_silent_network_cut_gets_quick_503s_and_recovers_without_a_restart(
        proxied: tuple[StallingProxy, Registry]) -> None:
    proxy, registry = proxied
    headers = bearer(registry, Role.PRIMARY_OFFICER, username="p.officer")
    app = create_app(registry, replace(settings(), request_deadline_s=1.5,
                                       health_timeout_s=0.5))
    with TestClient(app) as client:
        assert client.get("/api/health").status_code == 200
        assert client.post("/api/v1/arrivals", json=passenger("P0000001"), headers=headers
                           ).status_code == 201
        assert client.get("/api/openapi.json").status_code == 200  # built once, cached
        proxy.stall()
        try:
            cut(client, headers)
        finally:
            # Before the client shuts down: its threads wait on the stalled connections.
            proxy.resume()
        deadline = time.monotonic() + 10
        while client.get("/api/health").status_code != 200:
            assert time.monotonic() < deadline, "no recovery within 10 s"
            time.sleep(0.2)
        again = client.post("/api/v1/arrivals", json=passenger("P0000003"), headers=headers)
        assert again.status_code == 201, again.text


def cut(client: TestClient, headers: dict[str, str]) -> None:
    """What the API answers while the database does not."""
    health, took = timed(lambda: client.get("/api/health"))
    assert health.status_code == 503
    assert health.headers["retry-after"] == "1"
    assert took < 2.0
    arrival, took = timed(lambda: client.post(
        "/api/v1/arrivals", json=passenger("P0000002"),
        headers=headers | {"Idempotency-Key": "cut-1"}))
    assert arrival.status_code == 503, arrival.text
    assert arrival.headers["retry-after"] == "1"
    assert arrival.headers["content-type"] == "application/problem+json"
    assert took < 2.5
    law, took = timed(lambda: client.get("/api/openapi.json"))
    assert law.status_code == 200
    assert took < 1.0


def passenger(number: str) -> dict[str, Any]:
    return visitor(documents=[{"kind": "passport", "number": number, "issuer": "FRA"}])
