"""The port workstation's offline journal and its link (issue 17), without a registry.

The journal's chain must show any entry changed, removed or moved; the workstation must
treat a refused connection, a time-out and a 5xx as "offline", and a 4xx as a refusal.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nseers.core.errors import InvalidInputError
from nseers.rules.engine import Engine
from nseers.workstation.journal import Journal, JournalTamperedError
from nseers.workstation.link import CentralLink, CentralRefusedError
from nseers.workstation.settings import WorkstationSettings
from nseers.workstation.station import Workstation, local_case

KEY = b"a workstation key of thirty-two bytes or more!"
AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def arrival(number: int) -> dict[str, Any]:
    return {"port_code": "IAD", "occurred_at": f"2026-11-01T10:{number:02d}:00-04:00",
            "person": {"surname": "DUPONT", "given_names": "Anne", "date_of_birth": "1980-02-02",
                       "sex": "F", "citizenships": ["FRA"]},
            "documents": [{"kind": "passport", "number": f"P{number:07d}", "issuer": "FRA"}],
            "admission_class": "B2", "admit_until": "2027-01-31"}


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    journal = Journal(tmp_path / "journal.db", "IAD-WS-01", KEY)
    for number in range(1, 6):
        journal.append(f"k{number}", "officer", AT, arrival(number))
    return journal


def run(journal: Journal, statement: str, *arguments: object) -> None:
    with sqlite3.connect(journal.path) as db:
        db.execute(statement, arguments)


def test_an_untouched_journal_verifies(journal: Journal) -> None:
    assert journal.verify() == []
    assert [e.sequence for e in journal.pending()] == [1, 2, 3, 4, 5]
    assert journal.pending()[1].previous_mac == journal.pending()[0].mac


def test_a_changed_entry_is_detected(journal: Journal) -> None:
    changed = arrival(3) | {"admission_class": "B1"}
    run(journal, "UPDATE entries SET arrival = ? WHERE sequence = 3", json.dumps(changed))
    assert journal.verify() == ["entry 3 was changed after it was signed"]


def test_a_removed_entry_is_detected(journal: Journal) -> None:
    run(journal, "DELETE FROM entries WHERE sequence = 2")
    problems = journal.verify()
    assert "entry 2 is missing (the next one is 3)" in problems
    assert "entry 3 does not follow the entry before it" in problems


def test_entries_swapped_are_detected(journal: Journal) -> None:
    run(journal, "UPDATE entries SET sequence = -1 WHERE sequence = 2")
    run(journal, "UPDATE entries SET sequence = 2 WHERE sequence = 3")
    run(journal, "UPDATE entries SET sequence = 3 WHERE sequence = -1")
    problems = journal.verify()
    assert "entry 2 was changed after it was signed" in problems
    assert "entry 3 was changed after it was signed" in problems


def test_entries_removed_from_the_end_are_detected(journal: Journal) -> None:
    run(journal, "DELETE FROM entries WHERE sequence >= 4")
    assert journal.verify() == [("the journal ends before its head (entry 5): entries were "
                                 "removed from its end")]


def test_an_entry_signed_with_another_key_is_detected(journal: Journal, tmp_path: Path) -> None:
    other = Journal(tmp_path / "other.db", "IAD-WS-01", b"another key, also thirty-two bytes!")
    forged = other.sign(3, "k3", "officer", AT.isoformat(), arrival(9),
                        journal.pending()[1].mac)
    run(journal, "UPDATE entries SET arrival = ?, mac = ? WHERE sequence = 3",
        json.dumps(arrival(9)), forged)
    problems = journal.verify()
    assert "entry 3 was changed after it was signed" in problems
    assert "entry 4 does not follow the entry before it" in problems


def test_a_journal_belongs_to_one_workstation(journal: Journal) -> None:
    with pytest.raises(ValueError, match="journal of workstation IAD-WS-01"):
        Journal(journal.path, "IAD-WS-02", KEY)


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        WorkstationSettings.from_mapping({"NSEERS_WORKSTATION_ID": "X",
                                          "NSEERS_WORKSTATION_KEY": "short"})


class _Answering(BaseHTTPRequestHandler):
    status = 503
    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.seen.append(self.path)
        body = json.dumps({"title": "Unavailable", "detail": "the database is down",
                           "code": "x"}).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        """Quiet."""


@pytest.fixture
def answering() -> Iterator[tuple[str, type[_Answering]]]:
    handler = type("Handler", (_Answering,), {"seen": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def station(url: str, tmp_path: Path, engine: Engine) -> Workstation:
    settings = WorkstationSettings("IAD-WS-01", KEY, tmp_path / "ws.db", url, 2)
    return Workstation(settings, CentralLink(url, "token", 2), "officer", engine,
                       clock=lambda: AT)


def test_a_5xx_answer_means_offline_and_the_arrival_is_journaled(
        answering: tuple[str, type[_Answering]], tmp_path: Path, engine: Engine) -> None:
    url, handler = answering
    answer = station(url, tmp_path, engine).inspect(arrival(1))
    assert handler.seen == ["/api/v1/arrivals"]
    assert answer["online"] is False
    assert "503" in answer["reason"]
    assert answer["journaled"]["sequence"] == 1
    assert answer["local_evaluation"]["determinations"]["special_registration"][
        "outcome"] == "not_required"


def test_a_refused_connection_means_offline(tmp_path: Path, engine: Engine) -> None:
    answer = station("http://127.0.0.1:9", tmp_path, engine).inspect(arrival(1))
    assert answer["online"] is False
    assert "unreachable" in answer["reason"]


def test_a_4xx_answer_is_a_refusal_and_nothing_is_journaled(
        answering: tuple[str, type[_Answering]], tmp_path: Path, engine: Engine) -> None:
    url, handler = answering
    handler.status = 422
    workstation = station(url, tmp_path, engine)
    with pytest.raises(CentralRefusedError, match="the database is down"):
        workstation.inspect(arrival(1))
    assert workstation.journal.entries() == []


def test_a_case_the_rules_cannot_read_is_refused_before_anything_is_sent(
        answering: tuple[str, type[_Answering]], tmp_path: Path, engine: Engine) -> None:
    url, handler = answering
    workstation = station(url, tmp_path, engine)
    with pytest.raises(InvalidInputError, match="date"):
        workstation.inspect(arrival(1) | {"occurred_at": "yesterday"})
    assert handler.seen == []
    assert workstation.journal.entries() == []


def test_a_tampered_journal_is_not_forwarded(
        answering: tuple[str, type[_Answering]], tmp_path: Path, engine: Engine) -> None:
    url, handler = answering
    workstation = station(url, tmp_path, engine)
    workstation.inspect(arrival(1))
    workstation.inspect(arrival(2))
    run(workstation.journal, "DELETE FROM entries WHERE sequence = 1")
    handler.seen.clear()
    with pytest.raises(JournalTamperedError, match="entry 1 is missing"):
        workstation.forward()
    assert handler.seen == []


def test_the_local_case_is_the_case_the_central_service_builds() -> None:
    case = local_case(arrival(1) | {"mode": "air", "circumstances": ["paroled"]})
    assert case == {
        "event": "arrival", "date": "2026-11-01",
        "port": {"code": "IAD", "mode": "air", "state": None},
        "traveler": {"claimed_status": "nonimmigrant", "citizenships": ["FRA"],
                     "date_of_birth": "1980-02-02", "sex": "F", "residence": None},
        "admission_class": "B2", "documents": [{"kind": "passport", "issuer": "FRA"}],
        "circumstances": {"paroled": True}, "itinerary": {}}


@settings(max_examples=40, deadline=None)
@given(size=st.integers(min_value=1, max_value=6), data=st.data())
def test_any_single_change_removal_or_swap_of_entries_is_detected(
        size: int, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as directory:
        journal = Journal(Path(directory) / "j.db", "IAD-WS-01", KEY)
        for number in range(1, size + 1):
            journal.append(f"k{number}", "officer", AT, arrival(number))
        assert journal.verify() == []
        target = data.draw(st.integers(min_value=1, max_value=size), label="entry")
        tampering = data.draw(st.sampled_from(
            ["change", "remove", "officer", "time"] + (["swap"] if size > 1 else [])),
            label="tampering")
        if tampering == "change":
            run(journal, "UPDATE entries SET arrival = ? WHERE sequence = ?",
                json.dumps(arrival(target) | {"decision": "refuse"}), target)
        elif tampering == "remove":
            run(journal, "DELETE FROM entries WHERE sequence = ?", target)
        elif tampering == "officer":
            run(journal, "UPDATE entries SET officer = 'someone else' WHERE sequence = ?",
                target)
        elif tampering == "time":
            run(journal, "UPDATE entries SET recorded_at = ? WHERE sequence = ?",
                "2026-11-24T11:00:00+00:00", target)
        else:
            other = target % size + 1
            run(journal, "UPDATE entries SET sequence = -1 WHERE sequence = ?", target)
            run(journal, "UPDATE entries SET sequence = ? WHERE sequence = ?", target, other)
            run(journal, "UPDATE entries SET sequence = ? WHERE sequence = -1", other)
        assert journal.verify() != []
