"""The API refuses, as the evaluation contract says, what cannot be true or has no law."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def case(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"event": "arrival", "date": "2003-06-15", "port": {"code": "JFK"},
                            "traveler": {"claimed_status": "nonimmigrant",
                                         "citizenships": ["IRN"],
                                         "date_of_birth": "1970-05-01"},
                            "admission_class": "B2"}
    base.update(changes)
    return base


def problem_paths(client: TestClient, body: dict[str, Any]) -> tuple[set[str], str]:
    response = client.post("/api/v1/evaluations", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    return {error["path"] for error in problem["errors"]}, str(problem["detail"])


def test_a_date_before_the_policys_coverage_is_422_naming_the_coverage(
        client: TestClient) -> None:
    body = case(date="1990-01-01")
    body["traveler"]["date_of_birth"] = None
    paths, detail = problem_paths(client, body)
    assert paths == {"date"}
    assert "before the law this policy holds (from 1996-09-05)" in detail


def test_a_birth_after_the_event_is_422(client: TestClient) -> None:
    body = case()
    body["traveler"]["date_of_birth"] = "2010-01-01"
    paths, _ = problem_paths(client, body)
    assert paths == {"traveler.date_of_birth"}
