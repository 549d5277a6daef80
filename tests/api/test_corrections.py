"""Correction and redress over HTTP: file, queue, acknowledge, decide, letter, evidence;
who may do what, bad input naming the field, and retries recorded once."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bodies import visitor
from api.conftest import bearer
from nseers.core.actors import Role
from nseers.registry.corrections import CorrectionRequest
from nseers.services.context import Registry

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def person_id(client: TestClient, registry: Registry) -> int:
    response = client.post("/api/v1/arrivals", json=visitor(),
                           headers=bearer(registry, Role.SECONDARY_OFFICER))
    assert response.status_code == 201, response.text
    return int(response.json()["person_id"])


def body(**changes: Any) -> dict[str, Any]:
    return {"items": [{"field": "i94.admit_until", "requested_value": "2027-03-31"}],
            "reason": "The admission stamp reads 31 March 2027.",
            "requester_name": "Anne Müller", "representative_name": "J. Counsel",
            "representative_reference": "G-28 on file 2026-11-20",
            "evidence": [{"filename": "stamp.pdf",
                          "content_base64": base64.b64encode(PDF).decode()}]} | changes


def own_body(**changes: Any) -> dict[str, Any]:
    return body(surname="Müller", given_names="ANNE", date_of_birth="1980-02-02",
                document_number="p7654321") | changes


def test_a_filed_request_is_decided_and_the_letter_shows_before_and_after(
        client: TestClient, registry: Registry, person_id: int) -> None:
    officer = bearer(registry, Role.COMPLIANCE_OFFICER)
    director = bearer(registry, Role.DISTRICT_DIRECTOR)
    filed = client.post("/api/v1/corrections", json=body(person_id=person_id),
                        headers=officer)
    assert filed.status_code == 201, filed.text
    request_id = filed.json()["request_id"]
    assert filed.json()["decide_by"] == "2026-12-24"

    listed = client.get("/api/v1/corrections", headers=director).json()
    assert [r["request_id"] for r in listed["items"]] == [request_id]
    evidence_id = filed.json()["evidence"][0]["id"]
    file = client.get(f"/api/v1/corrections/{request_id}/evidence/{evidence_id}",
                      headers=director)
    assert (file.status_code, file.content, file.headers["content-type"]) == (
        200, PDF, "application/pdf")

    acknowledged = client.post(f"/api/v1/corrections/{request_id}/acknowledgement", json={},
                               headers=director)
    assert acknowledged.json()["status"] == "acknowledged"
    item_id = filed.json()["items"][0]["id"]
    decided = client.post(f"/api/v1/corrections/{request_id}/decision", headers=director,
                          json={"items": [{"item_id": item_id, "accept": True}],
                                "reasons": "The stamp is clear."})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "accepted"
    letter = client.get(f"/api/v1/corrections/{request_id}/letter", headers=director).json()
    assert letter["kind"] == "decision"
    assert letter["addressee"] == "J. Counsel"
    assert "corrected from 2027-01-31 to 2027-03-31" in letter["text"]
    i94 = client.get(f"/api/v1/persons/{person_id}/i94", headers=director).json()
    assert [r["admit_until"] for r in i94] == ["2027-03-31"]


def test_a_traveller_files_without_signing_in_and_a_wrong_detail_is_a_404(
        client: TestClient, person_id: int) -> None:
    filed = client.post("/api/v1/self-service/corrections", json=own_body())
    assert filed.status_code == 201, filed.text
    assert filed.json()["person_id"] == person_id
    assert filed.json()["channel"] == "self_service"
    wrong = client.post("/api/v1/self-service/corrections",
                        json=own_body(date_of_birth="1980-02-03"))
    assert wrong.status_code == 404
    proof = {"surname": "MÜLLER", "given_names": "Anne", "date_of_birth": "1980-02-02",
             "document_number": "P7654321"}
    letter = client.post("/api/v1/self-service/corrections/letter",
                         json=proof | {"reference": filed.json()["reference"]})
    assert letter.status_code == 200, letter.text
    assert "We acknowledge receipt of your request." in letter.json()["text"]
    assert client.post("/api/v1/self-service/corrections/letter",
                       json=proof | {"reference": "COR-999999"}).status_code == 404


def test_only_the_director_sees_the_queue_and_decides(
        client: TestClient, registry: Registry, person_id: int) -> None:
    officer = bearer(registry, Role.COMPLIANCE_OFFICER)
    filed = client.post("/api/v1/corrections", json=body(person_id=person_id),
                        headers=officer).json()
    assert client.get("/api/v1/corrections", headers=officer).status_code == 403
    decision = {"items": [{"item_id": filed["items"][0]["id"], "accept": True}],
                "reasons": "x"}
    assert client.post(f"/api/v1/corrections/{filed['request_id']}/decision",
                       json=decision, headers=officer).status_code == 403
    assert client.post("/api/v1/corrections", json=body(person_id=person_id),
                       headers=bearer(registry, Role.PRIMARY_OFFICER)).status_code == 403
    # A traveller's account asks for its own record through self-service, with proof.
    assert client.post("/api/v1/corrections", json=body(person_id=person_id),
                       headers=bearer(registry, Role.TRAVELLER)).status_code == 403
    assert client.get(f"/api/v1/corrections/{filed['request_id']}").status_code == 401


def test_bad_input_is_a_422_naming_the_field(client: TestClient, registry: Registry,
                                            person_id: int) -> None:
    officer = bearer(registry, Role.COMPLIANCE_OFFICER)
    cases = {
        "items[0].field": body(person_id=person_id, items=[
            {"field": "person.eye_colour", "requested_value": "blue"}]),
        "items[0].requested_value": body(person_id=person_id, items=[
            {"field": "i94.admit_until", "requested_value": "March 2027"}]),
        "evidence[0].content_base64": body(person_id=person_id, evidence=[
            {"filename": "x.pdf", "content_base64": "not base64!"}]),
        "evidence[0]": body(person_id=person_id, evidence=[
            {"filename": "x.exe", "content_base64": base64.b64encode(b"MZ\x00\x01").decode()}]),
    }
    for field, sent in cases.items():
        response = client.post("/api/v1/corrections", json=sent, headers=officer)
        assert response.status_code == 422, (field, response.text)
        assert field in response.text, (field, response.text)
    with registry.sessions() as session:
        assert session.query(CorrectionRequest).count() == 0


def test_a_retried_filing_with_the_same_key_is_recorded_once(
        client: TestClient, registry: Registry, person_id: int) -> None:
    headers = bearer(registry, Role.COMPLIANCE_OFFICER) | {"Idempotency-Key": "redress-1"}
    first = client.post("/api/v1/corrections", json=body(person_id=person_id),
                        headers=headers)
    again = client.post("/api/v1/corrections", json=body(person_id=person_id),
                        headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["request_id"] == first.json()["request_id"]
    other = client.post("/api/v1/corrections", json=body(person_id=person_id,
                                                         reason="Another reason."),
                        headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.text
    with registry.sessions() as session:
        assert session.query(CorrectionRequest).count() == 1
