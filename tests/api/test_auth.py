"""Sign-in: tokens, lock-out after repeated failures, the optional second factor,
passwords, accounts; every attempt audited."""

from __future__ import annotations

import jwt
import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.conftest import PASSWORD, SECRET, Clock, add_user, bearer, token
from nseers.core.actors import Role
from nseers.db.audit import AuditEntry
from nseers.services.accounts import LOCKOUT_PERIOD, MAX_FAILED_ATTEMPTS
from nseers.services.context import Registry


def sign_in(client: TestClient, username: str, password: str = PASSWORD,
            totp: str | None = None) -> tuple[int, dict[str, object]]:
    body = {"username": username, "password": password}
    if totp is not None:
        body["totp"] = totp
    response = client.post("/api/v1/auth/token", json=body)
    return response.status_code, response.json()


def sign_ins(registry: Registry) -> list[tuple[str, str]]:
    with registry.sessions() as session:
        entries = session.execute(select(AuditEntry).where(
            AuditEntry.action == "auth.sign_in").order_by(AuditEntry.seq)).scalars()
        return [(e.actor, e.detail["outcome"]) for e in entries]


def test_a_user_signs_in_and_the_token_opens_the_role_s_endpoints(
        client: TestClient, registry: Registry) -> None:
    add_user(registry, "s.officer", Role.SECONDARY_OFFICER)
    status, answer = sign_in(client, "S.Officer")
    assert status == 200
    assert (answer["username"], answer["role"], answer["expires_in"]) == (
        "s.officer", "secondary_officer", 900)
    headers = {"Authorization": f"Bearer {answer['access_token']}"}
    assert client.get("/api/v1/persons", params={"name": "Nobody"},
                      headers=headers).json() == []
    assert client.get("/api/v1/audit", headers=headers).status_code == 403


def test_a_wrong_password_and_an_unknown_user_get_the_same_refusal(
        client: TestClient, registry: Registry) -> None:
    add_user(registry, "s.officer", Role.SECONDARY_OFFICER)
    wrong = sign_in(client, "s.officer", "not the password at all")
    unknown = sign_in(client, "nobody", PASSWORD)
    assert wrong[0] == unknown[0] == 401
    assert wrong[1]["detail"] == unknown[1]["detail"]
    assert wrong[1]["code"] == unknown[1]["code"] == "invalid_credentials"
    assert sign_ins(registry) == [("s.officer", "bad_password"), ("nobody", "unknown_user")]


def test_five_failures_lock_the_account_for_fifteen_minutes(
        client: TestClient, registry: Registry, clock: Clock) -> None:
    add_user(registry, "s.officer", Role.SECONDARY_OFFICER)
    for _ in range(MAX_FAILED_ATTEMPTS):
        assert sign_in(client, "s.officer", "guess guess guess")[0] == 401
    response = client.post("/api/v1/auth/token",
                           json={"username": "s.officer", "password": PASSWORD})
    assert response.status_code == 401
    assert response.json()["code"] == "locked"
    assert int(response.headers["retry-after"]) == LOCKOUT_PERIOD.total_seconds() + 1
    clock.advance(seconds=LOCKOUT_PERIOD.total_seconds() - 1)
    assert sign_in(client, "s.officer")[1]["code"] == "locked"
    clock.advance(seconds=1)
    assert sign_in(client, "s.officer")[0] == 200
    outcomes = [outcome for _, outcome in sign_ins(registry)]
    assert outcomes == ["bad_password"] * 5 + ["locked", "locked", "success"]


def test_a_success_resets_the_count_of_failures(client: TestClient, registry: Registry
                                                ) -> None:
    add_user(registry, "s.officer", Role.SECONDARY_OFFICER)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        sign_in(client, "s.officer", "guess guess guess")
    assert sign_in(client, "s.officer")[0] == 200
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        sign_in(client, "s.officer", "guess guess guess")
    assert sign_in(client, "s.officer")[0] == 200


def test_after_enrolling_a_second_factor_sign_in_needs_its_code(
        client: TestClient, registry: Registry, clock: Clock) -> None:
    add_user(registry, "director", Role.DISTRICT_DIRECTOR)
    enrolment = client.post("/api/v1/auth/totp", json={"password": PASSWORD},
                            headers=bearer(registry, Role.DISTRICT_DIRECTOR, username="director"))
    assert enrolment.status_code == 200
    uri = enrolment.json()["uri"]
    assert uri.startswith("otpauth://totp/nseers:director?")
    code = pyotp.TOTP(enrolment.json()["secret"]).at(clock.now)
    assert sign_in(client, "director")[1]["code"] == "totp_required"
    assert sign_in(client, "director", totp="000000" if code != "000000" else "111111"
                   )[1]["code"] == "totp_invalid"
    assert sign_in(client, "director", totp=code)[0] == 200
    assert [o for _, o in sign_ins(registry)] == ["totp_required", "bad_totp", "success"]


