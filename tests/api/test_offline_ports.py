"""Ports that keep working offline (issue 17), end to end against a real server.

The central API runs in uvicorn on a local port (SQLite and PostgreSQL); a port workstation
talks to it over HTTP with an officer's token. The link is cut by stopping the server in
the middle of a stream of arrivals, and restored by starting it again on the same port.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.bodies import visitor
from api.conftest import NOW, PASSWORD, Clock, add_user, bearer, settings, token
from nseers.api.app import create_app
from nseers.cli.main import app
from nseers.core.actors import Role
from nseers.db.audit import AuditEntry
from nseers.registry.encounters import Encounter
from nseers.registry.offline import OfflineConflict, OfflineForward
from nseers.registry.people import TravelDocument
from nseers.rules.engine import Engine
from nseers.services.context import Registry
from nseers.workstation.journal import Journal
from nseers.workstation.link import CentralLink, SignIn
from nseers.workstation.settings import WorkstationSettings
from nseers.workstation.station import CANNOT_CHECK, Workstation

KEY = b"a workstation key of thirty-two bytes or more!"


class Central:
    """The central API on one local port, which a test stops and starts again."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.url = f"http://127.0.0.1:{self.port}"
        self._running: tuple[uvicorn.Server, threading.Thread, socket.socket] | None = None

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        server = uvicorn.Server(uvicorn.Config(
            create_app(self.registry, settings()), host="127.0.0.1", port=self.port,
            log_level="warning", lifespan="on", ws="none", access_log=False))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "the central API did not start"
            time.sleep(0.01)
        self._running = (server, thread, sock)

    def stop(self) -> None:
        assert self._running is not None
        server, thread, sock = self._running
        server.should_exit = True
        thread.join(20)
        sock.close()
        self._running = None


@pytest.fixture
def central(registry: Registry) -> Iterator[Central]:
    server = Central(registry)
    server.start()
    try:
        yield server
    finally:
        if server._running is not None:
            server.stop()


def workstation(central: Central, registry: Registry, engine: Engine, tmp_path: Path,
                name: str, role: Role = Role.PRIMARY_OFFICER) -> Workstation:
    officer = f"{name.lower()}-officer"
    config = WorkstationSettings(workstation_id=name, key=KEY,
                                 journal=tmp_path / f"{name}.db", central_url=central.url,
                                 timeout_s=3)
    link = CentralLink(central.url, token(registry, officer, role), config.timeout_s)
    return Workstation(config, link, officer, engine, clock=lambda: NOW)


def traveller(number: int, *, at_minutes: int = 0, port: str = "IAD") -> dict[str, Any]:
    occurred = (NOW - timedelta(days=20) + timedelta(minutes=at_minutes)).isoformat()
    return visitor(port_code=port, occurred_at=occurred,
                   person={"surname": f"TRAVELLER{number:03d}", "given_names": "Anne",
                           "date_of_birth": "1980-02-02", "sex": "F",
                           "citizenships": ["FRA"]},
                   documents=[{"kind": "passport", "number": f"P{number:07d}",
                               "issuer": "FRA"}])


def arrivals_in_registry(registry: Registry) -> list[tuple[str, str]]:
    """(passport number, time) of every arrival, in the order the registry recorded them."""
    with registry.sessions() as session:
        rows = session.execute(
            select(TravelDocument.number, Encounter.occurred_at)
            .join(TravelDocument, TravelDocument.id == Encounter.document_id)
            .where(Encounter.kind == "arrival").order_by(Encounter.id)).all()
    return [(number, at.isoformat()) for number, at in rows]


