"""Errors are RFC 9457 problem details: a type, a title, the status, a detail, each bad
field by its path, a conflict's stable code, and never a stack trace or SQL."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.bodies import iranian, visitor
from api.conftest import bearer, settings
from nseers.api.app import create_app
from nseers.core.actors import Role
from nseers.services.context import Registry

PROBLEM = "application/problem+json"


@pytest.fixture
def officer(registry: Registry) -> dict[str, str]:
    return bearer(registry, Role.SECONDARY_OFFICER)


def _problem(response: object, status: int) -> dict[str, object]:
    assert getattr(response, "status_code", None) == status
    assert response.headers["content-type"] == PROBLEM  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


def _paths(body: dict[str, object]) -> set[str]:
    errors = body["errors"]
    assert isinstance(errors, list)
    return {e["path"] for e in errors}


def test_a_malformed_body_names_every_bad_field_by_its_path(
        client: TestClient, officer: dict[str, str]) -> None:
    body = visitor(occurred_at="2026-11-01T10:00:00", admit_until="2027-02-30")
    del body["port_code"]
    body["person"]["sex"] = "Q"
    body["documents"][0]["expires_on"] = "soon"
    problem = _problem(client.post("/api/v1/arrivals", json=body, headers=officer), 422)
    assert _paths(problem) == {"port_code", "occurred_at", "admit_until", "person.sex",
                               "documents[0].expires_on"}
    assert problem["type"] == "urn:nseers:problem:invalid-input"


def test_a_problem_the_service_finds_has_the_same_kind_of_path(
        client: TestClient, officer: dict[str, str]) -> None:
    body = visitor()
    body["person"]["citizenships"] = ["F1"]
    problem = _problem(client.post("/api/v1/arrivals", json=body, headers=officer), 422)
    assert _paths(problem) == {"person.citizenships[0]"}


def test_a_malformed_case_is_refused_as_the_evaluation_contract_says(
        client: TestClient) -> None:
    case = {"event": "arrival", "date": "2003-06-15", "port": {"code": "JFK"},
            "traveler": {"claimed_status": "nonimmigrant", "date_of_birth": "1970-13-01"},
            "circumstances": {"stowawy": True}}
    problem = _problem(client.post("/api/v1/evaluations", json=case), 422)
    assert _paths(problem) == {"traveler.date_of_birth", "circumstances.stowawy"}
    assert 'traveler.date_of_birth: not a date: "1970-13-01"' in str(problem["detail"])


def test_a_body_that_is_not_json_is_invalid_input(client: TestClient,
                                                  officer: dict[str, str]) -> None:
    response = client.post("/api/v1/arrivals", content=b"{not json",
                           headers=officer | {"content-type": "application/json"})
    assert _paths(_problem(response, 422)) == {"body"}


def test_a_record_that_does_not_exist_is_404(client: TestClient, officer: dict[str, str]
                                             ) -> None:
    problem = _problem(client.get("/api/v1/persons/999", headers=officer), 404)
    assert problem["detail"] == "no person 999"


def test_a_conflict_carries_its_stable_code(client: TestClient, registry: Registry) -> None:
    departure = {"port_code": "JFK", "occurred_at": "2003-07-01T10:00:00-05:00",
                 "person_id": 1}
    created = client.post("/api/v1/arrivals", json=iranian(decision="refuse",
                                                           refusal_reason="no visa"),
                          headers=bearer(registry, Role.SECONDARY_OFFICER))
    assert created.status_code == 201
    problem = _problem(client.post("/api/v1/departures", json=departure,
                                   headers=bearer(registry, Role.DEPARTURE_OFFICER)), 409)
    assert problem["code"] == "no_open_arrival"


def test_a_primary_officer_is_sent_to_secondary_for_a_registration(
        client: TestClient, registry: Registry) -> None:
    problem = _problem(client.post("/api/v1/arrivals", json=iranian(),
                                   headers=bearer(registry, Role.PRIMARY_OFFICER)), 409)
    assert problem["code"] == "secondary_inspection_required"


def test_a_refused_role_gets_a_403_problem(client: TestClient, registry: Registry) -> None:
    problem = _problem(client.get("/api/v1/persons/1",
                                  headers=bearer(registry, Role.ANALYST)), 403)
    assert problem["detail"] == "the role analyst may not read person"


def test_no_token_is_a_401_problem_with_a_bearer_challenge(client: TestClient) -> None:
    response = client.get("/api/v1/persons/1")
    _problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_an_unknown_path_is_a_404_problem(client: TestClient) -> None:
    _problem(client.get("/api/v1/nowhere"), 404)


@pytest.fixture
def failing_client(registry: Registry) -> Iterator[TestClient]:
    app: FastAPI = create_app(registry, settings())

    def explode() -> None:
        raise RuntimeError("SELECT password FROM users -- internal detail")

    app.add_api_route("/api/v1/explode", explode)
    with TestClient(app) as client:
        yield client


def test_an_unexpected_failure_is_a_generic_500_that_reveals_nothing(
        failing_client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="nseers.api"):
        response = failing_client.get("/api/v1/explode")
    problem = _problem(response, 500)
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
    assert problem["title"] == "Internal error"
    assert "SELECT password" in caplog.text


def test_text_holding_a_nul_character_is_refused_on_every_database(
        client: TestClient, officer: dict[str, str]) -> None:
    body = visitor()
    body["person"]["surname"] = "MÜL\x00LER"
    problem = _problem(client.post("/api/v1/arrivals", json=body, headers=officer), 422)
    assert _paths(problem) == {"person.surname"}


def test_a_value_the_database_cannot_hold_is_invalid_input_not_a_failure(
        client: TestClient, registry: Registry, officer: dict[str, str]) -> None:
    response = client.get("/api/v1/persons", params={"name": "A\x00B"}, headers=officer)
    if registry.dialect == "postgresql":
        assert _problem(response, 422)["errors"] == []
    else:
        assert response.json() == []
