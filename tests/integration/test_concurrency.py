"""Two officers writing the same registration at the same moment, on PostgreSQL.

A barrier holds both transactions after they have read the record and before either
writes, so the race is real, not a matter of timing luck: one commits, the other gets a
clear conflict error and writes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine as DatabaseEngine

from integration.conftest import empty_postgres, fixed_clock
from integration.helpers import COMPLIANCE, DIRECTOR, SECONDARY, count, iranian
from nseers.core.actors import Actor, Role
from nseers.core.errors import ConflictError
from nseers.db.engine import create_database_engine
from nseers.registry.registrations import CallInNotice, SpecialRegistration
from nseers.rules.engine import Engine
from nseers.services.context import Registry
from nseers.services.facts import PersonFacts
from nseers.services.movements import SwornAnswers, inspect_arrival
from nseers.services.registrants import (
    CallInNoticeCommand,
    CallInRegistrationCommand,
    WaiverDecisionCommand,
    WaiverRequestCommand,
    decide_waiver,
    issue_call_in_notice,
    register_call_in,
    request_waiver,
)


@pytest.fixture
def postgres_registry(postgres_url: str, engine: Engine) -> Iterator[Registry]:
    database: DatabaseEngine = create_database_engine(postgres_url)
    empty_postgres(database)
    try:
        yield Registry(database=database, rules=engine, clock=fixed_clock)
    finally:
        database.dispose()


def _race(registry: Registry, first: Callable[[], Any], second: Callable[[], Any]
          ) -> list[Any]:
    """Run both at once, each pausing at its first flush until the other gets there."""
    barrier = threading.Barrier(2, timeout=10)
    waited: set[int] = set()

    def hold(_session: Any, _context: Any, _instances: Any) -> None:
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()

    event.listen(registry.sessions, "before_flush", hold)
    outcomes: list[Any] = [None, None]

    def run(index: int, work: Callable[[], Any]) -> None:
        try:
            outcomes[index] = work()
        except ConflictError as error:
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    event.remove(registry.sessions, "before_flush", hold)
    return outcomes


def test_two_directors_deciding_one_waiver_at_once_one_wins_one_gets_a_conflict(
        postgres_registry: Registry) -> None:
    registry = postgres_registry
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    waiver = request_waiver(registry, COMPLIANCE, WaiverRequestCommand(
        arrival["fin"], "thirty_day_report", "hospitalised", date(2003, 7, 10)))
    other = Actor("director2", Role.DISTRICT_DIRECTOR)
    outcomes = _race(
        registry,
        lambda: decide_waiver(registry, DIRECTOR, WaiverDecisionCommand(
            waiver["waiver_id"], True, "certificate", date(2003, 7, 12))),
        lambda: decide_waiver(registry, other, WaiverDecisionCommand(
            waiver["waiver_id"], False, "no evidence", date(2003, 7, 12))))
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    winners = [o for o in outcomes if isinstance(o, dict)]
    assert len(conflicts) == 1
    assert len(winners) == 1
    assert conflicts[0].code == "concurrent_update"


def test_two_registrations_of_one_call_in_event_at_once_give_one_fin(
        postgres_registry: Registry) -> None:
    registry = postgres_registry

    def command(key: str) -> CallInRegistrationCommand:
        return CallInRegistrationCommand(
            person=PersonFacts(person_id=person_id), registered_on=date(2003, 2, 10),
            place="New York", answers=SwornAnswers("5 Elm St", "study"),
            admission_class="F1", last_admitted_on=date(2002, 8, 20),
            photograph_ref="biometrics:test:photograph", fingerprints_ref="biometrics:test:prints",
            idempotency_key=key)

    first = register_call_in(registry, SECONDARY, CallInRegistrationCommand(
        person=PersonFacts(surname="KHAN", given_names="ALI", date_of_birth=date(1975, 3, 3),
                           sex="M", citizenships=("SAU",)),
        registered_on=date(2003, 1, 20), place="Chicago",
        answers=SwornAnswers("1 Lake St", "work"), admission_class="H1B",
        last_admitted_on=date(2002, 6, 1), photograph_ref="biometrics:test:photograph",
        fingerprints_ref="biometrics:test:prints"))
    person_id = first["person_id"]
    with registry.database.begin() as connection:  # make room for a racing second Group 3 FIN
        connection.exec_driver_sql("DELETE FROM obligations")
        connection.exec_driver_sql("DELETE FROM special_registrations")
    outcomes = _race(registry,
                     lambda: register_call_in(registry, SECONDARY, command("a")),
                     lambda: register_call_in(registry, Actor("s2", Role.SECONDARY_OFFICER),
                                              command("b")))
    assert sum(isinstance(o, ConflictError) for o in outcomes) == 1
    assert count(registry, SpecialRegistration) == 1


def test_twin_submissions_with_one_key_at_once_both_get_the_first_answer(
        postgres_registry: Registry) -> None:
    """A form submitted twice (a double click) or an API write retried while the first is
    still running: the services settle the race themselves (issue 15: the pages had their
    own retry), so both callers get one answer and one notice is recorded."""
    registry = postgres_registry
    arrival = inspect_arrival(registry, SECONDARY, iranian())
    command = CallInNoticeCommand(arrival["fin"], "mail", date(2004, 8, 1), "Newark",
                                  idempotency_key="form-rendering-1")
    outcomes = _race(registry,
                     lambda: issue_call_in_notice(registry, COMPLIANCE, command),
                     lambda: issue_call_in_notice(registry, COMPLIANCE, command))
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert sorted(bool(o.get("replayed")) for o in outcomes) == [False, True]
    first, second = outcomes
    assert first["notice_id"] == second["notice_id"]
    assert count(registry, CallInNotice) == 1
