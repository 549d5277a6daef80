"""The traveller's own days over HTTP: a code to the e-mail on record, then every I-94 and
the days; the same answer whatever matched; and the public stay calculator."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bodies import visitor
from api.conftest import bearer, settings
from nseers.api.app import create_app
from nseers.core.actors import Role
from nseers.services.context import Registry
from nseers.services.mail import FileOutbox

DETAILS = {"surname": "Muller", "given_names": "ANNE", "date_of_birth": "1980-02-02",
           "document_number": "p7654321"}
EMAIL = "anne@example.org"


@pytest.fixture
def mail_client(registry: Registry, tmp_path: Path) -> Iterator[TestClient]:
    registry.sender = FileOutbox(tmp_path / "outbox")
    with TestClient(create_app(registry, settings())) as client:
        yield client


def outbox(registry: Registry) -> list[Path]:
    assert isinstance(registry.sender, FileOutbox)
    return sorted(registry.sender.directory.glob("*.eml"))


def admit(client: TestClient, registry: Registry, **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/arrivals", json=visitor(**changes),
                           headers=bearer(registry, Role.PRIMARY_OFFICER))
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def the_code(registry: Registry) -> str:
    [mail] = outbox(registry)
    payload = message_from_bytes(mail.read_bytes()).get_payload()
    found = re.search(r"\b\d{6}\b", str(payload))
    assert found is not None
    return found.group(0)


def test_a_traveller_asks_for_a_code_and_sees_their_days(
        mail_client: TestClient, registry: Registry) -> None:
    arrival = admit(mail_client, registry, contact_email=EMAIL)
    asked = mail_client.post("/api/v1/self-service/code", json=DETAILS | {"email": EMAIL})
    assert asked.status_code == 202, asked.text
    response = mail_client.post("/api/v1/self-service/days", json={
        "challenge": asked.json()["challenge"], "code": the_code(registry)})
    assert response.status_code == 200, response.text
    days = response.json()
    [i94] = days["open_admissions"]
    assert i94["number"] == arrival["i94_number"]
    assert (i94["admit_until"], i94["standing"]["days_remaining"]) == ("2027-01-31", 68)
    assert days["travel_history"][0]["kind"] == "arrival"
    assert days["ees_overlay"]["days_used"] == 24


def test_the_code_answer_is_the_same_whether_or_not_anyone_matched(
        mail_client: TestClient, registry: Registry) -> None:
    admit(mail_client, registry, contact_email=EMAIL)
    answers = [mail_client.post("/api/v1/self-service/code", json=DETAILS | change)
               for change in ({"surname": "Nobody"}, {"email": "other@example.org"}, {})]
    assert {a.status_code for a in answers} == {202}
    assert len({(a.json()["message"], a.json()["expires_in_minutes"]) for a in answers}) == 1
    assert len(outbox(registry)) == 1


def test_a_wrong_code_is_a_422_naming_the_code_field(
        mail_client: TestClient, registry: Registry) -> None:
    admit(mail_client, registry, contact_email=EMAIL)
    challenge = mail_client.post("/api/v1/self-service/code", json=DETAILS).json()["challenge"]
    wrong = f"{(int(the_code(registry)) + 1) % 1_000_000:06d}"
    response = mail_client.post("/api/v1/self-service/days",
                                json={"challenge": challenge, "code": wrong})
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["code"]


def test_a_malformed_contact_email_at_inspection_is_a_422_and_records_no_arrival(
        mail_client: TestClient, registry: Registry) -> None:
    response = mail_client.post("/api/v1/arrivals", json=visitor(contact_email="nope"),
                                headers=bearer(registry, Role.PRIMARY_OFFICER))
    assert response.status_code == 422
    assert "contact_email" in response.text
    search = mail_client.get("/api/v1/persons", params={"document_number": "P7654321"},
                             headers=bearer(registry, Role.SECONDARY_OFFICER))
    assert search.status_code == 200
    assert search.json() == []


def test_without_a_mail_sender_asking_for_a_code_is_a_409(client: TestClient) -> None:
    response = client.post("/api/v1/self-service/code", json=DETAILS)
    assert response.status_code == 409
    assert response.json()["code"] == "mail_not_configured"


def test_the_stay_calculator_needs_no_sign_in_and_explains_each_day(
        client: TestClient) -> None:
    response = client.post("/api/v1/self-service/stay", json={
        "as_of": "2026-03-01", "duration_of_status": True, "admission_class": "J1",
        "program_end": "2026-02-15",
        "stays": [{"entered_on": "2026-02-20"}, {"entered_on": "2025-11-01",
                                                 "left_on": "2025-12-15"}]})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["admission"]["last_day"] == "2026-03-17"  # 30 days of J grace
    assert answer["admission"]["days_remaining"] == 16
    window = answer["ees_overlay"]
    assert (window["days_used"], window["last_day_of_stay"]) == (55, "2026-04-05")
    assert len(window["days"]) == 180
    assert window["days"][-1] == {"day": "2026-03-01", "counted": True,
                                  "why": "present during the stay from 2026-02-20 "
                                         "(no exit recorded)"}


def test_the_stay_calculator_names_a_bad_stay(client: TestClient) -> None:
    response = client.post("/api/v1/self-service/stay", json={
        "as_of": "2026-03-01", "stays": [{"entered_on": "2026-02-20",
                                          "left_on": "2026-02-01"}]})
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == ["stays[0].left_on"]


def test_a_signed_in_traveller_links_their_account_once_then_reads_their_days(
        mail_client: TestClient, registry: Registry) -> None:
    admit(mail_client, registry, contact_email=EMAIL)
    traveller = bearer(registry, Role.TRAVELLER)
    assert mail_client.get("/api/v1/self-service/my-days",
                           headers=traveller).status_code == 404
    challenge = mail_client.post("/api/v1/self-service/code", json=DETAILS).json()["challenge"]
    linked = mail_client.post("/api/v1/self-service/account-link", headers=traveller,
                              json={"challenge": challenge, "code": the_code(registry)})
    assert linked.status_code == 200, linked.text
    mine = mail_client.get("/api/v1/self-service/my-days", headers=traveller)
    assert mine.status_code == 200
    assert mine.json()["i94s"] == linked.json()["i94s"]
    assert mail_client.get("/api/v1/self-service/my-days").status_code == 401
    assert mail_client.get("/api/v1/self-service/my-days", headers=bearer(
        registry, Role.PRIMARY_OFFICER)).status_code == 404
    officer = mail_client.post("/api/v1/self-service/account-link", headers=bearer(
        registry, Role.PRIMARY_OFFICER), json={"challenge": challenge, "code": "123456"})
    assert officer.status_code == 403
