"""Identity merge and split through the HTTP API (issue 13): a second analyst approves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from api.conftest import bearer, settings
from nseers.api.app import create_app
from nseers.core.actors import Actor, Role
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts, PersonFacts
from nseers.services.movements import ArrivalInspection, inspect_arrival


def _visitor(registry: Registry, surname: str, number: str, day: int) -> int:
    arrival = inspect_arrival(registry, Actor("s", Role.SECONDARY_OFFICER), ArrivalInspection(
        port_code="IAD", occurred_at=datetime(2012, 3, day, 15, tzinfo=UTC),
        person=PersonFacts(surname=surname, given_names="Ola", date_of_birth=date(1970, 1, 1),
                           sex="F", citizenships=("NOR",)),
        documents=(DocumentFacts("passport", number, "NOR"),), admission_class="WT",
        admit_until=date(2012, 5, 30)))
    return int(arrival["person_id"])


@pytest.fixture
def client(sqlite_registry: Registry) -> Iterator[TestClient]:
    with TestClient(create_app(sqlite_registry, settings())) as test_client:
        yield test_client


def test_a_merge_asked_by_one_analyst_is_approved_only_by_another_and_can_be_split(
        client: TestClient, sqlite_registry: Registry) -> None:
    survivor = _visitor(sqlite_registry, "NORDMANN", "N0000001", 1)
    absorbed = _visitor(sqlite_registry, "NORDMAN", "N0000002", 20)
    first = bearer(sqlite_registry, Role.ANALYST, username="a.first")
    second = bearer(sqlite_registry, Role.ANALYST, username="a.second")

    asked = client.post("/api/v1/identities/merges", headers=first, json={
        "survivor_id": survivor, "absorbed_id": absorbed,
        "evidence": "face distance 0.28 at enrolment", "reason": "one woman, two spellings"})
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    listed = client.get("/api/v1/identities/merges", headers=second).json()
    assert [(m["survivor"]["surname"], m["absorbed"]["surname"]) for m in listed] == [
        ("NORDMANN", "NORDMAN")]
    assert listed[0]["absorbed"]["documents"][0]["number"] == "N0000002"

    own = client.post(f"/api/v1/identities/merges/{request_id}/approval", headers=first,
                      json={})
    assert own.status_code == 403
    assert "a second user must review it" in own.json()["detail"]

    approved = client.post(f"/api/v1/identities/merges/{request_id}/approval",
                           headers=second, json={"reason": "same face, same birth date"})
    assert approved.status_code == 200, approved.text
    moved = approved.json()["moved"]["rows"]
    assert len(moved["encounters"]) == 1
    again = client.post(f"/api/v1/identities/merges/{request_id}/rejection", headers=second,
                        json={"reason": "too late"})
    assert (again.status_code, again.json()["code"]) == (409, "already_decided")

    split = client.post(f"/api/v1/identities/{survivor}/split", headers=second, json={
        "person": {"surname": "NORDMAN", "given_names": "Ola"}, "reason": "twins",
        "encounter_ids": moved["encounters"]})
    assert split.status_code == 201, split.text
    assert split.json()["moved"]["encounters"] == moved["encounters"]
    assert split.json()["moved"]["travel_documents"] == moved["travel_documents"]
