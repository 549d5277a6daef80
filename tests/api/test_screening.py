"""Screening through the API: a list version uploaded, a traveller screened at arrival and
referred, the hit queue, adjudication, and the version history (issue 14)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bodies import iranian
from api.conftest import bearer
from nseers.core.actors import Role
from nseers.services.context import Registry

LIST = ("id,name,aliases,date_of_birth,nationality,list,reason\n"
        "w1,Reza Ahmadi,رضا احمدی,1970-05-01,ir,lookout,test entry\n"
        "w2,,,,,lookout,\n")


def test_a_listed_traveller_is_referred_and_adjudicated_through_the_api(
        client: TestClient, registry: Registry) -> None:
    admin = bearer(registry, Role.ADMINISTRATOR, username="admin")
    secondary = bearer(registry, Role.SECONDARY_OFFICER, username="s.officer")
    loaded = client.post("/api/v1/watchlists/lookout/versions",
                         json={"filename": "lookout.csv", "content": LIST}, headers=admin)
    assert loaded.status_code == 201, loaded.text
    assert loaded.json()["problems"] == ["line 3, column name: required"]

    single = client.post("/api/v1/screening", headers=secondary, json={
        "id": "q", "name": "REZA AHMADY", "date_of_birth": "1970-05-01", "nationality": "IRN"})
    assert single.status_code == 200, single.text
    assert single.json()["candidates"][0]["id"] == "w1"
    assert single.json()["candidates"][0]["match"] is True

    batch = client.post("/api/v1/screening/batch", headers=secondary, json={
        "queries": [{"id": "a", "name": "Reza Ahmadi"}, {"id": "b", "name": "Jane Doe"}]})
    assert [len(a["candidates"]) for a in batch.json()] == [1, 0]

    arrival = client.post("/api/v1/arrivals", json=iranian(), headers=secondary)
    assert arrival.status_code == 201, arrival.text
    assert arrival.json()["screening"] == {"refer_to_secondary": True, "hits": 1}

    queue = client.get("/api/v1/screening/hits", headers=secondary).json()
    assert [h["listed_id"] for h in queue] == ["w1"]
    primary = bearer(registry, Role.PRIMARY_OFFICER, username="p.officer")
    assert client.get("/api/v1/screening/hits", headers=primary).status_code == 403

    decided = client.post(f"/api/v1/screening/hits/{queue[0]['id']}/adjudication",
                          json={"decision": "false_match", "note": "another man"},
                          headers=secondary)
    assert decided.status_code == 200, decided.text
    assert client.get("/api/v1/screening/hits", headers=secondary).json() == []

    history = client.get("/api/v1/watchlists/versions", headers=admin).json()
    assert history[0]["delta"] == {"added": 1, "changed": 0, "removed": 0}
    actions = {e["action"] for e in client.get(
        "/api/v1/audit", params={"limit": 1000},
        headers=bearer(registry, Role.AUDITOR, username="auditor")).json()}
    assert {"watchlist.version_loaded", "screening.hit", "screening.adjudicated",
            "screening.screened"} <= actions


def test_a_malformed_query_names_its_field(client: TestClient, registry: Registry) -> None:
    secondary = bearer(registry, Role.SECONDARY_OFFICER, username="s.officer")
    answer = client.post("/api/v1/screening", headers=secondary,
                         json={"name": "A B", "date_of_birth": "1970-13-01"})
    assert answer.status_code == 422
    assert "date_of_birth" in answer.text
