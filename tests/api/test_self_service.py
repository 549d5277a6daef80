"""Traveller self-service, as on the CBP I-94 website: name, date of birth and document
number in, the most recent I-94, the travel history and the days left out; the same 404
for anything that does not match exactly one record; limited per address; audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.bodies import visitor
from api.conftest import Clock, bearer, settings
from nseers.api.app import create_app
from nseers.core.actors import Role
from nseers.db.audit import AuditEntry
from nseers.services.context import Registry

LOOKUP = {"surname": "Muller", "given_names": "ANNE", "date_of_birth": "1980-02-02",
          "document_number": "p7654321"}


def admit_visitor(client: TestClient, registry: Registry) -> dict[str, Any]:
    response = client.post("/api/v1/arrivals", json=visitor(),
                           headers=bearer(registry, Role.PRIMARY_OFFICER))
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_traveller_sees_their_i94_history_and_days_remaining(
        client: TestClient, registry: Registry) -> None:
    arrival = admit_visitor(client, registry)
    response = client.post("/api/v1/self-service/i94", json=LOOKUP)
    assert response.status_code == 200
    answer = response.json()
    # Admitted until 2027-01-31; today is 2026-11-24.
    assert (answer["status"], answer["days_remaining"], answer["days_overstayed"]) == (
        "admitted", 68, None)
    assert answer["i94"]["number"] == arrival["i94_number"]
    assert answer["travel_history"] == [{"kind": "arrival", "date": "2026-11-01",
                                         "port": "IAD"}]


def test_days_overstayed_count_from_the_day_after_admit_until(
        client: TestClient, registry: Registry, clock: Clock) -> None:
    admit_visitor(client, registry)
    clock.advance(days=68)
    assert client.post("/api/v1/self-service/i94", json=LOOKUP).json()["days_remaining"] == 0
    clock.advance(days=3)
    answer = client.post("/api/v1/self-service/i94", json=LOOKUP).json()
    assert (answer["status"], answer["days_overstayed"]) == ("overstayed", 3)


def test_any_detail_that_does_not_match_gets_the_same_not_found(
        client: TestClient, registry: Registry) -> None:
    admit_visitor(client, registry)
    answers = [client.post("/api/v1/self-service/i94", json=LOOKUP | wrong)
               for wrong in ({"surname": "Mueller"}, {"given_names": "Ann"},
                             {"date_of_birth": "1980-02-03"},
                             {"document_number": "P7654322"})]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1


def test_every_lookup_is_audited_found_or_not(client: TestClient, registry: Registry) -> None:
    arrival = admit_visitor(client, registry)
    client.post("/api/v1/self-service/i94", json=LOOKUP)
    client.post("/api/v1/self-service/i94", json=LOOKUP | {"surname": "Nobody"})
    with registry.sessions() as session:
        entries = session.execute(select(AuditEntry).where(
            AuditEntry.action == "self_service.i94_lookup").order_by(AuditEntry.seq)
        ).scalars().all()
        seen = [(e.actor, e.role, e.person_id, e.detail["outcome"]) for e in entries]
    assert seen == [("anonymous", "traveller", arrival["person_id"], "found"),
                    ("anonymous", "traveller", None, "no_match")]


def test_lookups_are_limited_per_address(registry: Registry) -> None:
    app = create_app(registry, settings(self_service_per_minute=10))
    with TestClient(app) as client:
        answers = [client.post("/api/v1/self-service/i94", json=LOOKUP) for _ in range(11)]
    assert [a.status_code for a in answers] == [404] * 10 + [429]
    limited = answers[-1]
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 6
