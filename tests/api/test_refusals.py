"""Refusals of entry and the I-68 reads through HTTP (issue 17), on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bodies import visitor
from api.conftest import bearer
from integration.helpers import count
from nseers.core.actors import Role
from nseers.registry.refusals import Refusal
from nseers.services.context import Registry

REFUSAL: dict[str, Any] = {
    "port_code": "IAD", "occurred_at": "2026-10-01T09:30:00-04:00",
    "person": {"surname": "MÜLLER", "given_names": "Anne", "date_of_birth": "1980-02-02",
               "sex": "F", "citizenships": ["FRA"]},
    "documents": [{"kind": "passport", "number": "P7654321", "issuer": "FRA"}],
    "grounds": ["nonimmigrant_documents"], "procedure": "withdrawal",
    "disposition": "withdrawn_and_returned", "narrative": "No ESTA.",
}


def refusal(**changes: Any) -> dict[str, Any]:
    return copy.deepcopy(REFUSAL) | changes


@pytest.fixture
def secondary(registry: Registry) -> dict[str, str]:
    return bearer(registry, Role.SECONDARY_OFFICER, username="s.officer")


def audit_actions(client: TestClient, registry: Registry) -> list[str]:
    entries = client.get("/api/v1/audit", params={"limit": 500},
                         headers=bearer(registry, Role.AUDITOR, username="auditor")).json()
    return [e["action"] for e in entries]


def test_a_refusal_is_recorded_read_back_and_shown_at_the_next_arrival(
        client: TestClient, registry: Registry, secondary: dict[str, str]) -> None:
    response = client.post("/api/v1/refusals", json=refusal(), headers=secondary)
    assert response.status_code == 201, response.text
    refused = response.json()
    assert refused["procedure"]["citation"] == "INA 235(a)(4); 8 CFR 235.4"
    assert refused["prior_refusals"] == []
    read = client.get(f"/api/v1/refusals/{refused['refusal_id']}", headers=secondary)
    assert read.status_code == 200
    assert read.json()["narrative"] == "No ESTA."
    arrival = client.post("/api/v1/arrivals", json=visitor(), headers=secondary)
    assert arrival.status_code == 201, arrival.text
    warning = arrival.json()["prior_refusals"]
    assert warning["refusals"][0]["date"] == "2026-10-01"
    assert warning["refusals"][0]["grounds"][0]["code"] == "nonimmigrant_documents"
    actions = audit_actions(client, registry)
    assert {"refusal.record", "refusal.read", "refusal.prior_shown"} <= set(actions)


def test_a_combination_the_law_rules_out_is_422_naming_the_field(
        client: TestClient, secondary: dict[str, str], registry: Registry) -> None:
    response = client.post("/api/v1/refusals", headers=secondary, json=refusal(
        grounds=["criminal"], procedure="expedited_removal", disposition="returned"))
    assert response.status_code == 422
    fields = [e["path"] for e in response.json()["errors"]]
    assert fields == ["grounds[0]"]
    assert count(registry, Refusal) == 0


def test_a_retried_refusal_with_the_same_key_is_recorded_once(
        client: TestClient, secondary: dict[str, str], registry: Registry) -> None:
    headers = secondary | {"Idempotency-Key": "refusal-1"}
    first = client.post("/api/v1/refusals", json=refusal(), headers=headers)
    again = client.post("/api/v1/refusals", json=refusal(), headers=headers)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["refusal_id"] == first.json()["refusal_id"]
    assert count(registry, Refusal) == 1


def test_the_codes_are_public_and_dated(client: TestClient) -> None:
    today = client.get("/api/v1/refusals/codes", params={"as_of": "2026-01-01"}).json()
    assert "expedited_removal" in today["procedures"]
    assert today["grounds"]["false_claim_to_citizenship"]["citation"].startswith(
        "INA 212(a)(6)(C)(ii)")
    before = client.get("/api/v1/refusals/codes", params={"as_of": "1996-01-01"}).json()
    assert before["grounds"] == {}


def test_an_analyst_counts_refusals_by_ground_and_port_but_cannot_read_one(
        client: TestClient, registry: Registry, secondary: dict[str, str]) -> None:
    refused = client.post("/api/v1/refusals", json=refusal(), headers=secondary).json()
    analyst = bearer(registry, Role.ANALYST)
    table = client.get("/api/v1/statistics/refusals",
                       params={"from": "2026-01-01", "to": "2026-12-31"}, headers=analyst)
    assert table.json() == [{"ground": "nonimmigrant_documents", "port": "IAD",
                             "refusals": 1}]
    assert client.get(f"/api/v1/refusals/{refused['refusal_id']}",
                      headers=analyst).status_code == 403
    primary = bearer(registry, Role.PRIMARY_OFFICER)
    assert client.post("/api/v1/refusals", json=refusal(), headers=primary).status_code == 403


def test_the_travellers_own_history_shows_the_refusal_without_the_officer(
        client: TestClient, secondary: dict[str, str]) -> None:
    client.post("/api/v1/refusals", json=refusal(), headers=secondary)
    response = client.post("/api/v1/self-service/i94", json={
        "surname": "Müller", "given_names": "Anne", "date_of_birth": "1980-02-02",
        "document_number": "P7654321"})
    assert response.status_code == 200, response.text
    assert response.json()["refusals"] == [{"date": "2026-10-01", "port": "IAD", "grounds": [
        {"title": "Nonimmigrant without a valid passport, or without a valid visa or border "
                  "crossing card",
         "citation": "INA 212(a)(7)(B)(i) (8 U.S.C. 1182(a)(7)(B)(i))"}]}]
    assert "s.officer" not in response.text


def _apply(client: TestClient, headers: dict[str, str], surname: str,
           number: str) -> int:
    response = client.post("/api/v1/i68/applications", headers=headers, json={
        "port_code": "DETROIT", "filed_on": "2026-05-01", "members": [
            {"relationship": "principal",
             "person": {"surname": surname, "given_names": "LUC",
                        "date_of_birth": "1970-01-01", "citizenships": ["CAN"]},
             "documents": [{"kind": "passport", "number": number, "issuer": "CAN"}]}]})
    assert response.status_code == 201, response.text
    application_id: int = response.json()["application_id"]
    return application_id


def test_i68_reads_a_traveller_sees_only_their_own_an_officer_any(
        client: TestClient, registry: Registry) -> None:
    mine = bearer(registry, Role.TRAVELLER, username="luc")
    theirs = bearer(registry, Role.TRAVELLER, username="marie")
    director = bearer(registry, Role.DISTRICT_DIRECTOR)
    compliance = bearer(registry, Role.COMPLIANCE_OFFICER)
    own = _apply(client, mine, "TREMBLAY", "CA1")
    other = _apply(client, theirs, "GAGNON", "CA2")
    decision = client.post(f"/api/v1/i68/applications/{own}/decision", headers=director,
                           json={"approve": True, "decided_on": "2026-05-20"})
    number = decision.json()["permit"]["number"]
    seen = client.get(f"/api/v1/i68/applications/{own}", headers=mine)
    assert seen.status_code == 200
    assert seen.json()["permit_number"] == number
    assert seen.json()["members"][0]["person_id"] is None  # no registry ids to a traveller
    assert client.get(f"/api/v1/i68/applications/{other}", headers=mine).status_code == 404
    assert client.get(f"/api/v1/i68/permits/{number}", headers=mine).json()["status"] == \
        "valid"
    assert client.get(f"/api/v1/i68/permits/{number}", headers=theirs).status_code == 404
    # A compliance officer may read persons, though not file: any application, with ids.
    officer_view = client.get(f"/api/v1/i68/applications/{other}", headers=compliance)
    assert officer_view.status_code == 200
    assert officer_view.json()["members"][0]["person_id"] is not None
    analyst = bearer(registry, Role.ANALYST)
    assert client.get(f"/api/v1/i68/permits/{number}", headers=analyst).status_code == 403
    # Each read shown is audited; a read refused as "not found" records nothing.
    actions = audit_actions(client, registry)
    assert actions.count("i68.application_read") == 2
    assert actions.count("i68.permit_read") == 1
