"""The registry's use cases end to end through HTTP, on SQLite and PostgreSQL: an arrival
that registers, the person's record, the registrant's obligations and what follows them,
the I-68 program, idempotent retries, and an audit entry for every read."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bodies import iranian, visitor
from api.conftest import bearer
from integration.helpers import count
from nseers.core.actors import Role
from nseers.registry.encounters import Encounter
from nseers.services.context import Registry


@pytest.fixture
def secondary(registry: Registry) -> dict[str, str]:
    return bearer(registry, Role.SECONDARY_OFFICER, username="s.officer")


def arrive(client: TestClient, headers: dict[str, str], body: dict[str, Any],
           key: str | None = None) -> dict[str, Any]:
    extra = {"Idempotency-Key": key} if key else {}
    response = client.post("/api/v1/arrivals", json=body, headers=headers | extra)
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def audit(client: TestClient, registry: Registry, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/audit", params=params,
                          headers=bearer(registry, Role.AUDITOR, username="auditor"))
    assert response.status_code == 200
    entries: list[dict[str, Any]] = response.json()
    return entries


def test_an_arrival_that_registers_and_the_person_s_record(
        client: TestClient, secondary: dict[str, str]) -> None:
    arrival = arrive(client, secondary, iranian())
    assert arrival["outcome"] == "admitted"
    assert arrival["determinations"]["special_registration"]["outcome"] == "required"
    fin, person_id = arrival["fin"], arrival["person_id"]
    found = client.get("/api/v1/persons", params={"name": "رضا احمدی"}, headers=secondary)
    assert [p["id"] for p in found.json()] == [person_id]
    by_fin = client.get("/api/v1/persons", params={"fin": fin}, headers=secondary).json()
    assert by_fin[0]["surname"] == "AHMADI"
    record = client.get(f"/api/v1/persons/{person_id}", headers=secondary).json()
    assert record["registrations"][0]["fin"] == fin
    events = client.get(f"/api/v1/persons/{person_id}/timeline", headers=secondary).json()
    assert [e["type"] for e in events["events"]] == ["encounter", "i94", "registration"]
    i94 = client.get(f"/api/v1/persons/{person_id}/i94", headers=secondary).json()
    assert [r["number"] for r in i94] == [arrival["i94_number"]]
    obligations = client.get(f"/api/v1/registrations/{fin}/obligations",
                             params={"as_of": "2003-07-20"}, headers=secondary).json()
    statuses = {o["kind"]: o["status"] for o in obligations["obligations"]}
    assert statuses["thirty_day_report"] == "due"


def test_a_registrant_s_obligations_and_what_follows_them(
        client: TestClient, registry: Registry, secondary: dict[str, str]) -> None:
    fin = arrive(client, secondary, iranian())["fin"]
    compliance = bearer(registry, Role.COMPLIANCE_OFFICER, username="c.officer")
    director = bearer(registry, Role.DISTRICT_DIRECTOR, username="director")
    interview = client.post("/api/v1/interviews", headers=compliance, json={
        "fin": fin, "kind": "thirty_day_report", "held_on": "2003-07-20", "place": "NYC",
        "outcome": "failed_to_appear"})
    assert interview.status_code == 201, interview.text
    violation_id = interview.json()["violation_id"]
    change = client.post("/api/v1/changes", headers=compliance, json={
        "fin": fin, "kind": "address", "new_value": "2 Elm St", "changed_on": "2003-08-01",
        "filed_on": "2003-08-05"})
    assert change.json()["on_time"] is True
    waiver = client.post("/api/v1/waivers", headers=compliance, json={
        "fin": fin, "obligation_kind": "thirty_day_report", "grounds": "hospitalised",
        "requested_on": "2003-07-25"})
    assert waiver.status_code == 201, waiver.text
    decision = client.post(f"/api/v1/waivers/{waiver.json()['waiver_id']}/decision",
                           headers=director, json={"granted": True, "reasons": "records",
                                                   "decided_on": "2003-08-10"})
    assert decision.json()["status"] == "granted"
    again = client.post(f"/api/v1/waivers/{waiver.json()['waiver_id']}/decision",
                        headers=director, json={"granted": False, "reasons": "no",
                                                "decided_on": "2003-08-11"})
    assert (again.status_code, again.json()["code"]) == (409, "already_decided")
    assessment = client.post(f"/api/v1/violations/{violation_id}/assessment",
                             headers=compliance, json={"willful": False,
                                                       "assessment": "in hospital",
                                                       "assessed_on": "2003-08-12"})
    assert assessment.json()["willfulness"] == "not_willful"
    report = client.get(f"/api/v1/persons/{interview.json()['person_id']}/compliance",
                        params={"as_of": "2003-09-01"}, headers=compliance).json()
    statuses = {o["kind"]: o["status"] for o in report["registrations"][0]["obligations"]}
    assert statuses["thirty_day_report"] == "waived"
    departure = client.post("/api/v1/departures",
                            headers=bearer(registry, Role.DEPARTURE_OFFICER), json={
                                "port_code": "JFK", "occurred_at": "2003-10-01T18:00:00-04:00",
                                "fin": fin, "reported_at_port": "JFK",
                                "reported_on": "2003-10-01"})
    assert departure.status_code == 201, departure.text
    assert departure.json()["compliance"] == "compliant"


def test_a_call_in_registration_and_its_notice(client: TestClient, registry: Registry
                                               ) -> None:
    compliance = bearer(registry, Role.COMPLIANCE_OFFICER, username="c.officer")
    registration = client.post("/api/v1/registrations", headers=compliance, json={
        "person": {"surname": "KARIMI", "given_names": "ALI", "date_of_birth": "1975-03-03",
                   "sex": "M", "citizenships": ["IRN"]},
        "registered_on": "2002-12-10", "place": "New York district office",
        "answers": {"us_address": "3 Oak St", "purpose": "study"}, "admission_class": "F1",
        "last_admitted_on": "2002-08-20",
        "documents": [{"kind": "passport", "number": "K1111111", "issuer": "IRN"}],
        "photograph_ref": "biometrics:test:photograph",
        "fingerprints_ref": "biometrics:test:prints"})
    assert registration.status_code == 201, registration.text
    assert registration.json()["group"] == 1
    notice = client.post("/api/v1/call-in-notices", headers=compliance, json={
        "fin": registration.json()["fin"], "channel": "mail", "issued_on": "2004-01-05",
        "office": "New York"})
    assert notice.status_code == 201, notice.text


def test_an_i68_application_its_permit_and_the_permit_s_revocation(
        client: TestClient, registry: Registry) -> None:
    officer = bearer(registry, Role.PRIMARY_OFFICER)
    director = bearer(registry, Role.DISTRICT_DIRECTOR)
    application = client.post("/api/v1/i68/applications", headers=officer, json={
        "port_code": "DETROIT", "filed_on": "2010-05-01", "members": [
            {"relationship": "principal",
             "person": {"surname": "TREMBLAY", "given_names": "LUC",
                        "date_of_birth": "1970-01-01", "citizenships": ["CAN"]},
             "documents": [{"kind": "passport", "number": "CA123456", "issuer": "CAN"}]},
            {"relationship": "child",
             "person": {"surname": "TREMBLAY", "given_names": "EMMA",
                        "date_of_birth": "2005-01-01", "citizenships": ["CAN"]}}]})
    assert application.status_code == 201, application.text
    assert len(application.json()["members"]) == 2
    decision = client.post(
        f"/api/v1/i68/applications/{application.json()['application_id']}/decision",
        headers=director, json={"approve": True, "decided_on": "2010-05-20"})
    permit = decision.json()["permit"]
    assert permit["conditions"]
    revoked = client.post(f"/api/v1/i68/permits/{permit['number']}/revocation",
                          headers=director, json={"revoked_on": "2010-07-01",
                                                  "reason": "merchandise landed"})
    assert revoked.json()["revoked_on"] == "2010-07-01"


def test_a_retried_post_with_the_same_idempotency_key_records_once(
        client: TestClient, registry: Registry, secondary: dict[str, str]) -> None:
    first = arrive(client, secondary, iranian(), key="counter-7-0001")
    response = client.post("/api/v1/arrivals", json=iranian(),
                           headers=secondary | {"Idempotency-Key": "counter-7-0001"})
    assert response.status_code == 201
    assert response.headers["idempotent-replayed"] == "true"
    assert response.json() == first | {"replayed": True}
    assert count(registry, Encounter) == 1
    reused = client.post("/api/v1/arrivals", json=visitor(),
                         headers=secondary | {"Idempotency-Key": "counter-7-0001"})
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")


def test_every_read_of_personal_data_is_audited_with_the_purpose_given(
        client: TestClient, registry: Registry, secondary: dict[str, str]) -> None:
    person_id = arrive(client, secondary, visitor())["person_id"]
    reads = [f"/api/v1/persons/{person_id}", f"/api/v1/persons/{person_id}/timeline",
             f"/api/v1/persons/{person_id}/compliance?as_of=2026-11-24",
             f"/api/v1/persons/{person_id}/i94", "/api/v1/persons?name=Muller"]
    for path in reads:
        client.get(path, headers=bearer(registry, Role.PRIMARY_OFFICER, "fraud referral 17",
                                        username="p.officer"))
    client.get(f"/api/v1/persons/{person_id}",
               headers=bearer(registry, Role.PRIMARY_OFFICER, username="p.officer"))
    entries = audit(client, registry, user="p.officer")
    assert [e["action"] for e in entries] == ["person.read", "person.timeline",
                                              "compliance.report", "person.i94_read",
                                              "person.search", "person.read"]
    assert {e["purpose"] for e in entries[:-1]} == {"fraud referral 17"}
    assert entries[-1]["purpose"] == "primary inspection"
    assert {e["role"] for e in entries} == {"primary_officer"}
    verified = client.get("/api/v1/audit/verify",
                          headers=bearer(registry, Role.AUDITOR)).json()
    assert verified["intact"] is True


def test_an_analyst_sees_counts_and_never_a_name(client: TestClient, registry: Registry,
                                                 secondary: dict[str, str]) -> None:
    arrive(client, secondary, iranian())
    arrive(client, secondary, visitor())
    analyst = bearer(registry, Role.ANALYST)
    movements = client.get("/api/v1/statistics/movements",
                           params={"from": "2003-01-01", "to": "2003-12-31"}, headers=analyst)
    assert movements.json() == [{"port": "JFK", "day": "2003-06-15", "arrivals": 1,
                                 "departures": 0, "refusals": 0}]
    registrations = client.get("/api/v1/statistics/registrations",
                               params={"from": "2003-01-01", "to": "2003-12-31"},
                               headers=analyst)
    assert registrations.json() == [{"basis": "designated_nationality",
                                     "route": "port_of_entry", "registrations": 1}]
    assert "AHMADI" not in movements.text + registrations.text
    too_long = client.get("/api/v1/statistics/movements",
                          params={"from": "2003-01-01", "to": "2005-01-01"}, headers=analyst)
    assert too_long.json()["errors"][0]["path"] == "to"


def test_the_law_in_force_and_an_evaluation(client: TestClient) -> None:
    policy = client.get("/api/v1/policy", params={"as_of": "2003-06-15"}).json()
    assert policy["call_in_groups"]
    case = {"event": "arrival", "date": "2003-06-15",
            "port": {"code": "JFK", "mode": "air", "state": "NY"},
            "traveler": {"claimed_status": "nonimmigrant", "citizenships": ["IRN"],
                         "date_of_birth": "1970-05-01", "sex": "M"},
            "admission_class": "B2", "documents": [{"kind": "passport", "issuer": "IRN"},
                                                   {"kind": "visa", "class": "B2"}]}
    result = client.post("/api/v1/evaluations", json=case).json()
    assert result["determinations"]["special_registration"]["basis"] == [
        "designated_nationality"]
    assert "id" not in result
    assert result["policy_version"] == policy["policy_version"]
