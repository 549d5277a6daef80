"""The retention dry run and legal holds through the HTTP API (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.conftest import add_user, bearer, settings
from nseers.api.app import create_app
from nseers.core.actors import Actor, Role
from nseers.registry.people import Person
from nseers.registry.retention import LegalHold
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import (
    ArrivalInspection,
    DepartureRecord,
    inspect_arrival,
    record_departure,
)


def _traveller(registry: Registry) -> int:
    officer = Actor("s", Role.SECONDARY_OFFICER)
    arrival = inspect_arrival(registry, officer, ArrivalInspection(
        port_code="IAD", occurred_at=datetime(2012, 3, 1, 15, tzinfo=UTC),
        person=PersonFacts(surname="OLDTRIP", given_names="Ola", date_of_birth=date(1970, 1, 1),
                           sex="F", citizenships=("NOR",)),
        documents=(DocumentFacts("passport", "N0000001", "NOR"),), admission_class="WT",
        admit_until=date(2012, 5, 30)))
    record_departure(registry, Actor("d", Role.DEPARTURE_OFFICER), DepartureRecord(
        port_code="IAD", occurred_at=datetime(2012, 4, 1, 20, tzinfo=UTC),
        person_id=arrival["person_id"]))
    return int(arrival["person_id"])


@pytest.fixture
def client(sqlite_registry: Registry) -> Iterator[TestClient]:
    for role in (Role.ADMINISTRATOR, Role.DISTRICT_DIRECTOR, Role.ANALYST):
        add_user(sqlite_registry, role.value, role)
    with TestClient(create_app(sqlite_registry, settings())) as test_client:
        yield test_client


def test_the_dry_run_lists_a_due_file_with_its_rule_and_erases_nothing(
        client: TestClient, sqlite_registry: Registry) -> None:
    person = _traveller(sqlite_registry)
    answer = client.get("/api/v1/retention/plan", params={"as_of": "2026-01-15"},
                        headers=bearer(sqlite_registry, Role.ADMINISTRATOR))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    (group,) = body["rules"]
    assert group["rule"] == "retention.ees_entry_exit"
    (entry,) = group["entries"]
    assert (entry["person_id"], entry["status"], entry["due_on"]) == (person, "due",
                                                                     "2015-04-02")
    assert "OLDTRIP" not in answer.text
    with sqlite_registry.sessions() as session:
        assert session.get(Person, person) is not None
    bad = client.get("/api/v1/retention/plan", params={"as_of": "2026-02-30"},
                     headers=bearer(sqlite_registry, Role.ADMINISTRATOR))
    assert bad.status_code == 422
    assert "as_of" in bad.text


def test_a_director_places_a_hold_once_per_key_and_the_dry_run_shows_it_held(
        client: TestClient, sqlite_registry: Registry) -> None:
    person = _traveller(sqlite_registry)
    headers = bearer(sqlite_registry, Role.DISTRICT_DIRECTOR) | {"Idempotency-Key": "h-1"}
    body = {"person_id": person, "reason": "FOIA litigation", "reference": "DDC 26-1"}
    first = client.post("/api/v1/legal-holds", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post("/api/v1/legal-holds", json=body, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    with sqlite_registry.sessions() as session:
        assert session.execute(select(func.count()).select_from(LegalHold)).scalar_one() == 1
    plan = client.get("/api/v1/retention/plan", params={"as_of": "2026-01-15"},
                      headers=bearer(sqlite_registry, Role.ADMINISTRATOR)).json()
    assert plan["rules"][0]["entries"][0]["status"] == "held"
    listed = client.get("/api/v1/legal-holds",
                        headers=bearer(sqlite_registry, Role.DISTRICT_DIRECTOR)).json()
    assert [(h["surname"], h["reference"]) for h in listed] == [("OLDTRIP", "DDC 26-1")]
    hold_id = first.json()["hold_id"]
    director = bearer(sqlite_registry, Role.DISTRICT_DIRECTOR)
    released = client.post(f"/api/v1/legal-holds/{hold_id}/release",
                           json={"reason": "settled"}, headers=director)
    assert released.status_code == 200, released.text
    twice = client.post(f"/api/v1/legal-holds/{hold_id}/release",
                        json={"reason": "settled"}, headers=director)
    assert twice.status_code == 409


def test_a_hold_without_a_reason_is_refused_naming_the_field(
        client: TestClient, sqlite_registry: Registry) -> None:
    person = _traveller(sqlite_registry)
    answer = client.post("/api/v1/legal-holds",
                         json={"person_id": person, "reason": "", "reference": "R"},
                         headers=bearer(sqlite_registry, Role.DISTRICT_DIRECTOR))
    assert answer.status_code == 422
    assert "reason" in answer.text
    with sqlite_registry.sessions() as session:
        assert session.execute(select(func.count()).select_from(LegalHold)).scalar_one() == 0