def test_a_stream_cut_in_the_middle_is_recorded_once_each_and_in_order(
        central: Central, registry: Registry, engine: Engine, tmp_path: Path) -> None:
    station = workstation(central, registry, engine, tmp_path, "IAD-WS-01")
    sent = [traveller(n, at_minutes=n) for n in range(30)]
    answers = []
    for index, arrival in enumerate(sent):
        if index == 10:
            central.stop()  # the link goes down
        if index == 20:
            central.start()  # and comes back; the next inspection forwards the backlog first
        answers.append(station.inspect(arrival))

    assert [a["online"] for a in answers] == [True] * 10 + [False] * 10 + [True] * 10
    offline = answers[10]
    assert offline["notice"].startswith("OFFLINE")
    assert [c["check"] for c in offline["cannot_check"]] == [c["check"] for c in CANNOT_CHECK]
    assert {"registry_history", "prior_refusals", "watchlist_screening",
            "biometric_identification", "fin_lookup"} <= {c["check"]
                                                          for c in offline["cannot_check"]}
    assert offline["local_evaluation"]["determinations"]["i94"]["outcome"] == "required"
    assert [a["journaled"]["sequence"] for a in answers[10:20]] == list(range(1, 11))
    assert answers[20]["backlog"]["remaining"] == 0
    assert [f["sequence"] for f in answers[20]["backlog"]["forwarded"]] == list(range(1, 11))

    expected = [(a["documents"][0]["number"],
                 (NOW - timedelta(days=20) + timedelta(minutes=n)).isoformat())
                for n, a in enumerate(sent)]
    assert arrivals_in_registry(registry) == expected  # none lost, none twice, in order
    assert station.status() | {"journal": ""} == {
        "workstation_id": "IAD-WS-01", "journal": "", "pending": 0, "forwarded": 10,
        "problems": []}
    with registry.sessions() as session:
        forwards = session.execute(select(OfflineForward).order_by(OfflineForward.sequence)
                                   ).scalars().all()
        audit = session.execute(select(AuditEntry).where(
            AuditEntry.action == "offline.forward").order_by(AuditEntry.seq)).scalars().all()
    assert [f.status for f in forwards] == ["recorded"] * 10
    assert [e.detail["sequence"] for e in audit] == list(range(1, 11))
    assert {e.detail["workstation"] for e in audit} == {"IAD-WS-01"}
    assert audit[0].detail["recorded_at"] == NOW.isoformat()
    assert audit[0].detail["inspected_by"] == "iad-ws-01-officer"

    # The law applied offline is the law the registry applied when the entry arrived.
    forwarded = station.journal.entries("forwarded")
    for answer, entry in zip(answers[10:20], forwarded, strict=True):
        assert answer["local_evaluation"]["determinations"] == \
            entry.answer["arrival"]["determinations"]  # type: ignore[index]

    # The answers to the forwards were lost: every entry is sent again. Nothing is added.
    with sqlite3.connect(tmp_path / "IAD-WS-01.db") as db:
        db.execute("UPDATE entries SET status = 'pending'")
    again = station.forward()
    assert again["remaining"] == 0
    assert [f["replayed"] for f in again["forwarded"]] == [True] * 10
    assert arrivals_in_registry(registry) == expected


def test_an_arrival_that_got_through_as_the_link_failed_is_not_recorded_twice(
        central: Central, registry: Registry, engine: Engine, tmp_path: Path) -> None:
    station = workstation(central, registry, engine, tmp_path, "IAD-WS-02")
    arrival = traveller(1)
    # The request reached the server, but the workstation saw a time-out and journaled it
    # under the same idempotency key.
    station.link.post("/api/v1/arrivals", arrival, idempotency_key="IAD-WS-02-k1")
    station.journal.append("IAD-WS-02-k1", station.officer, NOW, arrival)
    report = station.forward()
    assert report["remaining"] == 0
    assert report["forwarded"][0]["status"] == "already_recorded"
    assert len(arrivals_in_registry(registry)) == 1


