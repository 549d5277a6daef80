"""``GET /api/v1/persons/{id}/stays`` (issue 12): each admission's EDD, standing and the
departure that closed it with its evidence, audited, on SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bodies import visitor
from api.conftest import bearer
from nseers.core.actors import Role
from nseers.services.context import Registry


def _admitted_and_departed(client: TestClient, registry: Registry) -> int:
    officer = bearer(registry, Role.PRIMARY_OFFICER, username="p.officer")
    arrival = client.post("/api/v1/arrivals", headers=officer, json=visitor(
        occurred_at="2025-03-01T10:00:00-05:00", admit_until="2025-08-31"))
    assert arrival.status_code == 201, arrival.text
    person_id: int = arrival.json()["person_id"]
    left = client.post("/api/v1/departures", json={
        "port_code": "IAD", "occurred_at": "2025-09-10T18:00:00-04:00",
        "person_id": person_id},
        headers=bearer(registry, Role.DEPARTURE_OFFICER, username="d.officer"))
    assert left.status_code == 201, left.text
    return person_id


def test_the_stays_show_a_late_departure_with_its_evidence(
        client: TestClient, registry: Registry) -> None:
    person_id = _admitted_and_departed(client, registry)
    officer = bearer(registry, Role.SECONDARY_OFFICER, username="s.officer")

    answer = client.get(f"/api/v1/persons/{person_id}/stays", headers=officer)

    assert answer.status_code == 200, answer.text
    (stay,) = answer.json()["stays"]
    assert (stay["expected_departure_date"], stay["status"], stay["days_over"]) == (
        "2025-08-31", "departed_late", 10)
    evidence = stay["departure"]
    assert (evidence["date"], evidence["port"], evidence["recorded_by"],
            evidence["source"], evidence["confidence"]) == (
        "2025-09-10", "IAD", "d.officer", "officer", "certain")
    assert stay["report"] | {"citations": None, "why": None, "policy_version": None} == {
        "fiscal_year": 2025, "in_scope": True, "edd": "2025-08-31", "citations": None,
        "why": None, "policy_version": None}
    audit = client.get("/api/v1/audit", params={"action": "person.stays_read"},
                       headers=bearer(registry, Role.AUDITOR, username="auditor")).json()
    assert [(e["actor"], e["person_id"]) for e in audit] == [("s.officer", person_id)]


def test_as_of_a_day_before_the_departure_the_stay_is_an_in_country_overstay(
        client: TestClient, registry: Registry) -> None:
    person_id = _admitted_and_departed(client, registry)

    answer = client.get(f"/api/v1/persons/{person_id}/stays", params={"as_of": "2025-09-05"},
                        headers=bearer(registry, Role.SECONDARY_OFFICER)).json()

    assert answer["as_of"] == "2025-09-05"
    assert [(s["status"], s["days_over"], s["departure"]) for s in answer["stays"]] == [
        ("suspected_in_country_overstay", 5, None)]


def test_a_bad_as_of_names_the_field_and_an_unknown_person_is_404(
        client: TestClient, registry: Registry) -> None:
    officer = bearer(registry, Role.SECONDARY_OFFICER)
    bad = client.get("/api/v1/persons/1/stays", params={"as_of": "2025-13-01"},
                     headers=officer)
    assert bad.status_code == 422
    assert "as_of" in bad.text
    assert client.get("/api/v1/persons/999/stays", headers=officer).status_code == 404


def test_an_analyst_may_not_read_a_persons_stays(client: TestClient,
                                                 registry: Registry) -> None:
    person_id = _admitted_and_departed(client, registry)
    answer = client.get(f"/api/v1/persons/{person_id}/stays",
                        headers=bearer(registry, Role.ANALYST))
    assert answer.status_code == 403


def test_the_travellers_own_lookup_lists_the_stays_without_the_officers_names(
        client: TestClient, registry: Registry) -> None:
    _admitted_and_departed(client, registry)

    answer = client.post("/api/v1/self-service/i94", json={
        "surname": "Muller", "given_names": "anne", "date_of_birth": "1980-02-02",
        "document_number": "P7654321"})

    assert answer.status_code == 200, answer.text
    (stay,) = answer.json()["stays"]
    assert (stay["status"], stay["days_over"], stay["departure"]["port"]) == (
        "departed_late", 10, "IAD")
    assert stay["departure"]["recorded_by"] is None
    assert stay["arrival"]["recorded_by"] is None
