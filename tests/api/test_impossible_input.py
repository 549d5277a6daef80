"""Input that cannot be true is refused, naming the field (issue 16): numbers for dates,
a birth after the arrival, an unknown class of admission, a code that is no ICAO code,
control and bidirectional characters in names, an oversized body, unparseable JSON."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bodies import visitor
from api.conftest import bearer
from nseers.core.actors import Role
from nseers.core.text import escape_unsafe
from nseers.services.context import Registry


def arrive(client: TestClient, registry: Registry, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/arrivals", json=body,
                       headers=bearer(registry, Role.PRIMARY_OFFICER))


def paths(answer: Any) -> list[str]:
    assert answer.status_code == 422, answer.text
    return [error["path"] for error in answer.json()["errors"]]


@pytest.mark.parametrize("value", [315532800, 0, "315532800", "1980-1-1", "01/01/1980"])
def test_a_date_of_birth_must_be_a_yyyy_mm_dd_string(client: TestClient, registry: Registry,
                                                     value: object) -> None:
    body = visitor()
    body["person"] = body["person"] | {"date_of_birth": value}
    assert paths(arrive(client, registry, body)) == ["person.date_of_birth"]


def test_as_of_must_be_a_date_not_a_number(client: TestClient, registry: Registry) -> None:
    answer = client.get("/api/v1/persons/1/compliance", params={"as_of": "0"},
                        headers=bearer(registry, Role.PRIMARY_OFFICER))
    assert paths(answer) == ["query.as_of"]


def test_a_birth_after_the_arrival_is_refused(client: TestClient, registry: Registry) -> None:
    body = visitor()
    body["person"] = body["person"] | {"date_of_birth": "2030-01-01"}
    assert paths(arrive(client, registry, body)) == ["person.date_of_birth"]


def test_an_unknown_class_of_admission_is_refused(client: TestClient,
                                                  registry: Registry) -> None:
    assert paths(arrive(client, registry, visitor(admission_class="ZZ9"))) == [
        "admission_class"]


def test_a_code_that_is_no_icao_code_is_refused(client: TestClient, registry: Registry) -> None:
    body = visitor()
    body["person"] = body["person"] | {"citizenships": ["ZZZ"]}
    body["documents"] = [{"kind": "passport", "number": "P7654321", "issuer": "ZZZ"}]
    assert sorted(paths(arrive(client, registry, body))) == [
        "documents[0].issuer", "person.citizenships[0]"]


@pytest.mark.parametrize("name", ["MULLER\x1b[2J", "MUL\u202eRELL", "A\x85B", "X\u2066Y"])
def test_control_and_bidi_characters_in_names_are_refused(
        client: TestClient, registry: Registry, name: str) -> None:
    body = visitor()
    body["person"] = body["person"] | {"surname": name}
    answer = arrive(client, registry, body)
    assert paths(answer) == ["person.surname"]
    assert "U+" in answer.json()["errors"][0]["message"]


def test_control_characters_are_escaped_for_the_terminal() -> None:
    assert escape_unsafe("MULLER\x1b[2J\u202e") == "MULLER\\x1b[2J\\u202e"
    assert escape_unsafe("Müller محمد") == "Müller محمد"


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient,
                                                        registry: Registry) -> None:
    big = b"{" + b" " * (13 * 1024 * 1024) + b"}"
    answer = client.post("/api/v1/arrivals", content=big,
                         headers=bearer(registry, Role.PRIMARY_OFFICER)
                         | {"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"


def test_unparseable_json_is_a_documented_problem(client: TestClient,
                                                  registry: Registry) -> None:
    answer = client.post("/api/v1/arrivals", content=b"{not json",
                         headers=bearer(registry, Role.PRIMARY_OFFICER)
                         | {"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert paths(answer) == ["body"]
    document = client.get("/api/openapi.json").json()
    responses = document["paths"]["/api/v1/arrivals"]["post"]["responses"]
    assert "application/problem+json" in responses["422"]["content"]
    assert "413" in responses


def test_answers_with_personal_data_are_not_cached_or_sniffed(client: TestClient,
                                                              registry: Registry) -> None:
    answer = client.get("/api/v1/persons", params={"name": "Nobody"},
                        headers=bearer(registry, Role.PRIMARY_OFFICER))
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert len(answer.headers["x-request-id"]) >= 8


def test_a_traveller_filing_an_i68_never_sees_registry_ids(client: TestClient,
                                                           registry: Registry) -> None:
    known = arrive(client, registry, visitor())
    assert known.status_code == 201
    family = {"port_code": "DETROIT", "filed_on": "2010-05-01", "members": [
        {"relationship": "principal",
         "person": {"surname": "TREMBLAY", "given_names": "LUC",
                    "date_of_birth": "1970-01-01", "citizenships": ["CAN"]},
         "documents": [{"kind": "passport", "number": "CA123456", "issuer": "CAN"}]}]}
    filed = client.post("/api/v1/i68/applications", json=family,
                        headers=bearer(registry, Role.TRAVELLER, username="luc"))
    assert filed.status_code == 201, filed.text
    assert [m["person_id"] for m in filed.json()["members"]] == [None]
    officer = client.post("/api/v1/i68/applications", json=family | {"filed_on": "2010-06-01"},
                          headers=bearer(registry, Role.PRIMARY_OFFICER))
    assert officer.status_code in (201, 409), officer.text
    if officer.status_code == 201:
        assert isinstance(officer.json()["members"][0]["person_id"], int)


def test_a_decompression_bomb_is_refused_with_422(client: TestClient,
                                                  registry: Registry) -> None:
    import io  # noqa: PLC0415

    from PIL import Image  # noqa: PLC0415
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 1024 * 1024  # small on the wire, 60 megapixels inside
    answer = client.post("/api/v1/documents/mrz/image",
                         files={"image": ("bomb.png", buffer.getvalue(), "image/png")},
                         headers=bearer(registry, Role.PRIMARY_OFFICER))
    assert paths(answer) == ["image"]
    assert "megapixels" in answer.json()["errors"][0]["message"]


def test_a_problem_the_rules_find_names_the_requests_own_field(
        client: TestClient, registry: Registry) -> None:
    # An unlisted port needs its mode: the case calls it port.mode, the request mode.
    assert paths(arrive(client, registry, visitor(port_code="NOWHERE"))) == ["mode"]
    # A residence that is no alpha-3 code: traveler.residence in the case.
    assert paths(arrive(client, registry, visitor(residence="France"))) == ["residence"]


def test_the_openapi_document_states_the_password_length_the_policy_requires(
        client: TestClient) -> None:
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert schemas["NewUserIn"]["properties"]["password"]["minLength"] == 12
    assert schemas["PasswordChangeIn"]["properties"]["new_password"]["minLength"] == 12