def test_two_ports_offline_with_the_same_person_are_surfaced_for_review(
        central: Central, registry: Registry, engine: Engine, tmp_path: Path) -> None:
    central.stop()  # both ports lose the link
    east = workstation(central, registry, engine, tmp_path, "IAD-WS-03")
    west = workstation(central, registry, engine, tmp_path, "SFO-WS-01")
    # One traveller at both ports, later at the west (two arrivals, no departure between);
    # another at both, earlier at the west (an arrival older than one already recorded).
    assert not east.inspect(traveller(7, at_minutes=60))["online"]
    assert not east.inspect(traveller(8, at_minutes=180))["online"]
    assert not west.inspect(traveller(7, at_minutes=120, port="SFO"))["online"]
    assert not west.inspect(traveller(8, at_minutes=30, port="SFO"))["online"]
    central.start()
    assert east.forward()["remaining"] == 0
    report = west.forward()
    assert report["remaining"] == 0
    assert [f["status"] for f in report["forwarded"]] == ["recorded", "held"]

    # Person 7 has both arrivals recorded and flagged; person 8's older one is held.
    assert [n for n, _ in arrivals_in_registry(registry)] == ["P0000007", "P0000008",
                                                             "P0000007"]
    with registry.sessions() as session:
        conflicts = session.execute(select(OfflineConflict).order_by(OfflineConflict.id)
                                    ).scalars().all()
        held = session.execute(select(func.count()).select_from(OfflineForward).where(
            OfflineForward.status == "held")).scalar_one()
    assert [(c.kind, c.workstation_id, c.other_workstation_id, c.other_port_code)
            for c in conflicts] == [
        ("arrival_without_departure", "SFO-WS-01", "IAD-WS-03", "IAD"),
        ("out_of_order", "SFO-WS-01", "IAD-WS-03", "IAD")]
    assert conflicts[1].held_arrival is not None
    assert conflicts[1].held_arrival["documents"][0]["number"] == "P0000008"
    assert held == 1

    # The secondary officer's review list; a primary officer may not see it.
    with httpx.Client(base_url=central.url) as client:
        primary = client.get("/api/v1/offline/conflicts",
                             headers=bearer(registry, Role.PRIMARY_OFFICER))
        assert primary.status_code == 403
        secondary = bearer(registry, Role.SECONDARY_OFFICER)
        listed = client.get("/api/v1/offline/conflicts", headers=secondary).json()
        assert [c["kind"] for c in listed] == ["arrival_without_departure", "out_of_order"]
        assert listed[1]["held"] is True
        done = client.post(f"/api/v1/offline/conflicts/{listed[0]['id']}/resolution",
                           json={"resolution": "Same traveller; the IAD entry was a "
                                               "data-entry error, referred for correction."},
                           headers=secondary)
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "resolved"
        twice = client.post(f"/api/v1/offline/conflicts/{listed[0]['id']}/resolution",
                            json={"resolution": "again"}, headers=secondary)
        assert twice.status_code == 409
        still_open = client.get("/api/v1/offline/conflicts", headers=secondary).json()
        assert [c["kind"] for c in still_open] == ["out_of_order"]
    with registry.sessions() as session:
        reads = session.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "offline.conflict_read")).scalar_one()
    assert reads == 3  # two listed, then one


def entry_body(journal: Journal, sequence: int, previous: str, arrival: dict[str, Any],
               key: str) -> dict[str, Any]:
    recorded = NOW.isoformat()
    mac = journal.sign(sequence, key, "officer", recorded, arrival, previous)
    return {"workstation_id": journal.workstation_id, "sequence": sequence,
            "previous_mac": previous, "mac": mac, "recorded_at": recorded,
            "idempotency_key": key, "inspected_by": "officer", "arrival": arrival}


