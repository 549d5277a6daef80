"""The carrier endpoints over HTTP: the answer's keys and nothing more, the manifest's
per-row errors, the rate limit per carrier account, and who may call them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.conftest import bearer, settings
from integration.helpers import DEPARTURE, PRIMARY, at, visitor
from nseers.api.app import create_app
from nseers.core.actors import Role
from nseers.services.context import Registry
from nseers.services.facts import DocumentFacts
from nseers.services.movements import DepartureRecord, inspect_arrival, record_departure
from nseers.serving.settings import CARRIER_LIMIT_ENV, ServerSettings

TRAVEL = "2026-12-01"


def _passenger(number: str, **changes: Any) -> dict[str, Any]:
    return {"document_number": number, "issuing_country": "FRA", "nationality": "FRA",
            "surname": "MULLER", "date_of_birth": "1980-02-02",
            "intended_travel_date": TRAVEL, **changes}


def _admit(registry: Registry, number: str, *, until: str, departed: str | None) -> None:
    answer = inspect_arrival(registry, PRIMARY, replace(
        visitor(number), occurred_at=at("2026-01-10"), admit_until=date.fromisoformat(until),
        documents=(DocumentFacts("passport", number, "FRA"),)))
    if departed:
        record_departure(registry, DEPARTURE, DepartureRecord(
            port_code="IAD", occurred_at=at(departed, 18), person_id=answer["person_id"]))


@pytest.fixture
def limited(registry: Registry) -> Iterator[TestClient]:
    with TestClient(create_app(registry, settings(carrier_passengers_per_minute=3))) as c:
        yield c


def test_a_check_answers_only_the_answer_and_the_codes(client: TestClient,
                                                       registry: Registry) -> None:
    _admit(registry, "FR200001", until="2026-07-09", departed="2026-07-01")
    _admit(registry, "FR200002", until="2026-07-09", departed=None)
    headers = bearer(registry, Role.CARRIER, username="carrier.aal")
    answers = [client.post("/api/v1/carrier/check", json=_passenger(number), headers=headers)
               for number in ("FR200001", "FR200002", "FR999999")]
    assert [a.status_code for a in answers] == [200, 200, 200]
    bodies = [a.json() for a in answers]
    assert all(set(body) == {"answer", "reason_codes"} for body in bodies)
    assert [b["answer"] for b in bodies] == ["ok_to_board", "not_ok_to_board", "no_record"]
    assert bodies[1]["reason_codes"] == ["contact_border_authority"]
    text = "".join(a.text for a in answers)
    for leak in ("MULLER", "Anne", "1980", "2026-07-09", "person", "overstay", "I-94"):
        assert leak not in text


def test_a_bad_single_check_is_422_naming_the_field(client: TestClient,
                                                    registry: Registry) -> None:
    headers = bearer(registry, Role.CARRIER, username="carrier.aal")
    answer = client.post("/api/v1/carrier/check", headers=headers,
                         json=_passenger("FR1", intended_travel_date="2020-01-01"))
    assert answer.status_code == 422
    assert [e["path"] for e in answer.json()["errors"]] == ["intended_travel_date"]
    answer = client.post("/api/v1/carrier/check", headers=headers,
                         json=_passenger("FR1", nationality="France"))
    assert answer.status_code == 422
    assert "nationality" in answer.json()["errors"][0]["path"]


def test_a_manifest_answers_each_row_and_names_bad_rows_by_index_and_field(
        client: TestClient, registry: Registry) -> None:
    _admit(registry, "FR200003", until="2026-07-09", departed="2026-07-01")
    headers = bearer(registry, Role.CARRIER, username="carrier.aal")
    answer = client.post("/api/v1/carrier/manifest", headers=headers, json={"rows": [
        _passenger("FR200003"), _passenger("FR200003", date_of_birth="02/02/1980"),
        _passenger("FR404")]})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"rows", "answered", "rejected"}
    assert (body["answered"], body["rejected"]) == (2, 1)
    assert body["rows"][0] == {"index": 0, "answer": "ok_to_board", "reason_codes": []}
    assert body["rows"][1]["index"] == 1
    assert [e["path"] for e in body["rows"][1]["errors"]] == ["rows[1].date_of_birth"]
    assert body["rows"][2] == {"index": 2, "answer": "no_record", "reason_codes": []}


def test_each_carrier_account_has_its_own_limit_and_a_manifest_costs_its_rows(
        limited: TestClient, registry: Registry) -> None:
    first = bearer(registry, Role.CARRIER, username="carrier.aal")
    second = bearer(registry, Role.CARRIER, username="carrier.dal")
    manifest = {"rows": [_passenger("FR1"), _passenger("FR2")]}
    assert limited.post("/api/v1/carrier/manifest", json=manifest,
                        headers=first).status_code == 200
    assert limited.post("/api/v1/carrier/check", json=_passenger("FR3"),
                        headers=first).status_code == 200
    refused = limited.post("/api/v1/carrier/check", json=_passenger("FR4"), headers=first)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert limited.post("/api/v1/carrier/check", json=_passenger("FR4"),
                        headers=second).status_code == 200
    too_big = limited.post("/api/v1/carrier/manifest", headers=second,
                           json={"rows": [_passenger(f"FR{i}") for i in range(4)]})
    assert too_big.status_code == 422


@pytest.mark.parametrize("role", [Role.PRIMARY_OFFICER, Role.ADMINISTRATOR, Role.TRAVELLER])
def test_no_other_role_may_ask(client: TestClient, registry: Registry, role: Role) -> None:
    answer = client.post("/api/v1/carrier/check", json=_passenger("FR1"),
                         headers=bearer(registry, role))
    assert answer.status_code == 403
    assert client.post("/api/v1/carrier/check", json=_passenger("FR1")).status_code == 401


def test_the_limit_is_read_from_the_environment() -> None:
    secret = "s" * 40
    assert ServerSettings.from_mapping({CARRIER_LIMIT_ENV: "7", "NSEERS_SECRET_KEY": secret}
                                    ).carrier_passengers_per_minute == 7
    with pytest.raises(ValueError, match=CARRIER_LIMIT_ENV):
        ServerSettings.from_mapping({CARRIER_LIMIT_ENV: "lots", "NSEERS_SECRET_KEY": secret})
