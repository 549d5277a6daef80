"""The entry-exit review queue through the HTTP API (issue 12)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.conftest import bearer
from nseers.core.actors import Actor, Role
from nseers.services.context import Registry
from nseers.services.linkage_reviews import QueueItem, QueuePublication, publish_queue


def _publish(registry: Registry) -> None:
    publish_queue(registry, Actor("a.runner", Role.ANALYST), QueuePublication(
        "FY2024 as of 2024-12-31", tuple(
            QueueItem(f"A{n}", f"D{n}", probability, {"name": "Exact match on name_key"},
                      {"record_id": f"A{n}", "surname": "OLIINYK", "given_names": "VASYL"},
                      {"record_id": f"D{n}", "surname": "OLIINYK", "given_names": "VASYL"})
            for n, probability in ((1, 0.95), (2, 0.82), (3, 0.9)))))


def test_an_analyst_lists_reads_and_decides_and_a_change_of_mind_must_be_explicit(
        client: TestClient, registry: Registry) -> None:
    _publish(registry)
    analyst = bearer(registry, Role.ANALYST, purpose="overstay report FY2024")
    listed = client.get("/api/v1/entry-exit/reviews?order=probability&per_page=2",
                        headers=analyst)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert (page["total"], page["pages"]) == (3, 2)
    assert [i["arrival_record_id"] for i in page["items"]] == ["A2", "A3"]
    review_id = page["items"][0]["review_id"]

    shown = client.get(f"/api/v1/entry-exit/reviews/{review_id}", headers=analyst).json()
    assert shown["departure"]["surname"] == "OLIINYK"
    assert shown["comparison_levels"] == {"name": "Exact match on name_key"}
    assert shown["status"] == "pending"

    url = f"/api/v1/entry-exit/reviews/{review_id}/decision"
    blank = client.post(url, headers=analyst, json={"decision": "reject", "reason": " "})
    assert blank.status_code == 422
    assert "reason" in blank.text
    wrong = client.post(url, headers=analyst, json={"decision": "maybe", "reason": "x"})
    assert wrong.status_code == 422
    rejected = client.post(url, headers=analyst,
                           json={"decision": "reject", "reason": "another man's passport"})
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["decided_by"]) == ("rejected",
                                                                          "analyst")
    again = client.post(url, headers=analyst, json={"decision": "accept", "reason": "same"})
    assert (again.status_code, again.json()["code"]) == (409, "already_decided")
    changed = client.post(url, headers=analyst, json={
        "decision": "accept", "reason": "renewed passport", "supersede": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "accepted"
    pending = client.get("/api/v1/entry-exit/reviews", headers=analyst).json()
    assert pending["total"] == 2
    assert client.get("/api/v1/entry-exit/reviews/999", headers=analyst).status_code == 404


def test_other_roles_are_refused_the_queue(client: TestClient, registry: Registry) -> None:
    _publish(registry)
    for role in (Role.SECONDARY_OFFICER, Role.AUDITOR, Role.DISTRICT_DIRECTOR):
        headers = bearer(registry, role)
        assert client.get("/api/v1/entry-exit/reviews", headers=headers).status_code == 403
        assert client.post("/api/v1/entry-exit/reviews/1/decision", headers=headers,
                           json={"decision": "accept", "reason": "x"}).status_code == 403


def test_the_openapi_document_describes_the_queue(client: TestClient) -> None:
    document = client.get("/api/openapi.json").json()
    paths = document["paths"]
    assert {"get"} <= set(paths["/api/v1/entry-exit/reviews"])
    assert {"get"} <= set(paths["/api/v1/entry-exit/reviews/{review_id}"])
    assert {"post"} <= set(paths["/api/v1/entry-exit/reviews/{review_id}/decision"])
    body = document["components"]["schemas"]["ReviewDecisionIn"]
    assert set(body["properties"]) == {"decision", "reason", "supersede"}
    assert body["properties"]["decision"]["enum"] == ["accept", "reject"]