def test_the_central_side_refuses_an_entry_out_of_its_chain_and_records_nothing(
        client: TestClient, registry: Registry, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.db", "JFK-WS-09", KEY)
    headers = bearer(registry, Role.PRIMARY_OFFICER)
    first = entry_body(journal, 1, "0" * 64, traveller(1), "k1")
    second = entry_body(journal, 2, first["mac"], traveller(2, at_minutes=5), "k2")

    skipped = client.post("/api/v1/offline/arrivals", json=second, headers=headers)
    assert skipped.status_code == 409
    assert skipped.json()["code"] == "out_of_sequence"
    assert client.post("/api/v1/offline/arrivals", json=first, headers=headers
                       ).status_code == 200
    broken = second | {"previous_mac": "f" * 64}
    refused = client.post("/api/v1/offline/arrivals", json=broken, headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "broken_chain"
    changed = first | {"mac": "e" * 64}
    mismatch = client.post("/api/v1/offline/arrivals", json=changed, headers=headers)
    assert mismatch.status_code == 409
    assert mismatch.json()["code"] == "journal_mismatch"
    no_mac = client.post("/api/v1/offline/arrivals", json=second | {"mac": "xyz"},
                         headers=headers)
    assert no_mac.status_code == 422
    assert "mac" in json.dumps(no_mac.json()["errors"])
    departure_officer = client.post("/api/v1/offline/arrivals", json=second,
                                    headers=bearer(registry, Role.DEPARTURE_OFFICER))
    assert departure_officer.status_code == 403
    assert len(arrivals_in_registry(registry)) == 1


def test_the_port_command_inspects_offline_and_forwards_when_the_link_returns(
        central: Central, registry: Registry, tmp_path: Path) -> None:
    add_user(registry, "p.port", Role.PRIMARY_OFFICER)
    env = {"NSEERS_WORKSTATION_ID": "IAD-WS-CLI",
           "NSEERS_WORKSTATION_KEY": KEY.decode(), "NSEERS_CENTRAL_URL": central.url,
           "NSEERS_JOURNAL": str(tmp_path / "cli.db"), "NSEERS_CENTRAL_TIMEOUT": "3",
           "NSEERS_PORT_USERNAME": "p.port"}
    arrivals = tmp_path / "arrivals.jsonl"
    arrivals.write_text("\n".join(json.dumps(traveller(n, at_minutes=n)) for n in (1, 2)),
                        encoding="utf-8")
    runner = CliRunner()
    central.stop()
    done = runner.invoke(app, ["port", "inspect", str(arrivals), "--password-stdin"],
                         input=PASSWORD + "\n", env=env)
    assert done.exit_code == 0, done.output
    assert done.stderr.count("OFFLINE") == 2
    status = runner.invoke(app, ["port", "status"], env=env)
    assert json.loads(status.stdout) | {"journal": ""} == {
        "workstation_id": "IAD-WS-CLI", "journal": "", "pending": 2, "forwarded": 0,
        "problems": []}
    still_down = runner.invoke(app, ["port", "forward", "--password-stdin"],
                               input=PASSWORD + "\n", env=env)
    assert still_down.exit_code == 1
    assert json.loads(still_down.stdout)["remaining"] == 2
    central.start()
    forwarded = runner.invoke(app, ["port", "forward", "--password-stdin"],
                              input=PASSWORD + "\n", env=env)
    assert forwarded.exit_code == 0, forwarded.output
    assert [f["sequence"] for f in json.loads(forwarded.stdout)["forwarded"]] == [1, 2]
    assert [n for n, _ in arrivals_in_registry(registry)] == ["P0000001", "P0000002"]


def test_an_arrival_the_registry_refuses_is_held_and_the_journal_goes_on(
        central: Central, registry: Registry, engine: Engine, tmp_path: Path) -> None:
    station = workstation(central, registry, engine, tmp_path, "IAD-WS-04")
    # Journaled offline with a class of admission the law in force does not have (the
    # workstation reads the case, not every registry check).
    station.journal.append("k-bad", station.officer, NOW, traveller(1) | {
        "admission_class": "ZZ9"})
    station.journal.append("k-good", station.officer, NOW, traveller(2, at_minutes=5))
    report = station.forward()
    assert report["remaining"] == 0
    assert [f["status"] for f in report["forwarded"]] == ["held", "recorded"]
    assert [n for n, _ in arrivals_in_registry(registry)] == ["P0000002"]
    with registry.sessions() as session:
        conflict = session.execute(select(OfflineConflict)).scalar_one()
    assert conflict.kind == "not_recordable"
    assert "admission_class" in conflict.explanation
    assert conflict.held_arrival is not None
    assert conflict.held_arrival["admission_class"] == "ZZ9"


def test_a_workstation_signs_in_again_when_its_token_expired_during_the_outage(
        central: Central, registry: Registry, engine: Engine, clock: Clock,
        tmp_path: Path) -> None:
    add_user(registry, "p.long", Role.PRIMARY_OFFICER)
    config = WorkstationSettings("IAD-WS-05", KEY, tmp_path / "long.db", central.url, 3)
    sign_in = SignIn(central.url, "p.long", PASSWORD, 3)
    station = Workstation(config, CentralLink(central.url, sign_in, 3), "p.long", engine,
                          clock=lambda: NOW)
    assert station.inspect(traveller(1))["online"]
    central.stop()
    assert not station.inspect(traveller(2, at_minutes=5))["online"]
    clock.advance(hours=2)  # the outage outlives the 15-minute token
    central.start()
    report = station.forward()
    assert report["remaining"] == 0, report
    assert [n for n, _ in arrivals_in_registry(registry)] == ["P0000001", "P0000002"]