def test_an_expired_or_forged_token_is_refused(client: TestClient, registry: Registry,
                                               clock: Clock) -> None:
    valid = token(registry, "s.officer", Role.SECONDARY_OFFICER)
    forged = jwt.encode({"sub": "s.officer", "role": "auditor", "iss": "nseers", "iat": 0,
                         "exp": 2**40}, b"another secret that is long enough for HS256",
                        algorithm="HS256")
    for bad in (forged, "not-a-token", valid[:-2] + "xx"):
        response = client.get("/api/v1/persons/1", headers={"Authorization": f"Bearer {bad}"})
        assert response.status_code == 401
        assert 'error="invalid_token"' in response.headers["www-authenticate"]
    clock.advance(minutes=15)
    response = client.get("/api/v1/persons/1", headers={"Authorization": f"Bearer {valid}"})
    assert response.status_code == 401


def test_a_token_carries_the_role_and_lives_fifteen_minutes(registry: Registry) -> None:
    claims = jwt.decode(token(registry, "x", Role.AUDITOR), SECRET, algorithms=["HS256"],
                        audience="api",
                        options={"verify_exp": False, "verify_iat": False})
    assert claims["role"] == "auditor"
    assert claims["exp"] - claims["iat"] == 900


def test_a_user_changes_their_password(client: TestClient, registry: Registry) -> None:
    add_user(registry, "c.officer", Role.COMPLIANCE_OFFICER)
    headers = bearer(registry, Role.COMPLIANCE_OFFICER, username="c.officer")
    wrong = client.post("/api/v1/auth/password", headers=headers,
                        json={"current_password": "wrong",
                              "new_password": "a much better passphrase"})
    assert wrong.status_code == 401
    short = client.post("/api/v1/auth/password", headers=headers,
                        json={"current_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 422
    assert short.json()["errors"][0]["path"] == "new_password"
    changed = client.post("/api/v1/auth/password", headers=headers,
                          json={"current_password": PASSWORD,
                                "new_password": "a much better passphrase"})
    assert changed.status_code == 204
    assert sign_in(client, "c.officer")[0] == 401
    assert sign_in(client, "c.officer", "a much better passphrase")[0] == 200


def test_an_administrator_creates_accounts_and_no_one_else_can(
        client: TestClient, registry: Registry) -> None:
    body = {"username": "New.Officer", "role": "primary_officer", "password": PASSWORD}
    admin = bearer(registry, Role.ADMINISTRATOR, username="admin")
    created = client.post("/api/v1/users", json=body, headers=admin)
    assert created.status_code == 201
    assert created.json()["username"] == "new.officer"
    assert "password" not in created.text
    again = client.post("/api/v1/users", json=body, headers=admin)
    assert (again.status_code, again.json()["code"]) == (409, "username_taken")
    refused = client.post("/api/v1/users", json=body | {"username": "x2"},
                          headers=bearer(registry, Role.DISTRICT_DIRECTOR))
    assert refused.status_code == 403
    assert sign_in(client, "new.officer")[0] == 200
    listed = client.get("/api/v1/users", headers=admin).json()
    assert "new.officer" in [u["username"] for u in listed]


@pytest.mark.parametrize("role", ["system"])
def test_no_account_may_act_as_the_system(client: TestClient, registry: Registry,
                                          role: str) -> None:
    response = client.post("/api/v1/users", headers=bearer(registry, Role.ADMINISTRATOR),
                           json={"username": "batch", "role": role, "password": PASSWORD})
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "role"


def test_sign_in_attempts_are_rate_limited_per_address(registry: Registry) -> None:
    from api.conftest import settings  # noqa: PLC0415 - a second app, limited low
    from nseers.api.app import create_app  # noqa: PLC0415

    app = create_app(registry, settings(sign_in_per_minute=2))
    with TestClient(app) as client:
        answers = [client.post("/api/v1/auth/token",
                               json={"username": "x", "password": "y"}).status_code
                   for _ in range(3)]
    assert answers == [401, 401, 429]
