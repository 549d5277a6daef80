"""Concurrent session checks of one account share a read, and never one that began before
the request arrived (issue 18: fewer round trips per request, sessions still end at once)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from nseers.api import session_checks
from nseers.api.session_checks import SessionChecks
from nseers.services.sessions import SessionState


class Account:
    """An account whose state reads can be held at a gate, counted per read."""

    def __init__(self) -> None:
        self.version = 0
        self.reads = 0
        self.gate = threading.Event()
        self.gate.set()
        self.reading = threading.Event()

    def read(self, _registry: Any, _username: str) -> SessionState:
        self.reads += 1
        version = self.version
        self.reading.set()
        self.gate.wait(5)
        return SessionState(active=True, role="secondary_officer", version=version)


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch) -> Account:
    account = Account()
    monkeypatch.setattr(session_checks, "session_state", account.read)
    return account


def test_requests_waiting_for_a_read_share_the_next_one(account: Account) -> None:
    async def scenario() -> list[SessionState | None]:
        checks = SessionChecks(registry=None)  # type: ignore[arg-type]
        account.gate.clear()
        first = asyncio.create_task(checks.state("officer"))
        await asyncio.to_thread(account.reading.wait, 5)
        waiting = [asyncio.create_task(checks.state("officer")) for _ in range(20)]
        await asyncio.sleep(0.01)
        account.gate.set()
        return await asyncio.gather(first, *waiting)

    states = asyncio.run(scenario())

    assert len(states) == 21
    assert account.reads == 2  # the one running when they came, and one for all 20


def test_a_request_after_the_session_ended_is_not_answered_by_an_earlier_read(
        account: Account) -> None:
    async def scenario() -> tuple[SessionState | None, SessionState | None]:
        checks = SessionChecks(registry=None)  # type: ignore[arg-type]
        account.gate.clear()
        before = asyncio.create_task(checks.state("officer"))
        await asyncio.to_thread(account.reading.wait, 5)
        account.version = 1  # signed out while the first read runs
        after = asyncio.create_task(checks.state("officer"))
        await asyncio.sleep(0.01)
        account.gate.set()
        return await before, await after

    before, after = asyncio.run(scenario())

    assert before is not None
    assert before.version == 0
    assert after is not None
    assert after.version == 1


def test_a_failed_read_fails_its_waiters_and_the_next_request_reads_again(
        account: Account, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_registry: Any, _username: str) -> SessionState:
        raise ConnectionError("database unreachable")

    async def scenario() -> SessionState | None:
        checks = SessionChecks(registry=None)  # type: ignore[arg-type]
        monkeypatch.setattr(session_checks, "session_state", broken)
        with pytest.raises(ConnectionError):
            await checks.state("officer")
        monkeypatch.setattr(session_checks, "session_state", account.read)
        return await checks.state("officer")

    assert asyncio.run(scenario()) is not None
    assert account.reads == 1
